"""WebSockets: Starlette's classes, and :class:`TypedWebSocket` for typed messages.

A handler that names the models of the messages it receives and sends gets them
validated and serialised by pydantic-core; it never sees raw frames::

    @app.websocket("/echo/{room}")
    async def echo(ws: TypedWebSocket[ChatEntry, ChatEntry], room: str) -> None:
        async for entry in ws:          # each frame validated as a ChatEntry
            await ws.send(entry)        # serialised to one JSON text frame

A frame that is not a valid message (malformed JSON, wrong types, the wrong frame
type, too large) is answered with an error frame and the connection stays open::

    {"type": "error", "detail": [{"type": "missing", "loc": ["message", "recipient"],
                                  "msg": "Field required"}]}

After ``max_bad_messages`` such frames the connection is closed with 1007 (invalid
frame payload data). :class:`MessageOptions`, given in ``Annotated``, sets the limits::

    Chat = Annotated[TypedWebSocket[ChatEntry, ChatEntry], MessageOptions(max_size=4096)]

Close codes: 1000 normal, 1007 too many bad messages, 1008 handshake parameters that
failed validation (before accept), 1009 is the server's own frame size limit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import (
    Annotated,
    Any,
    Generic,
    Literal,
    NoReturn,
    Self,
    TypeVar,
    get_args,
    get_origin,
)

import anyio
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import URL, Headers, QueryParams, State
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import (
    WebSocket,
    WebSocketDisconnect,
    WebSocketDisconnected,
    WebSocketState,
)

from hinted._pydantic import errors_to_json

In = TypeVar("In")
Out = TypeVar("Out")

INVALID_PAYLOAD = 1007
"""Close code after too many bad messages (RFC 6455: invalid frame payload data)."""
POLICY_VIOLATION = 1008
"""Close code for handshake parameters that failed validation, sent before accept."""
DEFAULT_MAX_SIZE = 1024 * 1024
DEFAULT_MAX_BAD_MESSAGES = 10

FrameKind = Literal["text", "binary", "any"]


_CONNECTING = WebSocketState.CONNECTING
_CONNECTED = WebSocketState.CONNECTED
_DISCONNECTED = WebSocketState.DISCONNECTED
_NOT_ACCEPTED = 'WebSocket is not connected. Need to call "accept" first.'


def _unexpected(kind: str) -> NoReturn:
    """Starlette's error for a connected client's message other than data or disconnect."""
    raise RuntimeError(
        f'Expected ASGI message "websocket.receive" or "websocket.disconnect", but got {kind!r}'
    )


class LeanWebSocket(WebSocket):
    """Starlette's :class:`WebSocket` with shorter paths for the calls of a session.

    What hinted hands a handler that asks for a ``WebSocket``. Its behaviour is
    Starlette's: the same states, messages and exceptions. Only the common case, a
    connected socket receiving or sending, skips the general state machine of
    :meth:`receive` and :meth:`send`, which every other case still goes through.
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "websocket"
        self.scope = scope
        self._receive = receive
        self._send = send
        self.client_state = _CONNECTING
        self.application_state = _CONNECTING

    async def accept(
        self,
        subprotocol: str | None = None,
        headers: Iterable[tuple[bytes, bytes]] | None = None,
    ) -> None:
        if self.client_state is _CONNECTING:
            message = await self._receive()
            if message["type"] != "websocket.connect":
                raise RuntimeError(
                    f'Expected ASGI message "websocket.connect", but got {message["type"]!r}'
                )
            self.client_state = _CONNECTED
        message = {"type": "websocket.accept", "subprotocol": subprotocol, "headers": headers or []}
        if self.application_state is _CONNECTING:
            self.application_state = _CONNECTED
            await self._send(message)
        else:
            await self.send(message)  # raises as Starlette's does

    async def receive_text(self) -> str:
        if self.application_state is not _CONNECTED:
            raise WebSocketDisconnected(_NOT_ACCEPTED)
        if self.client_state is _CONNECTED:
            message = self._data(await self._receive())
        else:
            message = await self.receive()  # Starlette's checks and errors
            self._raise_on_disconnect(message)
        text: str = message["text"]
        return text

    async def receive_bytes(self) -> bytes:
        if self.application_state is not _CONNECTED:
            raise WebSocketDisconnected(_NOT_ACCEPTED)
        if self.client_state is _CONNECTED:
            message = self._data(await self._receive())
        else:
            message = await self.receive()  # Starlette's checks and errors
            self._raise_on_disconnect(message)
        data: bytes = message["bytes"]
        return data

    def _data(self, message: Message) -> Message:
        """A connected client's message, if it carries data; its disconnect, raised."""
        kind = message["type"]
        if kind != "websocket.receive":
            if kind != "websocket.disconnect":
                _unexpected(kind)
            self.client_state = _DISCONNECTED
            raise WebSocketDisconnect(message["code"], message.get("reason"))
        return message

    async def send_text(self, data: str) -> None:
        message = {"type": "websocket.send", "text": data}
        if self.application_state is not _CONNECTED:
            await self.send(message)  # Starlette's checks and errors
            return
        try:
            await self._send(message)
        except OSError:
            self.application_state = _DISCONNECTED
            raise WebSocketDisconnect(code=1006)  # noqa: B904 (as Starlette raises it)

    async def send_bytes(self, data: bytes) -> None:
        message = {"type": "websocket.send", "bytes": data}
        if self.application_state is not _CONNECTED:
            await self.send(message)  # Starlette's checks and errors
            return
        try:
            await self._send(message)
        except OSError:
            self.application_state = _DISCONNECTED
            raise WebSocketDisconnect(code=1006)  # noqa: B904 (as Starlette raises it)


@dataclasses.dataclass(frozen=True, slots=True)
class MessageOptions:
    """Limits of a :class:`TypedWebSocket`, given as ``Annotated[TypedWebSocket[...], ...]``.

    ``max_size``: the largest message accepted, in bytes (UTF-8 for text frames); a
    larger one is a bad message. ``None``: only the server's limit (uvicorn's
    ``--ws-max-size``, 16 MiB by default, past which it closes with 1009).
    ``max_bad_messages``: close with 1007 after this many bad messages (``None``: never).
    ``frames``: which frames carry messages; a frame of the other kind is a bad message.
    """

    max_size: int | None = DEFAULT_MAX_SIZE
    max_bad_messages: int | None = DEFAULT_MAX_BAD_MESSAGES
    frames: FrameKind = "any"

    def __post_init__(self) -> None:
        if self.max_size is not None and self.max_size < 1:
            raise ValueError("max_size must be at least 1 (or None)")
        if self.max_bad_messages is not None and self.max_bad_messages < 1:
            raise ValueError("max_bad_messages must be at least 1 (or None)")


class InvalidMessage(Exception):
    """A frame that is not a valid message; ``errors`` are pydantic-shaped dictionaries."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclasses.dataclass(frozen=True, slots=True)
class MessageCodec(Generic[In, Out]):
    """Validator and serialiser of one typed socket's messages, built once at startup."""

    incoming_type: Any
    outgoing_type: Any
    incoming: TypeAdapter[In]
    outgoing: TypeAdapter[Out]
    options: MessageOptions

    @classmethod
    def build(cls, incoming: Any, outgoing: Any, options: MessageOptions) -> MessageCodec[Any, Any]:
        return cls(incoming, outgoing, TypeAdapter(incoming), TypeAdapter(outgoing), options)

    def decode(self, message: Mapping[str, Any], app_limit: int | None = None) -> In:
        """Validate one ``websocket.receive`` message; raise :class:`InvalidMessage`.

        ``app_limit`` is the app's (or route's) ``Limits.max_websocket_message_size``;
        the smaller of it and this socket's own ``max_size`` applies.
        """
        text: str | None = message.get("text")
        data: str | bytes
        if text is not None:
            data, kind = text, "text"
        else:
            data, kind = message.get("bytes") or b"", "binary"
        options = self.options
        if options.frames != "any" and options.frames != kind:
            raise InvalidMessage([_frame_error(options.frames)])
        limit = options.max_size
        if app_limit is not None and (limit is None or app_limit < limit):
            limit = app_limit
        if limit is not None and _size_over(data, limit):
            raise InvalidMessage([_size_error(limit)])
        try:
            return self.incoming.validate_json(data)
        except ValidationError as exc:
            raise InvalidMessage(message_errors(exc)) from None

    def encode(self, value: Out) -> str:
        """One message as JSON text; a value of the wrong type is an error, not a warning."""
        return self.outgoing.dump_json(value, by_alias=True, warnings="error").decode()


def _size_over(data: str | bytes, limit: int) -> bool:
    if isinstance(data, bytes):
        return len(data) > limit
    if len(data) * 4 <= limit:  # no UTF-8 character takes more than 4 bytes
        return False
    return len(data) > limit or len(data.encode("utf-8", "surrogatepass")) > limit


def _frame_error(expected: str) -> dict[str, Any]:
    return {
        "type": "frame_type",
        "loc": ("message",),
        "msg": f"Messages are sent as {expected} frames",
        "ctx": {"expected": expected},
    }


def _size_error(limit: int) -> dict[str, Any]:
    return {
        "type": "message_too_large",
        "loc": ("message",),
        "msg": f"Message larger than {limit} bytes",
        "ctx": {"max_size": limit},
    }


def message_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors with ``"message"`` in front of each location, inputs left out.

    The input is not echoed: it may be large, and the client has it already.
    """
    errors: list[dict[str, Any]] = []
    for error in exc.errors(include_url=False, include_input=False):
        shaped: dict[str, Any] = dict(error)
        shaped["loc"] = ("message", *error["loc"])
        errors.append(shaped)
    return errors


def error_frame(errors: list[dict[str, Any]]) -> str:
    """The text of the frame that answers a bad message."""
    return errors_to_json({"type": "error", "detail": errors}).decode()


class TypedWebSocket(Generic[In, Out]):
    """A WebSocket whose messages are models: ``In`` received, ``Out`` sent.

    Ask for it by annotation, ``ws: TypedWebSocket[ChatEntry, ChatEntry]``. Iterating
    it yields valid messages until the client disconnects (or the socket is closed
    for too many bad messages); bad ones are answered with an error frame and skipped.
    Iteration, :meth:`receive` and :meth:`send` accept the connection first if the
    handler has not. The Starlette socket stays at hand as :attr:`websocket`.
    """

    __slots__ = ("_sending", "app_limit", "bad_messages", "codec", "on_too_large", "websocket")

    def __init__(
        self,
        websocket: WebSocket,
        codec: MessageCodec[In, Out],
        *,
        app_limit: int | None = None,
        on_too_large: Callable[[], None] | None = None,
    ) -> None:
        self.websocket = websocket
        self.codec = codec
        # Limits.max_websocket_message_size of the app or route, and who counts refusals.
        self.app_limit = app_limit
        self.on_too_large = on_too_large
        self.bad_messages = 0
        """How many bad messages this connection has sent so far."""
        # A task forwarding messages and the receive loop's error frames may send at
        # once: one frame at a time.
        self._sending = anyio.Lock()

    # -- the connection -----------------------------------------------------------------

    @property
    def options(self) -> MessageOptions:
        """The limits in force for this socket."""
        return self.codec.options

    @property
    def url(self) -> URL:
        return self.websocket.url

    @property
    def headers(self) -> Headers:
        return self.websocket.headers

    @property
    def query_params(self) -> QueryParams:
        return self.websocket.query_params

    @property
    def path_params(self) -> dict[str, Any]:
        return self.websocket.path_params

    @property
    def cookies(self) -> dict[str, str]:
        return self.websocket.cookies

    @property
    def state(self) -> State:
        return self.websocket.state

    @property
    def app(self) -> Any:
        return self.websocket.app

    @property
    def connected(self) -> bool:
        """True while both sides may still send."""
        ws = self.websocket
        return (
            ws.application_state is not WebSocketState.DISCONNECTED
            and ws.client_state is not WebSocketState.DISCONNECTED
        )

    async def accept(
        self, subprotocol: str | None = None, headers: Iterable[tuple[bytes, bytes]] | None = None
    ) -> None:
        """Accept the connection (done for you by the first receive or send)."""
        await self.websocket.accept(subprotocol, headers)

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection with ``code``; nothing happens if it is closed already."""
        if self.websocket.application_state is WebSocketState.DISCONNECTED:
            return
        if self.websocket.client_state is WebSocketState.DISCONNECTED:
            return
        async with self._sending:
            await self.websocket.close(code, reason)

    async def _ensure_accepted(self) -> None:
        if self.websocket.application_state is WebSocketState.CONNECTING:
            await self.websocket.accept()

    async def _send_text(self, text: str) -> None:
        await self._ensure_accepted()
        async with self._sending:
            await self.websocket.send({"type": "websocket.send", "text": text})

    # -- messages -----------------------------------------------------------------------

    async def receive(self) -> In:
        """The next valid message; bad ones are answered and skipped.

        Raises ``WebSocketDisconnect`` when the client leaves, or with code 1007 once
        this side closed the socket for too many bad messages.
        """
        await self._ensure_accepted()
        codec = self.codec
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
            try:
                return codec.decode(message, self.app_limit)
            except InvalidMessage as exc:
                if self.on_too_large is not None and exc.errors[0]["type"] == "message_too_large":
                    self.on_too_large()
                await self._refuse(exc.errors)

    async def _refuse(self, errors: list[dict[str, Any]]) -> None:
        self.bad_messages += 1
        await self._send_text(error_frame(errors))
        limit = self.codec.options.max_bad_messages
        if limit is not None and self.bad_messages >= limit:
            reason = "Too many invalid messages"
            await self.close(INVALID_PAYLOAD, reason)
            raise WebSocketDisconnect(INVALID_PAYLOAD, reason)

    async def send(self, message: Out) -> None:
        """Send ``message``, serialised by pydantic-core, as one JSON text frame."""
        await self._send_text(self.codec.encode(message))

    async def send_error(self, errors: list[dict[str, Any]]) -> None:
        """Send an error frame (``{"type": "error", "detail": errors}``) of your own."""
        await self._send_text(error_frame(errors))

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> In:
        try:
            return await self.receive()
        except WebSocketDisconnect:
            raise StopAsyncIteration from None


def typed_socket_types(annotation: Any) -> tuple[Any, Any, MessageOptions] | None:
    """``(In, Out, options)`` for a ``TypedWebSocket[In, Out]`` annotation, else None.

    ``Annotated[TypedWebSocket[In, Out], MessageOptions(...)]`` sets the options; a
    bare ``TypedWebSocket`` receives and sends any JSON value.
    """
    options = MessageOptions()
    if get_origin(annotation) is Annotated:
        base, *extras = get_args(annotation)
        found = [extra for extra in extras if isinstance(extra, MessageOptions)]
        if not found:
            return None
        options = found[-1]
        annotation = base
    if annotation is TypedWebSocket:
        return Any, Any, options
    origin = get_origin(annotation)
    if isinstance(origin, type) and issubclass(origin, TypedWebSocket):
        incoming, outgoing = get_args(annotation)
        return incoming, outgoing, options
    return None


__all__ = [
    "DEFAULT_MAX_BAD_MESSAGES",
    "DEFAULT_MAX_SIZE",
    "INVALID_PAYLOAD",
    "POLICY_VIOLATION",
    "InvalidMessage",
    "MessageCodec",
    "MessageOptions",
    "TypedWebSocket",
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketState",
    "error_frame",
    "message_errors",
    "typed_socket_types",
]
