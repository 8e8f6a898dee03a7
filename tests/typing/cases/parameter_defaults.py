"""``Query(ge=1)``, ``Depends(...)`` and friends as defaults typecheck as in FastAPI."""

from typing import Annotated

from pydantic import BaseModel

from hinted import App, Body, Cookie, Depends, Header, Path, Query, Security, UploadFile, File, Form
from hinted.security import OAuth2PasswordBearer

app = App()
oauth2 = OAuth2PasswordBearer(tokenUrl="token")


class User(BaseModel):
    name: str


def current_user(token: str = Depends(oauth2)) -> User:
    return User(name=token)


def pagination(offset: int = Query(0, ge=0), limit: int = Query(10, ge=1, le=100)) -> int:
    return offset + limit


@app.get("/messages/{room}")
def list_messages(
    room: str = Path(min_length=1),
    limit: int = Query(10, ge=1),
    q: str | None = Query(None, max_length=50),
    user_agent: str = Header("unknown"),
    session: str | None = Cookie(None),
    user: User = Security(current_user, scopes=["read"]),
    page: int = Depends(pagination),
) -> dict[str, object]:
    reveal_type(limit)  # N: Revealed type is "int"
    reveal_type(user)  # N: parameter_defaults.User"
    return {"room": room, "limit": limit + 1, "q": q, "user": user.name, "page": page}


@app.get("/annotated")
def annotated(
    limit: Annotated[int, Query(ge=1)] = 10,
    user: Annotated[User, Depends(current_user)] = None,  # E: Incompatible default for parameter "user" (default has type "None", parameter has type "User")
) -> int:
    return limit


@app.post("/upload")
async def upload(
    file: UploadFile = File(),
    note: str = Form(""),
    priority: int = Body(1, embed=True),
) -> str:
    data = await file.read()
    return f"{note}{priority}{len(data)}"
