"""``Server-Timing``: how long the app took, in a header browsers' dev tools show."""

from __future__ import annotations

import time

from hinted.types import ASGIApp, Message, Receive, Scope, Send


class TimingMiddleware:
    """Add ``Server-Timing: app;dur=<milliseconds>`` (time until the response started)."""

    def __init__(self, app: ASGIApp, *, metric: str = "app") -> None:
        self.app = app
        self.metric = metric

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = (time.perf_counter() - started) * 1000
                value = f"{self.metric};dur={elapsed:.3f}".encode("latin-1")
                message["headers"] = [*message.get("headers", ()), (b"server-timing", value)]
            await send(message)

        await self.app(scope, receive, send_with_timing)


__all__ = ["TimingMiddleware"]
