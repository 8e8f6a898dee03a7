from typing import Annotated

from hinted import App, Depends, Header, HTTPException, Query

app = App()

USERS = {"token-ada": "ada", "token-bob": "bob"}


def pagination(
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, int]:
    return {"offset": offset, "limit": limit}


def current_user(authorization: Annotated[str, Header()]) -> str:
    user = USERS.get(authorization.removeprefix("Bearer "))
    if user is None:
        raise HTTPException(401, "Unknown token", headers={"WWW-Authenticate": "Bearer"})
    return user


def admin_user(user: Annotated[str, Depends(current_user)]) -> str:
    if user != "ada":
        raise HTTPException(403, "Admins only")
    return user


@app.get("/messages")
async def list_messages(page: Annotated[dict[str, int], Depends(pagination)]) -> dict[str, int]:
    return page


@app.get("/me")
async def read_me(user: Annotated[str, Depends(current_user)]) -> dict[str, str]:
    return {"user": user}


@app.delete("/rooms/{room}")
async def delete_room(room: str, admin: Annotated[str, Depends(admin_user)]) -> dict[str, str]:
    return {"deleted": room, "by": admin}
