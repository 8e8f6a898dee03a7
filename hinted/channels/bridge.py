"""A WebSocket connected to channels both ways: :meth:`Channels.bridge`.

Two tasks run side by side until either ends:

* channel -> socket: every message of the subscribed channels is sent as a text frame
  (a binary frame when its bytes are not UTF-8);
* socket -> channel: every frame received is published to ``publish_to`` (the first
  channel by default); with ``incoming`` it is validated first, and an invalid frame
  is answered with ``{"error": "invalid message", "detail": [...]}`` and not published.

How the socket is closed says why the bridge ended: the client left (nothing to
close), channels stopped (1001 Going Away), the subscriber fell behind under the
``"disconnect"`` policy (1013 Try Again Later).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any, TypeGuard

import pydantic_core
from pydantic import TypeAdapter, ValidationError
from starlette.websockets import WebSocketDisconnect, WebSocketState

from hinted.channels.backends.base import ChannelsUnavailableError, SlowConsumerError

if TYPE_CHECKING:
    from starlette.websockets import WebSocket

    from hinted.channels.hub import Channels
    from hinted.channels.subscription import Subscription

GOING_AWAY = 1001
TRY_AGAIN_LATER = 1013

_adapters: dict[Any, TypeAdapter[Any]] = {}


def _is_adapter(value: object) -> TypeGuard[TypeAdapter[Any]]:
    """``isinstance(value, TypeAdapter)``, as ``TypeAdapter[Any]``."""
    return isinstance(value, TypeAdapter)


def adapter_for(incoming: Any) -> TypeAdapter[Any] | None:
    """A (cached) ``TypeAdapter`` for ``incoming``: a type, an annotation or an adapter."""
    if incoming is None:
        return None
    if _is_adapter(incoming):
        return incoming
    try:
        cached = _adapters.get(incoming)
    except TypeError:  # an unhashable annotation: build it each time
        return TypeAdapter(incoming)
    if cached is None:
        cached = _adapters[incoming] = TypeAdapter(incoming)
    return cached


class _Socket:
    """The bridge's view of the WebSocket: sends serialised by one lock."""

    __slots__ = ("_lock", "websocket")

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self._lock = asyncio.Lock()

    async def send(self, data: bytes) -> None:
        message: dict[str, Any]
        try:
            message = {"type": "websocket.send", "text": data.decode()}
        except UnicodeDecodeError:
            message = {"type": "websocket.send", "bytes": data}
        async with self._lock:
            await self.websocket.send(message)

    async def send_error(self, error: str, detail: Any) -> None:
        body = pydantic_core.to_json({"error": error, "detail": detail}, fallback=str)
        await self.send(body)

    async def close(self, code: int) -> None:
        # The client may have gone already; closing twice is not an error here.
        with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
            if self.websocket.application_state is not WebSocketState.DISCONNECTED:
                async with self._lock:
                    await self.websocket.close(code)


async def _forward(subscription: Subscription, socket: _Socket) -> None:
    async for message in subscription:
        await socket.send(message.data)


async def _watch_overflow(subscription: Subscription) -> None:
    # The sender may be stuck in a send to a client that does not read: the overflow
    # must end the bridge without waiting for it.
    await subscription.wait_closed()
    if subscription.error is not None:
        raise subscription.error
    await asyncio.Event().wait()  # a normal close is the sender's to report, once drained


async def _publish_frames(
    channels: Channels, socket: _Socket, channel: str, adapter: TypeAdapter[Any] | None
) -> None:
    websocket = socket.websocket
    while True:
        frame = await websocket.receive()
        if frame["type"] == "websocket.disconnect":
            return
        raw: bytes | None = frame.get("bytes")
        data: bytes | str = raw if raw is not None else (frame.get("text") or "")
        if adapter is not None:
            try:
                value = adapter.validate_json(data)
            except ValidationError as exc:
                await socket.send_error("invalid message", exc.errors(include_url=False))
                continue
            data = adapter.dump_json(value)
        try:
            await channels.publish(channel, data)
        except ChannelsUnavailableError as exc:
            await socket.send_error("unavailable", str(exc))


async def bridge(
    channels: Channels,
    websocket: WebSocket,
    *names: str,
    incoming: Any = None,
    publish_to: str | None = None,
) -> None:
    """Accept ``websocket`` (unless already accepted) and bridge it to ``names``.

    Returns when either side ends, with the subscription released and its tasks done.
    """
    if not names:
        raise ValueError("bridge() needs at least one channel")
    adapter = adapter_for(incoming)
    target = publish_to if publish_to is not None else names[0]
    if websocket.client_state is WebSocketState.CONNECTING:
        await websocket.accept()
    socket = _Socket(websocket)
    async with channels.subscribe(*names) as subscription:
        sender = asyncio.create_task(_forward(subscription, socket))
        receiver = asyncio.create_task(_publish_frames(channels, socket, target, adapter))
        watcher = asyncio.create_task(_watch_overflow(subscription))
        tasks = (sender, receiver, watcher)
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            # asyncio.wait, not gather: gather adds a cancel request of its own to this
            # task, which an anyio cancel scope (TestClient, Starlette) then fails to absorb.
            await asyncio.wait(tasks)
    if receiver in done:
        error = receiver.exception()
        if error is None or isinstance(error, WebSocketDisconnect):
            return  # the client left
        raise error
    error = (watcher if watcher in done else sender).exception()
    if error is None:
        await socket.close(GOING_AWAY)  # channels stopped
    elif isinstance(error, SlowConsumerError):
        await socket.close(TRY_AGAIN_LATER)
    elif not isinstance(error, WebSocketDisconnect):
        raise error


__all__ = ["GOING_AWAY", "TRY_AGAIN_LATER", "adapter_for", "bridge"]
