"""GraphQL subscriptions (and queries) over WebSocket: the graphql-transport-ws protocol.

The protocol of the ``graphql-ws`` library (its sub-protocol name is
``graphql-transport-ws``), which GraphiQL, Apollo Client and urql speak::

    client                              server
    connection_init {payload?}   ->
                                 <-     connection_ack
    subscribe {id, payload}      ->
                                 <-     next {id, payload: result}      (any number)
                                 <-     complete {id}  or  error {id, payload: [errors]}
    complete {id}                ->     (the client stops an operation)
    ping / pong                  <->

Protocol violations close the socket with the protocol's codes: 4400 bad message,
4401 subscribe before the acknowledgement, 4406 another sub-protocol, 4408 no
``connection_init`` in time, 4409 an id already in use, 4429 a second
``connection_init``.

Each operation runs in its own task with its own context: the WebSocket as
``request`` (and ``websocket``), the ``connection_init`` payload as
``connection_params``, and the context dependencies, resolved when the operation
starts and finished when it ends.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc
from graphql import ExecutionResult, GraphQLError, OperationType
from starlette.exceptions import HTTPException
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from hinted._narrowing import is_dict
from hinted.exceptions import WebSocketException
from hinted.graphql._context import thread_limiter
from hinted.graphql._operation import RequestError, format_error, resolver_exception
from hinted.graphql._request import BadRequest, params_from_mapping
from hinted.types import Receive, Scope, Send

if TYPE_CHECKING:
    from hinted.graphql._app import GraphQL

PROTOCOL = "graphql-transport-ws"
logger = logging.getLogger("hinted.graphql")


class _Close(Exception):
    """Close the connection with ``code`` and ``reason``."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


async def serve_websocket(graphql: GraphQL, scope: Scope, receive: Receive, send: Send) -> None:
    """Accept the connection and speak graphql-transport-ws until either side closes."""
    websocket = WebSocket(scope, receive, send)
    if not graphql.subscriptions or PROTOCOL not in scope.get("subprotocols", ()):
        await websocket.accept()
        await websocket.close(4406, "Subprotocol not acceptable")
        return
    await websocket.accept(subprotocol=PROTOCOL)
    await _Session(graphql, websocket).run()


class _Session:
    """One connection: its state, its running operations, one sender at a time."""

    def __init__(self, graphql: GraphQL, websocket: WebSocket) -> None:
        self.graphql = graphql
        self.websocket = websocket
        self.acknowledged = False
        self.initialising = False
        self.connection_params: dict[str, Any] = {}
        self.operations: dict[str, anyio.CancelScope] = {}
        self.send_lock = anyio.Lock()
        self.task_group: anyio.abc.TaskGroup | None = None

    async def run(self) -> None:
        try:
            async with anyio.create_task_group() as task_group:
                self.task_group = task_group
                task_group.start_soon(self._expect_init)
                await self._read()
                task_group.cancel_scope.cancel()
        except* _Close as group:
            close = group.exceptions[0]
            assert isinstance(close, _Close)
            await self._close(close.code, close.reason)

    async def _close(self, code: int, reason: str) -> None:
        if self.websocket.application_state is not WebSocketState.DISCONNECTED:
            with contextlib.suppress(RuntimeError, OSError):  # the client is already gone
                await self.websocket.close(code, reason)

    async def _expect_init(self) -> None:
        await anyio.sleep(self.graphql.connection_init_timeout)
        if not self.initialising:
            raise _Close(4408, "Connection initialisation timeout")

    async def _read(self) -> None:
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                data = message.get("bytes") or b""
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    raise _Close(4400, "Invalid message received") from None
            await self._handle(_decode(text))

    async def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "connection_init":
            if self.initialising:
                raise _Close(4429, "Too many initialisation requests")
            self.initialising = True
            payload = message.get("payload")
            if payload is not None and not isinstance(payload, dict):
                raise _Close(4400, "The connection_init payload must be an object")
            self.connection_params = payload or {}
            self.acknowledged = True
            await self.send({"type": "connection_ack"})
        elif kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "pong":
            return
        elif kind == "subscribe":
            await self._subscribe(message)
        elif kind == "complete":
            scope = self.operations.pop(_message_id(message), None)
            if scope is not None:
                scope.cancel()
        else:
            raise _Close(4400, f"Unknown message type {kind!r}")

    async def _subscribe(self, message: dict[str, Any]) -> None:
        if not self.acknowledged:
            raise _Close(4401, "Unauthorized")
        operation_id = _message_id(message)
        if operation_id in self.operations:
            raise _Close(4409, f"Subscriber for {operation_id} already exists")
        try:
            params = params_from_mapping(message.get("payload"))
        except BadRequest as exc:
            raise _Close(4400, exc.message) from None
        scope = anyio.CancelScope()
        self.operations[operation_id] = scope
        assert self.task_group is not None
        self.task_group.start_soon(self._operation, operation_id, params, scope)

    async def send(self, message: dict[str, Any]) -> None:
        text = json.dumps(message, separators=(",", ":"), default=str)
        async with self.send_lock:
            if self.websocket.application_state is not WebSocketState.CONNECTED:
                return
            try:
                await self.websocket.send_text(text)
            except (OSError, RuntimeError, WebSocketDisconnect):
                # The client left; the read loop sees the disconnect and stops everything.
                return

    async def _operation(self, operation_id: str, params: Any, scope: anyio.CancelScope) -> None:
        with scope:
            try:
                await self._run(operation_id, params)
            except RequestError as exc:
                await self._error(operation_id, [format_error(e) for e in exc.errors])
            except _Close:
                raise
            except Exception:
                logger.exception("GraphQL operation %s failed", operation_id)
                await self._error(operation_id, [{"message": "Internal server error"}])
            finally:
                if self.operations.get(operation_id) is scope:
                    del self.operations[operation_id]

    async def _error(self, operation_id: str, errors: list[dict[str, Any]]) -> None:
        self.operations.pop(operation_id, None)
        await self.send({"id": operation_id, "type": "error", "payload": errors})

    async def _run(self, operation_id: str, params: Any) -> None:
        graphql = self.graphql
        prepared = graphql.operations.prepare(params)
        websocket = self.websocket
        plan = graphql.context_plan
        context = plan.base(
            websocket, websocket=websocket, connection_params=self.connection_params
        )
        state = plan.start(websocket.scope, websocket.receive, websocket.send, websocket)
        error: Exception | None = None
        try:
            try:
                context_value = await plan.resolve(context, state)
            except WebSocketException as exc:
                raise _Close(exc.code, exc.reason or "") from exc
            except HTTPException as exc:
                error = exc
                await self._error(
                    operation_id,
                    [{"message": exc.detail, "extensions": {"status": exc.status_code}}],
                )
                return
            if prepared.kind is OperationType.SUBSCRIPTION:
                await self._stream(operation_id, prepared, context_value)
            else:
                limiter = thread_limiter(websocket.scope)
                result = await graphql.operations.execute(prepared, context_value, limiter)
                error = resolver_exception(result)
                await self._next(operation_id, result)
            self.operations.pop(operation_id, None)
            await self.send({"id": operation_id, "type": "complete"})
        except Exception as exc:
            error = exc
            raise
        finally:
            if state.exits:
                with anyio.CancelScope(shield=True):
                    await state.close(error)

    async def _stream(self, operation_id: str, prepared: Any, context: Any) -> None:
        outcome = await self.graphql.operations.subscribe(prepared, context)
        if isinstance(outcome, ExecutionResult):
            errors = outcome.errors or [GraphQLError("The subscription did not start.")]
            raise RequestError(errors)
        try:
            async for result in outcome:
                await self._next(operation_id, result)
        finally:
            with anyio.CancelScope(shield=True):
                await _aclose(outcome)

    async def _next(self, operation_id: str, result: ExecutionResult) -> None:
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [format_error(error) for error in result.errors]
        if result.extensions:
            payload["extensions"] = result.extensions
        await self.send({"id": operation_id, "type": "next", "payload": payload})


async def _aclose(iterator: AsyncIterator[Any]) -> None:
    close = getattr(iterator, "aclose", None)
    if close is not None:
        await close()


def _decode(text: str) -> dict[str, Any]:
    try:
        message = json.loads(text)
    except ValueError:
        raise _Close(4400, "Invalid message received") from None
    if not is_dict(message) or not isinstance(message.get("type"), str):
        raise _Close(4400, "Invalid message received")
    return message


def _message_id(message: dict[str, Any]) -> str:
    operation_id = message.get("id")
    if not isinstance(operation_id, str) or not operation_id:
        raise _Close(4400, f"The {message['type']} message needs an id")
    return operation_id


__all__ = ["PROTOCOL", "serve_websocket"]
