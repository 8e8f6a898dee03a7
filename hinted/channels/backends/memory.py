"""The in-process backend: channels shared by the tasks of one process, no broker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from hinted.channels.backends.base import ChannelBackend

_CLOSED = ("", b"")


class MemoryBackend(ChannelBackend):
    """Channels inside one process; the default of :class:`~hinted.channels.Channels`.

    Messages to channels nobody subscribes to are dropped at once. The others wait in
    one queue of ``max_pending`` messages on their way to the subscribers' queues; when
    it is full, :meth:`publish` waits, so a publisher that outruns the event loop slows
    down instead of growing memory.
    """

    name = "memory"

    def __init__(self, max_pending: int = 10_000) -> None:
        self._max_pending = max_pending
        self._channels: set[str] = set()
        self._queue: asyncio.Queue[tuple[str, bytes]] | None = None
        self._closed = False

    async def connect(self) -> None:
        self._queue = asyncio.Queue(self._max_pending)
        self._closed = False

    async def close(self) -> None:
        self._closed = True
        self._channels.clear()
        if self._queue is not None:
            # Wake the reader; the queue may be full, so make room first.
            while self._queue.full():
                self._queue.get_nowait()
            self._queue.put_nowait(_CLOSED)

    async def publish(self, channel: str, data: bytes) -> None:
        if channel in self._channels and self._queue is not None and not self._closed:
            await self._queue.put((channel, data))

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)

    async def events(self) -> AsyncIterator[tuple[str, bytes]]:
        queue = self._queue
        if queue is None:
            return
        while True:
            event = await queue.get()
            if event is _CLOSED or self._closed:
                return
            yield event


__all__ = ["MemoryBackend"]
