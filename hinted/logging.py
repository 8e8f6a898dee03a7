"""Request-scoped, structured logs.

:class:`RequestLogMiddleware` writes one record per request (method, path, status,
duration, request id) to the ``hinted.access`` logger; :class:`JSONFormatter` renders
any record as one JSON object, adding the current request id, so every line a
handler logs can be joined to its request.

```python
configure_logging(json=True)              # JSON lines on stderr, level INFO
app.add_middleware(RequestLogMiddleware)
app.add_middleware(RequestIDMiddleware)   # outermost: ids reach the access log too
```

When the access logger is not enabled for INFO the middleware passes requests
straight through: nothing is measured or built.
"""

from __future__ import annotations

import json as jsonlib
import logging
import sys
import time
from typing import Any

from hinted.middleware.requestid import get_request_id
from hinted.types import ASGIApp, Message, Receive, Scope, Send

access_logger = logging.getLogger("hinted.access")

_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime"}
)


class JSONFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or get_request_id()
        if request_id is not None:
            document["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and key not in document:
                document[key] = value
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return jsonlib.dumps(document, default=str)


def configure_logging(*, json: bool = False, level: int | str = logging.INFO) -> None:
    """Log hinted's records (and your own) to stderr, as JSON lines or plain text."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JSONFormatter()
        if json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class RequestLogMiddleware:
    """Log each HTTP request once it is answered: method, path, status, duration (ms)."""

    def __init__(self, app: ASGIApp, *, logger: logging.Logger = access_logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            duration = round((time.perf_counter() - started) * 1000, 3)
            self.logger.info(
                "%s %s %d %.3fms",
                scope["method"],
                scope["path"],
                status,
                duration,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": duration,
                    "request_id": get_request_id(),
                },
            )


__all__ = ["JSONFormatter", "RequestLogMiddleware", "access_logger", "configure_logging"]
