"""A test app with every kind of parameter, body and dependency, for the fuzzers.

Each handler checks what it was given against its own annotations and records any
value that should not have got through in ``VIOLATIONS``: the framework must never
call a handler with a value its validation did not produce.
"""

from __future__ import annotations

import datetime
import enum
import math
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Json

from hinted import (
    App,
    BackgroundTasks,
    Body,
    Cookie,
    Depends,
    File,
    Form,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    Security,
    UploadFile,
)
from hinted.security import APIKeyCookie, HTTPBasic, HTTPBasicCredentials, HTTPBearer
from hinted.security.http import HTTPAuthorizationCredentials

VIOLATIONS: list[str] = []
CLEANUPS = {"entered": 0, "exited": 0}


def expect(condition: bool, what: str) -> None:
    if not condition:
        VIOLATIONS.append(what)


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Tag(BaseModel):
    name: str = Field(min_length=1, max_length=20)
    weight: float = Field(ge=0, le=1, allow_inf_nan=False)


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50)
    price: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    count: int = Field(ge=0, le=1000)
    tags: list[Tag] = Field(default_factory=list, max_length=5)
    color: Color = Color.RED
    when: datetime.datetime | None = None
    extra: dict[str, int] = {}


class Node(BaseModel):
    value: int
    children: list[Node] = []


class Public(BaseModel):
    name: str
    count: int


class Secret(Public):
    password: str


# The body shapes the fuzzer starts from (and mutates).
MODELS: list[dict[str, Any]] = [
    {"name": "x", "price": "1.50", "count": 1, "tags": [{"name": "t", "weight": 0.5}]},
    {"value": 1, "children": [{"value": 2}]},
    {"item": {"name": "x", "price": 1, "count": 1}, "importance": 3},
]


def check_item(item: Any) -> None:
    expect(isinstance(item, Item), f"item is {type(item)}")
    if not isinstance(item, Item):
        return
    expect(1 <= len(item.name) <= 50, "item.name length")
    expect(item.price >= 0 and item.price.is_finite(), "item.price")
    expect(0 <= item.count <= 1000 and type(item.count) is int, "item.count")
    expect(len(item.tags) <= 5, "item.tags")
    for tag in item.tags:
        expect(isinstance(tag, Tag) and 0 <= tag.weight <= 1, "tag")
    expect(isinstance(item.color, Color), "item.color")
    expect(all(type(v) is int for v in item.extra.values()), "item.extra")


def check_node(node: Any, depth: int = 0) -> None:
    expect(isinstance(node, Node) and type(node.value) is int, "node")
    if isinstance(node, Node):
        for child in node.children:
            check_node(child, depth + 1)


# -- dependencies --------------------------------------------------------------------


def pagination(
    offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> tuple[int, int]:
    expect(type(offset) is int and offset >= 0, f"offset {offset!r}")
    expect(type(limit) is int and 1 <= limit <= 100, f"limit {limit!r}")
    return offset, limit


async def token(x_token: Annotated[str, Header(min_length=3, max_length=64)]) -> str:
    expect(isinstance(x_token, str) and 3 <= len(x_token) <= 64, f"x_token {x_token!r}")
    if x_token == "forbidden":
        raise HTTPException(403, "Forbidden token")
    return x_token


async def session_resource() -> AsyncIterator[dict[str, bool]]:
    CLEANUPS["entered"] += 1
    resource = {"open": True}
    try:
        yield resource
    finally:
        resource["open"] = False
        CLEANUPS["exited"] += 1


def sync_resource(page: Annotated[tuple[int, int], Depends(pagination)]) -> Iterator[int]:
    yield page[1]


class Filters:
    def __init__(
        self,
        q: Annotated[str | None, Query(max_length=30, pattern=r"^[a-z ]*$")] = None,
        colors: Annotated[list[Color], Query()] = [],  # noqa: B006
    ) -> None:
        expect(
            q is None or (len(q) <= 30 and all(c in "abcdefghijklmnopqrstuvwxyz " for c in q)), "q"
        )
        expect(all(isinstance(c, Color) for c in colors), "colors")
        self.q = q
        self.colors = colors


bearer = HTTPBearer(auto_error=False)
basic = HTTPBasic(auto_error=False)
api_cookie = APIKeyCookie(name="api_key", auto_error=False)


def create_app(*, middleware: bool = False) -> App:
    """The app; ``middleware=True``: problem details, and the middleware users stack up."""
    app = App(title="Kitchen sink", problem_details=middleware)
    if middleware:
        add_middleware(app)

    @app.get("/items/{item_id}")
    async def read_item(
        item_id: Annotated[int, Path(ge=1, le=10**6)],
        page: Annotated[tuple[int, int], Depends(pagination)],
        filters: Annotated[Filters, Depends()],
        when: datetime.date | None = None,
        flag: bool = False,
        ratio: Annotated[float, Query(gt=0, lt=1, allow_inf_nan=False)] = 0.5,
        mode: Literal["fast", "slow"] = "fast",
        ids: Annotated[list[int], Query(max_length=20)] = [],  # noqa: B006
        alias_value: Annotated[str | None, Query(alias="item-query")] = None,
        data: Annotated[Json[dict[str, int]] | None, Query()] = None,
    ) -> dict[str, Any]:
        expect(type(item_id) is int and 1 <= item_id <= 10**6, f"item_id {item_id!r}")
        expect(when is None or isinstance(when, datetime.date), "when")
        expect(type(flag) is bool, "flag")
        expect(type(ratio) is float and 0 < ratio < 1 and math.isfinite(ratio), "ratio")
        expect(mode in ("fast", "slow"), "mode")
        expect(len(ids) <= 20 and all(type(i) is int for i in ids), "ids")
        expect(alias_value is None or isinstance(alias_value, str), "alias")
        expect(data is None or all(type(v) is int for v in data.values()), "data")
        return {"item_id": item_id, "page": page, "ids": ids, "q": filters.q}

    @app.get("/files/{file_path:path}")
    def read_file(file_path: str) -> dict[str, str]:
        expect(isinstance(file_path, str), "file_path")
        return {"path": file_path}

    @app.get("/uuids/{ident}")
    async def read_uuid(ident: uuid.UUID, version: Annotated[int, Query(ge=1, le=5)] = 4) -> str:
        expect(isinstance(ident, uuid.UUID), "ident")
        expect(type(version) is int and 1 <= version <= 5, "version")
        return str(ident)

    @app.get("/typed/{number:int}/{ratio:float}")
    async def typed_path(number: int, ratio: float) -> dict[str, float]:
        expect(type(number) is int and type(ratio) is float, "typed path")
        return {"number": number, "ratio": ratio}

    @app.get("/colors/{color}")
    async def read_color(color: Color) -> str:
        expect(isinstance(color, Color), "color")
        return color.value

    @app.get("/headers")
    async def headers(
        user_agent: Annotated[str | None, Header()] = None,
        x_values: Annotated[list[int], Header()] = [],  # noqa: B006
        x_token: Annotated[str, Depends(token)] = "",
        accept_language: Annotated[str | None, Header(max_length=50)] = None,
    ) -> dict[str, Any]:
        expect(user_agent is None or isinstance(user_agent, str), "user_agent")
        expect(all(type(v) is int for v in x_values), "x_values")
        expect(accept_language is None or len(accept_language) <= 50, "accept_language")
        return {"ua": user_agent, "values": x_values, "token": x_token}

    @app.get("/cookies")
    async def cookies(
        session: Annotated[str | None, Cookie(min_length=8)] = None,
        count: Annotated[int, Cookie(ge=0)] = 0,
        key: Annotated[str | None, Security(api_cookie)] = None,
    ) -> dict[str, Any]:
        expect(session is None or len(session) >= 8, "session")
        expect(type(count) is int and count >= 0, "count")
        expect(key is None or isinstance(key, str), "key")
        return {"session": session, "count": count}

    @app.post("/items", status_code=201, response_model=Public)
    async def create_item(item: Item, background: BackgroundTasks) -> Secret:
        check_item(item)
        background.add_task(lambda: None)
        return Secret(name=item.name, count=item.count, password="hunter2")

    @app.put("/items/{item_id}")
    async def update_item(
        item_id: int,
        item: Annotated[Item, Body(embed=True)],
        importance: Annotated[int, Body(gt=0, lt=10)],
        note: Annotated[str | None, Body(max_length=10)] = None,
    ) -> dict[str, Any]:
        check_item(item)
        expect(type(importance) is int and 0 < importance < 10, "importance")
        expect(note is None or len(note) <= 10, "note")
        return {"item_id": item_id, "importance": importance}

    @app.post("/tree")
    async def tree(node: Node) -> dict[str, int]:
        check_node(node)
        return {"value": node.value}

    @app.post("/values")
    async def values(
        numbers: Annotated[list[float], Body(max_length=100)],
    ) -> dict[str, float]:
        expect(all(type(n) is float for n in numbers) and len(numbers) <= 100, "numbers")
        return {"total": math.fsum(n for n in numbers if math.isfinite(n))}

    @app.post("/anything")
    async def anything(payload: Annotated[Any, Body()] = None) -> dict[str, str]:
        return {"type": type(payload).__name__}

    @app.patch("/merge", response_model_exclude_none=True)
    async def merge(patch: dict[str, int | str | None]) -> dict[str, int | str | None]:
        expect(all(v is None or type(v) in (int, str) for v in patch.values()), "patch")
        return patch

    @app.post("/form")
    async def form(
        username: Annotated[str, Form(min_length=1, max_length=20)],
        age: Annotated[int, Form(ge=0, le=150)],
        tags: Annotated[list[str], Form()] = [],  # noqa: B006
        remember: Annotated[bool, Form()] = False,
    ) -> dict[str, Any]:
        expect(isinstance(username, str) and 1 <= len(username) <= 20, "username")
        expect(type(age) is int and 0 <= age <= 150, "age")
        expect(all(isinstance(t, str) for t in tags), "tags")
        expect(type(remember) is bool, "remember")
        return {"username": username, "age": age, "tags": tags}

    @app.post("/upload")
    async def upload(
        document: UploadFile,
        attachments: list[UploadFile] = [],  # noqa: B006
        small: Annotated[bytes | None, File(max_length=100)] = None,
        caption: Annotated[str, Form(max_length=30)] = "",
    ) -> dict[str, Any]:
        expect(hasattr(document, "read") and hasattr(document, "filename"), "document")
        expect(all(hasattr(a, "read") for a in attachments), "attachments")
        expect(small is None or (isinstance(small, bytes) and len(small) <= 100), "small")
        expect(len(caption) <= 30, "caption")
        content = await document.read()
        return {"size": len(content), "files": len(attachments)}

    @app.get("/resources")
    async def resources(
        resource: Annotated[dict[str, bool], Depends(session_resource)],
        limit: Annotated[int, Depends(sync_resource)],
    ) -> dict[str, Any]:
        expect(resource["open"] is True, "resource open")
        expect(type(limit) is int and 1 <= limit <= 100, "limit")
        return {"limit": limit}

    @app.get("/auth")
    async def auth(
        bearer_auth: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        basic_auth: Annotated[HTTPBasicCredentials | None, Depends(basic)],
    ) -> dict[str, Any]:
        expect(bearer_auth is None or isinstance(bearer_auth.credentials, str), "bearer")
        expect(basic_auth is None or isinstance(basic_auth.username, str), "basic")
        return {"bearer": bearer_auth is not None, "basic": basic_auth is not None}

    @app.api_route("/raw", methods=["GET", "POST", "DELETE"])
    async def raw(request: Request, response: Response) -> dict[str, Any]:
        body = await request.body()
        response.headers["x-length"] = str(len(body))
        return {"query": len(request.query_params), "cookies": len(request.cookies)}

    @app.get("/stream")
    def stream(count: Annotated[int, Query(ge=0, le=5)] = 3) -> Iterator[dict[str, int]]:
        expect(type(count) is int and 0 <= count <= 5, "count")
        for index in range(count):
            yield {"index": index}

    @app.delete("/items/{item_id}", status_code=204)
    async def delete_item(item_id: Annotated[int, Path(gt=0)]) -> None:
        expect(type(item_id) is int and item_id > 0, "delete item_id")

    return app


def add_middleware(app: App) -> None:
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.gzip import GZipMiddleware

    from hinted.logging import RequestLogMiddleware
    from hinted.middleware import RequestIDMiddleware, TimingMiddleware

    @app.middleware("http")
    async def log_requests(request: Request, call_next: Any) -> Response:
        # What a logging middleware reads: the URL, the client, some headers, cookies.
        seen = (str(request.url), request.url.path, request.client, request.cookies)
        request.state.seen = seen
        response: Response = await call_next(request)
        response.headers["x-seen"] = str(len(seen[0]))
        return response

    app.add_middleware(GZipMiddleware, minimum_size=10)
    app.add_middleware(CORSMiddleware, allow_origins=["https://example.com"], allow_methods=["*"])
    app.add_middleware(RequestIDMiddleware)
    app.add_middleware(TimingMiddleware)
    app.add_middleware(RequestLogMiddleware)


ROUTES = [
    ("GET", "/items/{item_id}"),
    ("POST", "/items"),
    ("PUT", "/items/{item_id}"),
    ("DELETE", "/items/{item_id}"),
    ("GET", "/files/{file_path}"),
    ("GET", "/uuids/{ident}"),
    ("GET", "/typed/{number}/{ratio}"),
    ("GET", "/colors/{color}"),
    ("GET", "/headers"),
    ("GET", "/cookies"),
    ("POST", "/tree"),
    ("POST", "/values"),
    ("POST", "/anything"),
    ("PATCH", "/merge"),
    ("POST", "/form"),
    ("POST", "/upload"),
    ("GET", "/resources"),
    ("GET", "/auth"),
    ("POST", "/raw"),
    ("GET", "/stream"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/redoc"),
    ("GET", "/asyncapi.json"),
]
QUERY_NAMES = [
    "offset", "limit", "q", "colors", "when", "flag", "ratio", "mode", "ids", "item-query",
    "data", "version", "count",
]  # fmt: skip
HEADER_NAMES = [
    "user-agent", "x-values", "x-token", "accept-language", "content-type", "content-length",
    "authorization", "cookie", "accept", "transfer-encoding", "expect", "origin",
    "access-control-request-method", "access-control-request-headers", "x-request-id",
    "accept-encoding",
]  # fmt: skip
COOKIE_NAMES = ["session", "count", "api_key"]
FORM_NAMES = ["username", "age", "tags", "remember", "document", "attachments", "small", "caption"]
