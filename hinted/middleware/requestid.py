"""Request ids: one per request, in a header both ways and in every log line.

```python
app.add_middleware(RequestIDMiddleware)   # reads or makes X-Request-ID

def handler() -> dict[str, str | None]:
    return {"request_id": get_request_id()}
```
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable

from hinted.types import ASGIApp, Message, Receive, Scope, Send

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "hinted_request_id", default=None
)


def get_request_id() -> str | None:
    """The id of the request being handled in this task (None outside a request)."""
    return _request_id.get()


def _new_id() -> str:
    return uuid.uuid4().hex


def _acceptable(value: bytes, max_length: int) -> bool:
    # Printable ASCII only: an id goes into logs and headers verbatim.
    return 0 < len(value) <= max_length and all(0x21 <= byte <= 0x7E for byte in value)


class RequestIDMiddleware:
    """Give each request an id: the client's ``X-Request-ID`` if sane, else a new one.

    The id is echoed in the response header, stored in ``request.state.request_id``
    and available anywhere in the request's task through :func:`get_request_id`.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        header_name: str = "X-Request-ID",
        trust_incoming: bool = True,
        make_id: Callable[[], str] = _new_id,
        max_length: int = 128,
    ) -> None:
        self.app = app
        self.header = header_name.lower().encode("latin-1")
        self.trust_incoming = trust_incoming
        self.make_id = make_id
        self.max_length = max_length

    def _incoming(self, scope: Scope) -> str | None:
        if not self.trust_incoming:
            return None
        for name, value in scope.get("headers", ()):
            if name == self.header:
                return value.decode("latin-1") if _acceptable(value, self.max_length) else None
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = self._incoming(scope) or self.make_id()
        scope.setdefault("state", {})["request_id"] = request_id
        header = (self.header, request_id.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        token = _request_id.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(token)


__all__ = ["RequestIDMiddleware", "get_request_id"]
