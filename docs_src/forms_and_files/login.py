from typing import Annotated

from hinted import App, Form

app = App()


@app.post("/login")
async def login(
    username: Annotated[str, Form()],
    password: Annotated[str, Form(min_length=8)],
    remember: Annotated[bool, Form()] = False,
) -> dict[str, object]:
    return {"username": username, "remember": remember}
