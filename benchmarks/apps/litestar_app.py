"""The benchmark scenarios as a Litestar user would write them.

Litestar answers validation failures with 400; an exception handler turns them into
the 422 the scenarios expect, keeping Litestar's own error body.
"""

from dataclasses import dataclass
from typing import Annotated

from litestar import Litestar, Request, Response, WebSocket, get, post, websocket
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ValidationException, WebSocketDisconnect
from litestar.params import FromPath, FromQuery, JSONBody, MultipartBody, QueryParameter

from benchmarks.apps.common import ChatEntry, filler_routes


@get("/hello")
async def hello() -> dict:
    return {"message": "Hello, world"}


@get("/items/{item_id:int}")
async def read_item(
    item_id: FromPath[int],
    q: FromQuery[str],
    limit: Annotated[int, QueryParameter(ge=1, le=100)] = 10,
) -> dict:
    return {"item_id": item_id, "q": q, "limit": limit}


@post("/chat", status_code=201)
async def post_chat(data: JSONBody[ChatEntry]) -> ChatEntry:
    return data


async def dep_a(token: FromQuery[str] = "t") -> str:
    return token


async def dep_b(a: NamedDependency[str]) -> dict:
    return {"token": a}


async def dep_c(b: NamedDependency[dict]) -> dict:
    return {"depth": 3, **b}


@get(
    "/deps",
    dependencies={"a": Provide(dep_a), "b": Provide(dep_b), "c": Provide(dep_c)},
)
async def read_deps(c: NamedDependency[dict]) -> dict:
    return c


@dataclass
class UploadForm:
    file: UploadFile
    note: str


@post("/upload", status_code=200)
async def upload(data: MultipartBody[UploadForm]) -> dict:
    content = await data.file.read()
    return {"filename": data.file.filename, "size": len(content), "note": data.note}


@websocket("/ws")
async def echo(socket: WebSocket) -> None:
    await socket.accept()
    try:
        while True:
            await socket.send_text(await socket.receive_text())
    except WebSocketDisconnect:
        pass


def _filler(i: int, parameterised: bool):
    if parameterised:

        @get(f"/r{i}/{{id:int}}", name=f"r{i}")
        async def handler(id: FromPath[int]) -> dict:
            return {"route": i, "id": id}

        return handler

    @get(f"/r{i}", name=f"r{i}")
    async def static_handler() -> dict:
        return {"route": i}

    return static_handler


@get("/target/{id:int}")
async def read_target(id: FromPath[int]) -> dict:
    return {"id": id}


def unprocessable(request: Request, exc: ValidationException) -> Response:
    body = {"status_code": 422, "detail": exc.detail, "extra": exc.extra}
    return Response(body, status_code=422)


app = Litestar(
    route_handlers=[
        hello,
        read_item,
        post_chat,
        read_deps,
        upload,
        echo,
        *(_filler(i, parameterised) for i, parameterised in filler_routes()),
        read_target,
    ],
    exception_handlers={ValidationException: unprocessable},
)
