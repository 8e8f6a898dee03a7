"""The floor: the scenarios as a bare ASGI callable, written for speed.

Hand-written dispatch on ``scope["path"]`` (a dict for static paths, the first segment
for parameterised ones), pydantic-core for JSON (a ``TypeAdapter`` validates and dumps
bodies, ``to_json`` encodes the rest), pre-encoded headers where the body is constant,
and direct ``send()`` calls.  No framework can do less work than this, so it is the
yardstick the others are read against.
"""

from urllib.parse import unquote_plus

from pydantic import TypeAdapter, ValidationError
from pydantic_core import to_json as dumps

from benchmarks.apps.common import ChatEntry, filler_routes

CHAT = TypeAdapter(ChatEntry)
JSON_TYPE = (b"content-type", b"application/json")


def start(status: int, body: bytes) -> dict:
    headers = [JSON_TYPE, (b"content-length", str(len(body)).encode())]
    return {"type": "http.response.start", "status": status, "headers": headers}


async def respond(send, status: int, body: bytes) -> None:
    await send(start(status, body))
    await send({"type": "http.response.body", "body": body})


def query_params(query_string: bytes) -> dict[str, str]:
    params = {}
    for pair in query_string.decode("latin-1").split("&"):
        name, _, value = pair.partition("=")
        if "%" in pair or "+" in pair:
            name, value = unquote_plus(name), unquote_plus(value)
        params.setdefault(name, value)
    return params


def unprocessable(loc: list, msg: str) -> tuple[int, bytes]:
    return 422, dumps({"detail": [{"loc": loc, "msg": msg}]})


HELLO = dumps({"message": "Hello, world"})
HELLO_START = start(200, HELLO)
HELLO_BODY = {"type": "http.response.body", "body": HELLO}


async def hello(scope, receive, send) -> None:
    await send(HELLO_START)
    await send(HELLO_BODY)


async def read_body(receive) -> bytes:
    message = await receive()
    body = message.get("body", b"")
    while message.get("more_body"):
        message = await receive()
        body += message.get("body", b"")
    return body


async def post_chat(scope, receive, send) -> None:
    if scope["method"] != "POST":
        return await respond(send, 405, b'{"detail":"Method Not Allowed"}')
    try:
        entry = CHAT.validate_json(await read_body(receive))
    except ValidationError as exc:
        errors = exc.json(include_url=False, include_context=False).encode()
        return await respond(send, 422, b'{"detail":' + errors + b"}")
    await respond(send, 201, CHAT.dump_json(entry))


def _header(scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return b""


def _quoted(text: bytes, key: bytes) -> str | None:
    start = text.find(key + b'="')
    if start < 0:
        return None
    start += len(key) + 2
    return text[start : text.index(b'"', start)].decode()


async def upload(scope, receive, send) -> None:
    content_type = _header(scope, b"content-type")
    _, _, boundary = content_type.partition(b"boundary=")
    if not content_type.startswith(b"multipart/form-data") or not boundary:
        return await respond(send, 422, b'{"detail":"multipart/form-data expected"}')
    fields, files = {}, {}
    for part in (await read_body(receive)).split(b"--" + boundary)[1:-1]:
        head, _, content = part[2:-2].partition(b"\r\n\r\n")
        name, filename = _quoted(head, b"name"), _quoted(head, b"filename")
        if filename is None:
            fields[name] = content.decode()
        else:
            files[name] = (filename, content)
    if "file" not in files or "note" not in fields:
        return await respond(send, 422, b'{"detail":"file and note are required"}')
    filename, content = files["file"]
    result = {"filename": filename, "size": len(content), "note": fields["note"]}
    await respond(send, 200, dumps(result))


async def echo(scope, receive, send) -> None:
    await receive()  # websocket.connect
    await send(ACCEPT)
    while True:
        message = await receive()
        if message["type"] != "websocket.receive":
            return
        await send({"type": "websocket.send", "text": message.get("text")})


ACCEPT = {"type": "websocket.accept"}


def dep_a(params: dict) -> str:
    return params.get("token", "t")


def dep_b(a: str) -> dict:
    return {"token": a}


def dep_c(b: dict) -> dict:
    return {"depth": 3, **b}


async def read_deps(scope, receive, send) -> None:
    result = dep_c(dep_b(dep_a(query_params(scope["query_string"]))))
    await respond(send, 200, dumps(result))


def read_item(scope, item_id: int) -> tuple[int, bytes]:
    params = query_params(scope["query_string"])
    if "q" not in params:
        return unprocessable(["query", "q"], "Field required")
    try:
        limit = int(params.get("limit", 10))
    except ValueError:
        return unprocessable(["query", "limit"], "Input should be a valid integer")
    if not 1 <= limit <= 100:
        return unprocessable(["query", "limit"], "Input should be in [1, 100]")
    return 200, dumps({"item_id": item_id, "q": params["q"], "limit": limit})


def read_target(scope, id: int) -> tuple[int, bytes]:
    return 200, dumps({"id": id})


def _filler(i: int):
    def handler(scope, id: int) -> tuple[int, bytes]:
        return 200, dumps({"route": i, "id": id})

    return handler


STATIC = {"/hello": hello, "/chat": post_chat, "/deps": read_deps, "/upload": upload}
PARAMETERISED = {"items": read_item, "target": read_target}
for _i, _parameterised in filler_routes():
    if _parameterised:
        PARAMETERISED[f"r{_i}"] = _filler(_i)
    else:
        STATIC[f"/r{_i}"] = lambda scope, receive, send, i=_i: respond(
            send, 200, dumps({"route": i})
        )

NOT_FOUND = b'{"detail":"Not Found"}'


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        if scope["type"] == "websocket":
            if scope["path"] == "/ws":
                return await echo(scope, receive, send)
            return await send({"type": "websocket.close", "code": 1000})
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
        return
    path = scope["path"]
    handler = STATIC.get(path)
    if handler is not None:
        return await handler(scope, receive, send)
    _, head, tail = path.split("/", 2) if path.count("/") == 2 else ("", "", "")
    handler = PARAMETERISED.get(head)
    if handler is None or not tail.isdigit():
        return await respond(send, 404, NOT_FOUND)
    status, body = handler(scope, int(tail))
    await respond(send, status, body)
