"""``Channels``: publish/subscribe by channel name over a :class:`ChannelBackend`.

One reader task per process takes ``(channel, data)`` from the backend and hands each
message to the queues of that channel's local subscribers, without waiting on any of
them. The backend sees each channel once, however many local subscribers it has
(reference counting by the set of subscribers per channel).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Iterable
from typing import TYPE_CHECKING, Any, TypedDict, TypeGuard

import pydantic_core

from hinted.channels.backends.base import (
    ChannelBackend,
    ChannelsNotStartedError,
    ChannelsUnavailableError,
)
from hinted.channels.backends.memory import MemoryBackend
from hinted.channels.subscription import ChannelMessage, Overflow, Subscription

if TYPE_CHECKING:
    from starlette.websockets import WebSocket

logger = logging.getLogger("hinted.channels")


class ChannelsHealth(TypedDict):
    """What :meth:`Channels.health` reports."""

    backend: str
    connected: bool
    reconnects: int
    subscribers: int
    channels: int
    dropped: int
    slow_disconnects: int
    last_error: str | None


def _is_buffer(value: object) -> TypeGuard[bytearray | memoryview[Any]]:
    """``isinstance(value, bytearray | memoryview)``."""
    return isinstance(value, bytearray | memoryview)


def encode(message: Any) -> bytes:
    """The bytes published for ``message``: str as UTF-8, bytes as is, anything else as JSON."""
    if isinstance(message, bytes):
        return message
    if isinstance(message, str):
        return message.encode()
    if _is_buffer(message):
        return bytes(message)
    return pydantic_core.to_json(message)


class Channels:
    """Publish/subscribe by channel name, in one process or many.

    ```python
    channels = Channels()  # in-memory; Channels(RedisBackend(url)) across processes
    app = App(lifespan=channels.lifespan)

    @app.post("/rooms/{room}")
    async def post(room: str, entry: ChatEntry) -> None:
        await channels.publish(f"room:{room}", entry)

    @app.websocket("/ws/rooms/{room}")
    async def ws(websocket: WebSocket, room: str) -> None:
        await channels.bridge(websocket, f"room:{room}", incoming=ChatEntry)
    ```

    Each subscription queues at most ``queue_size`` messages; ``overflow`` says what
    happens to a subscriber that falls further behind (:data:`Overflow`).
    """

    def __init__(
        self,
        backend: ChannelBackend | None = None,
        *,
        queue_size: int = 1000,
        overflow: Overflow = "drop_oldest",
    ) -> None:
        if queue_size < 1:
            raise ValueError("queue_size must be at least 1")
        if overflow not in ("drop_oldest", "disconnect"):
            raise ValueError(f"overflow must be 'drop_oldest' or 'disconnect', not {overflow!r}")
        self.backend = backend if backend is not None else MemoryBackend()
        self.queue_size = queue_size
        self.overflow: Overflow = overflow
        self._subscribers: dict[str, set[Subscription]] = {}
        self._fanout: dict[str, tuple[Subscription, ...]] = {}
        self._attached: set[str] = set()
        self._lock = asyncio.Lock()
        self._reader: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._dropped_closed = 0
        self._slow_disconnects = 0
        self._started = False

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._started

    async def start(self) -> None:
        """Connect the backend and start the reader task."""
        if self._started:
            return
        self._lock = asyncio.Lock()  # bound to the running loop
        await self.backend.connect()
        self._reader = asyncio.create_task(self._read(), name="hinted.channels reader")
        self._started = True

    async def stop(self) -> None:
        """End every subscription, cancel the reader and close the backend."""
        if not self._started:
            return
        self._started = False
        for subscribers in list(self._subscribers.values()):
            for subscription in list(subscribers):
                subscription.close()
        tasks = [*self._tasks, *([self._reader] if self._reader is not None else [])]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        self._reader = None
        self._attached.clear()
        await self.backend.close()

    async def __aenter__(self) -> Channels:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any = None) -> AsyncGenerator[None, None]:
        """Run channels for the app's lifetime: ``App(lifespan=channels.lifespan)``."""
        async with self:
            yield

    def _require_started(self) -> None:
        if not self._started:
            raise ChannelsNotStartedError(
                "Channels is not running: pass lifespan=channels.lifespan to App "
                "(and use TestClient as a context manager), or use `async with channels:`"
            )

    # -- publishing ------------------------------------------------------------------------

    async def publish(self, channel: str, message: Any) -> None:
        """Publish ``message`` to ``channel``.

        ``str`` is sent as UTF-8, ``bytes`` as is, anything else (dicts, lists, pydantic
        models, dataclasses…) as JSON through pydantic-core. Raises
        :class:`ChannelsUnavailableError` when the backend cannot take it.
        """
        self._require_started()
        data = encode(message)
        try:
            await self.backend.publish(channel, data)
        except ChannelsUnavailableError:
            raise
        except (ConnectionError, OSError, TimeoutError) as exc:
            raise ChannelsUnavailableError(
                f"could not publish to {channel!r} on the {self.backend.name} backend: {exc}"
            ) from exc

    async def publish_many(self, channel: str, messages: Iterable[Any]) -> None:
        """Publish each of ``messages`` to ``channel``, in order, in as few round trips as
        the backend allows (Redis: pipelines). Encoded like :meth:`publish`.

        If it raises :class:`ChannelsUnavailableError`, a first part may have been published.
        """
        self._require_started()
        data = [encode(message) for message in messages]
        try:
            await self.backend.publish_many(channel, data)
        except ChannelsUnavailableError:
            raise
        except (ConnectionError, OSError, TimeoutError) as exc:
            raise ChannelsUnavailableError(
                f"could not publish to {channel!r} on the {self.backend.name} backend: {exc}"
            ) from exc

    # -- subscribing -----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def subscribe(
        self,
        *channels: str,
        queue_size: int | None = None,
        overflow: Overflow | None = None,
    ) -> AsyncGenerator[Subscription, None]:
        """Receive the messages of ``channels`` published from now on, until the block exits.

        ``queue_size`` and ``overflow`` override the :class:`Channels` defaults for this one.
        """
        self._require_started()
        if not channels:
            raise ValueError("subscribe() needs at least one channel")
        subscription = Subscription(
            tuple(dict.fromkeys(channels)),
            self.queue_size if queue_size is None else queue_size,
            self.overflow if overflow is None else overflow,
            self._forget,
        )
        try:
            await self._attach(subscription)
            yield subscription
        finally:
            subscription.close()
            await self._detach_soon(subscription.channels)

    async def _attach(self, subscription: Subscription) -> None:
        for channel in subscription.channels:
            self._subscribers.setdefault(channel, set()).add(subscription)
            self._fanout[channel] = tuple(self._subscribers[channel])
        async with self._lock:
            for channel in subscription.channels:
                if channel not in self._attached:
                    # Marked first: if this await is cancelled, detaching still unsubscribes.
                    self._attached.add(channel)
                    await self.backend.subscribe(channel)

    def _forget(self, subscription: Subscription) -> None:
        """Stop fanning out to a closed subscription (synchronous, safe from any callback)."""
        if subscription.dropped:
            self._dropped_closed += subscription.dropped
        if subscription.error is not None:
            self._slow_disconnects += 1
        for channel in subscription.channels:
            subscribers = self._subscribers.get(channel)
            if subscribers is None:
                continue
            subscribers.discard(subscription)
            if subscribers:
                self._fanout[channel] = tuple(subscribers)
            else:
                del self._subscribers[channel]
                del self._fanout[channel]

    async def _detach_soon(self, channels: tuple[str, ...]) -> None:
        # The backend unsubscribe runs in its own task, shielded, so a cancelled
        # subscriber (a disconnected client, a cancelled task group) still releases it.
        if not self._started or not any(c not in self._subscribers for c in channels):
            return
        task = asyncio.create_task(self._detach(channels))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        await asyncio.shield(task)

    async def _detach(self, channels: tuple[str, ...]) -> None:
        async with self._lock:
            for channel in channels:
                if channel in self._attached and channel not in self._subscribers:
                    self._attached.discard(channel)
                    try:
                        await self.backend.unsubscribe(channel)
                    except (ConnectionError, OSError, TimeoutError) as exc:
                        # The backend re-attaches only what is still attached after it
                        # reconnects, so a failed unsubscribe is not left behind.
                        logger.debug("unsubscribe from %r failed: %s", channel, exc)

    async def _read(self) -> None:
        fanout = self._fanout
        try:
            async for channel, data in self.backend.events():
                subscribers = fanout.get(channel)
                if subscribers:
                    message = ChannelMessage(channel, data)
                    for subscription in subscribers:
                        subscription.deliver(message)
        except Exception:
            logger.exception("the %s backend's event stream failed", self.backend.name)
            raise

    # -- bridging and health ---------------------------------------------------------------

    async def bridge(
        self,
        websocket: WebSocket,
        *channels: str,
        incoming: Any = None,
        publish_to: str | None = None,
    ) -> None:
        """Connect ``websocket`` to ``channels`` both ways until either side ends.

        See :func:`hinted.channels.bridge.bridge`.
        """
        from hinted.channels.bridge import bridge

        await bridge(self, websocket, *channels, incoming=incoming, publish_to=publish_to)

    def health(self) -> ChannelsHealth:
        """Connection state and counters, for a health endpoint or metrics.

        ``subscribers`` counts open subscriptions, ``channels`` the channels the backend
        is subscribed to, ``dropped`` the messages lost by ``"drop_oldest"`` subscribers
        (open and closed), ``slow_disconnects`` the subscriptions ended by ``"disconnect"``.
        """
        backend = self.backend.health()
        subscriptions = {s for subscribers in self._subscribers.values() for s in subscribers}
        return {
            "backend": self.backend.name,
            "connected": self._started and backend["connected"],
            "reconnects": backend["reconnects"],
            "subscribers": len(subscriptions),
            "channels": len(self._attached),
            "dropped": self._dropped_closed + sum(s.dropped for s in subscriptions),
            "slow_disconnects": self._slow_disconnects,
            "last_error": backend["last_error"],
        }


__all__ = ["Channels", "ChannelsHealth", "encode"]
