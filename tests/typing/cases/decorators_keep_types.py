"""Route decorators return the handler itself: its signature stays for the checker."""

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from hinted import APIRouter, App, WebSocket

app = App()
router = APIRouter(prefix="/rooms")


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None) -> dict[str, object]:
    return {"item_id": item_id, "q": q}


@router.post("/{room}", status_code=201)
def create_room(room: str) -> list[str]:
    return [room]


@app.api_route("/ping", methods=["GET", "HEAD"])
def ping() -> str:
    return "pong"


@app.websocket("/ws")
async def chat(websocket: WebSocket) -> None:
    await websocket.accept()


@app.middleware("http")
async def timing(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    return await call_next(request)


reveal_type(read_item)  # N: Revealed type is "def (item_id: int, q: str | None =) -> typing.Coroutine[Any, Any, dict[str, object]]"
reveal_type(create_room)  # N: Revealed type is "def (room: str) -> list[str]"
reveal_type(ping)  # N: Revealed type is "def () -> str"
reveal_type(chat)  # N: Revealed type is "def (websocket: starlette.websockets.WebSocket[starlette.datastructures.State]) -> typing.Coroutine[Any, Any, None]"
reveal_type(timing)  # N: Revealed type is "def (request: starlette.requests.Request[starlette.datastructures.State], call_next: def (starlette.requests.Request[starlette.datastructures.State]) -> typing.Awaitable[starlette.responses.Response]) -> typing.Coroutine[Any, Any, starlette.responses.Response]"

rooms: list[str] = create_room("general")
count: int = create_room("general")  # E: Incompatible types in assignment (expression has type "list[str]", variable has type "int")
create_room(3)  # E: Argument 1 to "create_room" has incompatible type "int"; expected "str"
create_room()  # E: Missing positional argument "room" in call to "create_room"
