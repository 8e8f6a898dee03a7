"""The benchmark scenarios: the request each sends and how its response is checked.

Every framework app must answer each request with the expected status and body; the
harness checks that once before timing, so a broken app fails loudly instead of being
timed serving a 404.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

CHAT_BODY = {
    "message": "Hello, Bob",
    "recipient": "bob",
    "author": "alice",
    "timestamp": 1700000000.5,
}
INVALID_CHAT_BODY = {"message": "Hello, Bob", "author": "alice", "timestamp": "not-a-number"}


class CheckFailed(AssertionError):
    """A response did not match what the scenario expects."""


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    method: str
    path: str
    status: int
    check_body: Callable[[object], None]
    query: str = ""
    body: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = field(default=())
    # A WebSocket session instead of an HTTP request: the client connects, sends these
    # text messages, expects each echoed back, and closes (not timed end to end: wrk
    # speaks HTTP only).
    messages: tuple[str, ...] = ()

    @property
    def websocket(self) -> bool:
        return self.method == "WEBSOCKET"

    def check_session(self, sent: list[dict]) -> None:
        """Raise CheckFailed unless a WebSocket session was accepted and echoed every message."""
        kinds = [message["type"] for message in sent]
        if not kinds or kinds[0] != "websocket.accept":
            raise CheckFailed(f"{self.name}: not accepted: {kinds}")
        texts = [m.get("text") for m in sent if m["type"] == "websocket.send"]
        if texts != list(self.messages):
            raise CheckFailed(f"{self.name}: echoed {texts!r}, expected {list(self.messages)!r}")

    def check(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        """Raise CheckFailed unless the response is a JSON answer as expected."""
        shown = body[:300].decode("utf-8", "replace")
        if status != self.status:
            raise CheckFailed(f"{self.name}: status {status}, expected {self.status}: {shown}")
        header_map = {name.lower(): value for name, value in headers}
        content_type = header_map.get(b"content-type", b"")
        if not content_type.startswith(b"application/json"):
            raise CheckFailed(f"{self.name}: content-type {content_type!r}: {shown}")
        length = header_map.get(b"content-length")
        if length is not None and int(length) != len(body):
            raise CheckFailed(f"{self.name}: content-length {length!r} but {len(body)} bytes")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise CheckFailed(f"{self.name}: body is not JSON: {shown}") from exc
        self.check_body(data)


def equals(expected: object) -> Callable[[object], None]:
    def check(data: object) -> None:
        if data != expected:
            raise CheckFailed(f"body {data!r}, expected {expected!r}")

    return check


def _strings(data: object):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def names_fields(*fields: str) -> Callable[[object], None]:
    """Check that an error body names each field (e.g. in a pydantic ``loc``)."""

    def check(data: object) -> None:
        found = set(_strings(data))
        missing = [name for name in fields if name not in found]
        if missing:
            raise CheckFailed(f"error body does not name {missing}: {data!r}")

    return check


JSON_HEADERS = ((b"content-type", b"application/json"),)


def _json_post(payload: dict) -> dict:
    body = json.dumps(payload).encode()
    return {
        "method": "POST",
        "body": body,
        "headers": (*JSON_HEADERS, (b"content-length", str(len(body)).encode())),
    }


UPLOAD_BOUNDARY = "hintedbenchboundary7MA4YWxkTrZu0gW"
UPLOAD_FILE = b"0123456789abcdef" * 1024  # 16 KiB (ASCII, so that wrk's Lua script can carry it)
UPLOAD_RESULT = {"filename": "data.bin", "size": len(UPLOAD_FILE), "note": "hello"}


def _multipart_post() -> dict:
    """A form with one text field, ``note``, and one file, ``file`` (16 KiB)."""
    dash = b"--" + UPLOAD_BOUNDARY.encode()
    body = b"".join(
        [
            dash + b"\r\n",
            b'Content-Disposition: form-data; name="note"\r\n\r\n',
            b"hello\r\n",
            dash + b"\r\n",
            b'Content-Disposition: form-data; name="file"; filename="data.bin"\r\n',
            b"Content-Type: application/octet-stream\r\n\r\n",
            UPLOAD_FILE + b"\r\n",
            dash + b"--\r\n",
        ]
    )
    content_type = f"multipart/form-data; boundary={UPLOAD_BOUNDARY}".encode()
    return {
        "method": "POST",
        "body": body,
        "headers": ((b"content-type", content_type), (b"content-length", b"%d" % len(body))),
    }


SCENARIOS = [
    Scenario(
        "hello",
        "GET /hello, constant JSON",
        "GET",
        "/hello",
        200,
        equals({"message": "Hello, world"}),
    ),
    Scenario(
        "validation",
        "GET /items/42?q=abc&limit=10, typed path + query, 1 <= limit <= 100",
        "GET",
        "/items/42",
        200,
        equals({"item_id": 42, "q": "abc", "limit": 10}),
        query="q=abc&limit=10",
    ),
    Scenario(
        "body",
        "POST /chat, ChatEntry body echoed with status 201",
        path="/chat",
        status=201,
        check_body=equals({"version": "3.1", **CHAT_BODY}),
        **_json_post(CHAT_BODY),
    ),
    Scenario(
        "invalid_body",
        "POST /chat, bad timestamp + missing recipient -> 422",
        path="/chat",
        status=422,
        check_body=names_fields("timestamp", "recipient"),
        **_json_post(INVALID_CHAT_BODY),
    ),
    Scenario(
        "dependencies",
        "GET /deps?token=abc, handler <- c <- b <- a(token)",
        "GET",
        "/deps",
        200,
        equals({"depth": 3, "token": "abc"}),
        query="token=abc",
    ),
    Scenario(
        "routing",
        "GET /target/7, registered after 100 other routes",
        "GET",
        "/target/7",
        200,
        equals({"id": 7}),
    ),
    Scenario(
        "upload",
        "POST /upload, multipart form: a 16 KiB file and a text field",
        path="/upload",
        status=200,
        check_body=equals(UPLOAD_RESULT),
        **_multipart_post(),
    ),
    Scenario(
        "ws_echo",
        "WebSocket /ws: connect, 3 text messages echoed, client closes",
        "WEBSOCKET",
        "/ws",
        101,
        equals(None),
        messages=('{"message":"Hello, Bob"}', '{"message":"Hi, Alice"}', '{"message":"Bye"}'),
    ),
]

BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
