"""The benchmark scenarios as a FastAPI user would write them.

``hinted_app`` is this file with the imports swapped; keep the two in step.
"""

from typing import Annotated

from fastapi import (
    Depends,
    FastAPI,
    File,
    Form,
    Query,
    UploadFile,
    WebSocket,
    WebSocketDisconnect,
)

from benchmarks.apps.common import ChatEntry, filler_routes

app = FastAPI()


@app.get("/hello")
async def hello():
    return {"message": "Hello, world"}


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str, limit: Annotated[int, Query(ge=1, le=100)] = 10):
    return {"item_id": item_id, "q": q, "limit": limit}


@app.post("/chat", response_model=ChatEntry, status_code=201)
async def post_chat(entry: ChatEntry):
    return entry


async def dep_a(token: str = "t") -> str:
    return token


async def dep_b(a: Annotated[str, Depends(dep_a)]) -> dict:
    return {"token": a}


async def dep_c(b: Annotated[dict, Depends(dep_b)]) -> dict:
    return {"depth": 3, **b}


@app.get("/deps")
async def read_deps(c: Annotated[dict, Depends(dep_c)]):
    return c


@app.post("/upload")
async def upload(file: Annotated[UploadFile, File()], note: Annotated[str, Form()]):
    return {"filename": file.filename, "size": len(await file.read()), "note": note}


@app.websocket("/ws")
async def echo(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


def _filler(i: int, parameterised: bool) -> None:
    if parameterised:

        async def handler(id: int):
            return {"route": i, "id": id}

        app.get(f"/r{i}/{{id}}")(handler)
    else:

        async def handler():
            return {"route": i}

        app.get(f"/r{i}")(handler)


for _i, _parameterised in filler_routes():
    _filler(_i, _parameterised)


@app.get("/target/{id}")
async def read_target(id: int):
    return {"id": id}
