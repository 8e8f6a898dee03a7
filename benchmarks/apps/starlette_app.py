"""The benchmark scenarios in plain Starlette, validating with pydantic by hand.

This is how a Starlette user without a validation layer would write them: path
convertors for path parameters, a pydantic model for the query string and the body,
and plain function calls where FastAPI would use ``Depends``.
"""

from pydantic import BaseModel, Field, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from benchmarks.apps.common import ChatEntry, filler_routes


class ItemQuery(BaseModel):
    q: str
    limit: int = Field(10, ge=1, le=100)


def validation_error(exc: ValidationError) -> Response:
    errors = exc.json(include_url=False, include_context=False)
    return Response(f'{{"detail":{errors}}}', 422, media_type="application/json")


async def hello(request: Request) -> Response:
    return JSONResponse({"message": "Hello, world"})


async def read_item(request: Request) -> Response:
    try:
        query = ItemQuery.model_validate(dict(request.query_params))
    except ValidationError as exc:
        return validation_error(exc)
    item_id = request.path_params["item_id"]
    return JSONResponse({"item_id": item_id, "q": query.q, "limit": query.limit})


async def post_chat(request: Request) -> Response:
    try:
        entry = ChatEntry.model_validate_json(await request.body())
    except ValidationError as exc:
        return validation_error(exc)
    return Response(entry.model_dump_json(), 201, media_type="application/json")


def dep_a(request: Request) -> str:
    return request.query_params.get("token", "t")


def dep_b(a: str) -> dict:
    return {"token": a}


def dep_c(b: dict) -> dict:
    return {"depth": 3, **b}


async def read_deps(request: Request) -> Response:
    return JSONResponse(dep_c(dep_b(dep_a(request))))


async def upload(request: Request) -> Response:
    async with request.form() as form:
        file, note = form["file"], form["note"]
        return JSONResponse(
            {"filename": file.filename, "size": len(await file.read()), "note": note}
        )


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


def _filler(i: int, parameterised: bool) -> Route:
    if parameterised:

        async def handler(request: Request) -> Response:
            return JSONResponse({"route": i, "id": request.path_params["id"]})

        return Route(f"/r{i}/{{id:int}}", handler)

    async def static_handler(request: Request) -> Response:
        return JSONResponse({"route": i})

    return Route(f"/r{i}", static_handler)


async def read_target(request: Request) -> Response:
    return JSONResponse({"id": request.path_params["id"]})


app = Starlette(
    routes=[
        Route("/hello", hello),
        Route("/items/{item_id:int}", read_item),
        Route("/chat", post_chat, methods=["POST"]),
        Route("/deps", read_deps),
        Route("/upload", upload, methods=["POST"]),
        WebSocketRoute("/ws", echo),
        *(_filler(i, parameterised) for i, parameterised in filler_routes()),
        Route("/target/{id:int}", read_target),
    ]
)
