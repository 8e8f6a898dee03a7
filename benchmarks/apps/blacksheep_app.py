"""The benchmark scenarios as a BlackSheep user would write them.

Notes on idiom: BlackSheep binds route and query parameters by name and type but has no
declarative range constraint, so ``limit`` is checked in the handler; body validation
errors surface as ``InvalidRequestBody`` (400), which a handler maps to a 422 carrying
pydantic's errors; the dependency chain uses BlackSheep's DI container (rodi), with
the request made injectable by ``register_http_context``.  BlackSheep logs every
handled 4xx at INFO to stderr; its logger is raised to WARNING so the invalid-body
scenario times the framework rather than terminal writes.
"""

import logging

from blacksheep import Application, FromJSON, Request, Response, json
from blacksheep.server.bindings import InvalidRequestBody
from blacksheep.server.di import register_http_context
from blacksheep.server.websocket import WebSocket, WebSocketDisconnectError
from pydantic import ValidationError

from benchmarks.apps.common import ChatEntry, filler_routes

app = Application()
logging.getLogger("blacksheep.server").setLevel(logging.WARNING)
get, post = app.router.get, app.router.post
register_http_context(app)


@get("/hello")
async def hello():
    return {"message": "Hello, world"}


@get("/items/{int:item_id}")
async def read_item(item_id: int, q: str, limit: int = 10):
    if not 1 <= limit <= 100:
        error = {"loc": ["query", "limit"], "msg": "limit must be in [1, 100]"}
        return json({"detail": [error]}, 422)
    return {"item_id": item_id, "q": q, "limit": limit}


@post("/chat")
async def post_chat(entry: FromJSON[ChatEntry]):
    return json(entry.value.model_dump(mode="json"), 201)


@app.exception_handler(InvalidRequestBody)
async def unprocessable(app: Application, request: Request, exc: InvalidRequestBody) -> Response:
    cause = exc.__cause__
    if isinstance(cause, ValidationError):
        errors = cause.errors(include_url=False, include_context=False)
        return json({"detail": errors}, 422)
    return json({"detail": str(exc)}, 400)


class A:
    def __init__(self, request: Request) -> None:
        self.token = request.query.get("token", ["t"])[0]


class B:
    def __init__(self, a: A) -> None:
        self.token = a.token


class C:
    def __init__(self, b: B) -> None:
        self.result = {"depth": 3, "token": b.token}


app.services.add_scoped(A)
app.services.add_scoped(B)
app.services.add_scoped(C)


@get("/deps")
async def read_deps(c: C):
    return c.result


@post("/upload")
async def upload(request: Request):
    form = await request.form()
    (file,) = form["file"]  # a list of FormPart; a text field comes as its value
    size = len(file.data)
    return {"filename": file.file_name.decode(), "size": size, "note": form["note"]}


@app.router.ws("/ws")
async def echo(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnectError:
        pass


def _filler(i: int, parameterised: bool) -> None:
    if parameterised:

        async def handler(id: int):
            return {"route": i, "id": id}

        get(f"/r{i}/{{int:id}}")(handler)
    else:

        async def static_handler():
            return {"route": i}

        get(f"/r{i}")(static_handler)


for _i, _parameterised in filler_routes():
    _filler(_i, _parameterised)


@get("/target/{int:id}")
async def read_target(id: int):
    return {"id": id}
