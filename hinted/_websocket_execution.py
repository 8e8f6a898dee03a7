"""Executing an endpoint plan for one WebSocket connection.

Handshake values (path, query, headers, cookies) are validated before the handler
runs; a failure closes the connection with 1008 and a JSON reason, before accept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from hinted._encoding import ResponseEncoder
from hinted._execution import Endpoint, RequestContext
from hinted._plan import FROM_SPECIAL, FROM_VALUES, EndpointPlan
from hinted._signature import CallKind, SpecialKind
from hinted.exceptions import RequestValidationError, WebSocketRequestValidationError
from hinted.types import Receive, Scope, Send
from hinted.websockets import LeanWebSocket, MessageCodec, TypedWebSocket

if TYPE_CHECKING:
    from hinted.app import App

_SOCKET_KINDS = (SpecialKind.WEBSOCKET, SpecialKind.CONNECTION)
_NO_VALUES: dict[str, Any] = {}  # never changed


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
            self.request = LeanWebSocket(self.scope, self.receive, self.send)  # type: ignore[assignment]
        return self.request

    def special(self, kind: SpecialKind, step: Any) -> Any:
        if kind in _SOCKET_KINDS:
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


def _direct_arguments(plan: EndpointPlan) -> tuple[tuple[str, str | None], ...] | None:
    """The handler's arguments when it can be called without a context, else None.

    That is a coroutine function with no dependencies whose arguments are the socket
    (at least once) and request values: ``(name, key in the values or None for the
    socket)``. Nothing it takes needs cleaning up, nothing but the socket is built.
    """
    step = plan.endpoint
    if plan.steps or step.kind is not CallKind.ASYNC or plan.body is not None:
        return None
    if plan.form is not None:
        return None
    arguments: list[tuple[str, str | None]] = []
    for name, origin, ref in step.args:
        if origin == FROM_SPECIAL and ref in _SOCKET_KINDS:
            arguments.append((name, None))
        elif origin == FROM_VALUES:
            arguments.append((name, ref))
        else:
            return None
    if all(key is not None for _, key in arguments):
        return None  # no socket: handle_exception gets no connection, as before
    return tuple(arguments)


class WebSocketEndpoint(Endpoint):
    """A WebSocket route bound to an app."""

    __slots__ = ("direct_arguments",)

    def __init__(
        self,
        app: App,
        plan: EndpointPlan,
        encoder: ResponseEncoder,
        status_code: int,
        response_class: type[Response],
        fast_json: bool,
    ) -> None:
        super().__init__(app, plan, encoder, status_code, response_class, fast_json)
        self.direct_arguments = _direct_arguments(plan)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        arguments = self.direct_arguments
        if arguments is None:
            await self._call_with_context(scope, receive, send)
            return
        # The handler takes the socket and request values only: no context to build.
        websocket: LeanWebSocket | None = None
        try:
            values = _NO_VALUES
            if self.reads_request:
                values = await self._handshake_values(scope, receive, None)
            websocket = LeanWebSocket(scope, receive, send)
            if len(arguments) == 1:  # the socket alone
                await self.plan.endpoint.call(**{arguments[0][0]: websocket})
            else:
                kwargs = {
                    name: websocket if key is None else values[key] for name, key in arguments
                }
                await self.plan.endpoint.call(**kwargs)
        except Exception as exc:
            await self.app.handle_exception(exc, scope, receive, send, websocket)

    async def _handshake_values(
        self, scope: Scope, receive: Receive, context: WebSocketContext | None
    ) -> dict[str, Any]:
        """The request values of the handshake; invalid ones close the socket with 1008."""
        try:
            return await self.read_values(scope, receive, context)
        except RequestValidationError as exc:
            raise WebSocketRequestValidationError(exc.errors()) from None

    async def _call_with_context(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.plan
        context = WebSocketContext(scope, receive, send, self)
        error: BaseException | None = None
        try:
            values = await self._handshake_values(scope, receive, context)
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
