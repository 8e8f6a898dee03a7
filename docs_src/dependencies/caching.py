from typing import Annotated

from hinted import App, Depends

app = App()

lookups: list[str] = []


def load_user() -> str:
    lookups.append("ada")  # imagine a database query here
    return "ada"


def can_read(user: Annotated[str, Depends(load_user)]) -> bool:
    return user == "ada"


def can_write(user: Annotated[str, Depends(load_user)]) -> bool:
    return user == "ada"


@app.get("/permissions")
async def permissions(
    read: Annotated[bool, Depends(can_read)],
    write: Annotated[bool, Depends(can_write)],
) -> dict[str, bool]:
    return {"read": read, "write": write}


@app.get("/fresh")
async def fresh(
    first: Annotated[str, Depends(load_user)],
    second: Annotated[str, Depends(load_user, use_cache=False)],
) -> dict[str, str]:
    return {"first": first, "second": second}
