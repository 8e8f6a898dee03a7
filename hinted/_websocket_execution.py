"""Executing an endpoint plan for one WebSocket connection.

Handshake values (path, query, headers, cookies) are validated before the handler
runs; a failure closes the connection with 1008 and a JSON reason, before accept.
"""

from __future__ import annotations

from typing import Any

from starlette.websockets import WebSocket

from hinted._execution import Endpoint, RequestContext
from hinted._signature import SpecialKind
from hinted.exceptions import RequestValidationError, WebSocketRequestValidationError
from hinted.types import Receive, Scope, Send
from hinted.websockets import MessageCodec, TypedWebSocket


class WebSocketContext(RequestContext):
    """A request context whose connection object is a :class:`WebSocket`."""

    __slots__ = ("limits_of", "typed")

    def __init__(
        self, scope: Scope, receive: Receive, send: Send, limits_of: Endpoint | None = None
    ) -> None:
        super().__init__(scope, receive, send)
        self.limits_of = limits_of  # the endpoint whose Limits and app apply
        # One TypedWebSocket per connection, so a dependency and the handler that both
        # ask for it share its count of bad messages.
        self.typed: TypedWebSocket[Any, Any] | None = None

    def get_request(self) -> Any:
        if self.request is None:
            self.request = WebSocket(self.scope, self.receive, self.send)  # type: ignore[assignment]
        return self.request

    def special(self, kind: SpecialKind, step: Any) -> Any:
        if kind in (SpecialKind.WEBSOCKET, SpecialKind.CONNECTION):
            return self.get_request()
        if kind is SpecialKind.TYPED_WEBSOCKET:
            return self.typed_websocket(step.messages)
        if kind is SpecialKind.REQUEST:
            raise RuntimeError("A WebSocket handler cannot ask for a Request; ask for WebSocket")
        return super().special(kind, step)

    def typed_websocket(self, codec: MessageCodec[Any, Any]) -> TypedWebSocket[Any, Any]:
        typed = self.typed
        if typed is None or typed.codec is not codec:
            endpoint = self.limits_of
            if endpoint is None:
                typed = TypedWebSocket(self.get_request(), codec)
            else:
                name = "max_websocket_message_size"
                hits = endpoint.app.limit_hits
                typed = TypedWebSocket(
                    self.get_request(),
                    codec,
                    app_limit=endpoint.limits.max_websocket_message_size,
                    on_too_large=lambda: hits.update((name,)),
                )
            self.typed = typed
        return typed


class WebSocketEndpoint(Endpoint):
    """A WebSocket route bound to an app."""

    __slots__ = ()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.plan
        context = WebSocketContext(scope, receive, send, self)
        error: BaseException | None = None
        try:
            try:
                values = await self.read_values(scope, receive, context)
            except RequestValidationError as exc:
                raise WebSocketRequestValidationError(exc.errors()) from None
            results: list[Any] = []
            for step in plan.steps:
                results.append(await self.run_step(step, values, results, context))
            await self.run_step(plan.endpoint, values, results, context)
        except Exception as exc:
            error = exc
            await self.app.handle_exception(exc, scope, receive, send, context.request)
        except BaseException as exc:  # cancelled: the dependencies see it, not a success
            error = exc
            raise
        finally:
            if context.exits:
                await context.close(error)


__all__ = ["WebSocketEndpoint"]
