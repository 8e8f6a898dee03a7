"""``@app.middleware("http")`` as pure ASGI: the app runs in the request's own task.

Starlette's ``BaseHTTPMiddleware`` runs the rest of the app in a separate task, so a
context variable set by a handler is lost to the middleware and to the server's task,
and cancellation and background tasks behave surprisingly. Here ``call_next`` awaits
the app in the same task:

- a response with a known body (the usual JSON answer) is captured and returned as
  a ``Response`` the middleware can change;
- a streamed response (``StreamingResponse``, server-sent events, files) returned
  by a hinted handler is handed over as the response object itself, unsent, so it
  still streams once the middleware returns it.

A streamed response from a foreign ASGI app (a mount) is captured whole before
``call_next`` returns; keep endless streams out of such apps, or put this middleware
outside them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from hinted.types import ASGIApp, Message, Receive, Scope, Send

CallNext = Callable[[Request], Awaitable[Response]]
Dispatch = Callable[[Request, CallNext], Awaitable[Response]]

HANDOVER_KEY = "hinted.response_handover"
"""Scope key under which ``call_next`` offers to take a streamed response unsent."""


class ResponseHandover:
    """A slot a hinted endpoint fills with its streamed response instead of sending it."""

    __slots__ = ("response", "send")

    def __init__(self, send: Send) -> None:
        self.send = send  # only an endpoint given exactly this send may hand over
        self.response: Response | None = None


def offer_handover(scope: Scope, send: Send, response: Response) -> bool:
    """Hand ``response`` to an enclosing ``call_next`` if one waits for it directly."""
    handover: ResponseHandover | None = scope.get(HANDOVER_KEY)
    if handover is None or handover.send is not send or handover.response is not None:
        return False
    handover.response = response
    return True


class _CapturedResponse(Response):
    """A response rebuilt from the ASGI messages the app sent."""

    def __init__(self, status_code: int, raw_headers: list[tuple[bytes, bytes]], body: bytes):
        super().__init__(content=body, status_code=status_code)
        self.raw_headers = list(raw_headers)


class FunctionMiddleware:
    """Runs ``dispatch(request, call_next)`` around the app, in the same task."""

    def __init__(self, app: ASGIApp, dispatch: Dispatch) -> None:
        self.app = app
        self.dispatch = dispatch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)

        async def call_next(request_: Request) -> Response:
            return await self._call_app(scope, request_, receive)

        response = await self.dispatch(request, call_next)
        if not offer_handover(scope, send, response):  # an outer call_next may take it
            await response(scope, receive, send)

    async def _call_app(self, scope: Scope, request: Request, receive: Receive) -> Response:
        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        started = False

        async def capture(message: Message) -> None:
            nonlocal status, headers, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        handover = ResponseHandover(capture)
        inner_scope = dict(scope)
        inner_scope[HANDOVER_KEY] = handover
        await self.app(inner_scope, _replaying(request, receive), capture)
        if handover.response is not None:
            return handover.response
        if not started:
            raise RuntimeError("No response returned.")
        return _CapturedResponse(status, headers, b"".join(chunks))


def _replaying(request: Request, receive: Receive) -> Receive:
    """A receive that first replays a body the middleware already read."""
    replayed = False

    async def wrapped() -> Message:
        nonlocal replayed
        body: bytes | None = getattr(request, "_body", None)
        if body is not None and not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return wrapped


def make_function_middleware(dispatch: Dispatch) -> Callable[[ASGIApp], Any]:
    """A middleware factory for ``App.add_middleware``."""

    def factory(app: ASGIApp) -> FunctionMiddleware:
        return FunctionMiddleware(app, dispatch)

    return factory


__all__ = ["HANDOVER_KEY", "FunctionMiddleware", "ResponseHandover", "offer_handover"]
