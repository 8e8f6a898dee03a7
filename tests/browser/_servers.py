"""Real uvicorn servers on 127.0.0.1, and a log of what reached them.

Each server runs in a thread of its own and is stopped when its ``with`` block ends,
whatever happened inside it.
"""

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from hinted.types import ASGIApp, Message, Receive, Scope, Send
from tests._live import CHROMIUM
from tests._live import serve as live_serve

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


@contextlib.contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1; yields its origin (``http://host:port``)."""
    # Open event streams must not hold the test up when the server stops.
    with live_serve(app, start_timeout=10, lifespan="off", timeout_graceful_shutdown=1) as url:
        yield url


@dataclasses.dataclass
class Seen:
    """One request as it reached the server, and the answer it got."""

    method: str
    path: str
    headers: dict[str, str]
    status: int | None = None
    response_headers: dict[str, str] = dataclasses.field(default_factory=dict)


class RequestLog:
    """Pure ASGI middleware recording every HTTP request and its answer's head."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seen: list[Seen] = []

    def of(self, method: str, path: str | None = None) -> list[Seen]:
        return [s for s in self.seen if s.method == method and path in (None, s.path)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = Seen(scope["method"], scope["path"], _headers(scope["headers"]))
        self.seen.append(seen)

        async def noting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.status = message["status"]
                seen.response_headers = _headers(message.get("headers", []))
            await send(message)

        await self.app(scope, receive, noting_send)


def _headers(raw: Any) -> dict[str, str]:
    return {bytes(k).decode("latin-1").lower(): bytes(v).decode("latin-1") for k, v in raw}
