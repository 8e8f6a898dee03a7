from typing import Any

from pydantic import BaseModel

from hinted import App, status

app = App()


class UserOut(BaseModel):
    username: str
    email: str | None = None


class UserIn(UserOut):
    password: str


@app.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(user: UserIn) -> UserOut:
    return user  # a UserIn is a UserOut: the password is filtered out


@app.get("/users/{username}", response_model=UserOut)
async def read_user(username: str) -> Any:
    return {"username": username, "email": None, "password": "hunter22"}


@app.get("/users/{username}/brief", response_model=UserOut, response_model_exclude_none=True)
async def read_user_brief(username: str) -> Any:
    return {"username": username, "email": None}
