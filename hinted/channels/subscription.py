"""What a subscriber holds: a bounded queue of :class:`ChannelMessage` with an overflow policy."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from hinted.channels.backends.base import SlowConsumerError

Overflow = Literal["drop_oldest", "disconnect"]
"""What happens when a subscriber's queue is full and another message arrives.

* ``"drop_oldest"``: the oldest queued message is dropped and counted
  (:attr:`Subscription.dropped`); the subscription goes on.
* ``"disconnect"``: the queue is emptied and the subscription ends: iterating it raises
  :class:`SlowConsumerError` (and :meth:`Channels.bridge` closes the socket with 1013).
"""


@dataclass(frozen=True, slots=True)
class ChannelMessage:
    """One message as received: the channel it was published to, and its bytes.

    One instance is shared by every local subscriber of the channel.
    """

    channel: str
    data: bytes

    def json(self) -> Any:
        """The data parsed as JSON."""
        return json.loads(self.data)

    def text(self) -> str:
        """The data decoded as UTF-8."""
        return self.data.decode()


class Subscription:
    """Messages of one or more channels, in the order they were published, per channel.

    Made by :meth:`Channels.subscribe`; iterate it with ``async for``. Holds at most
    ``queue_size`` messages; what happens past that is the ``overflow`` policy
    (see :data:`Overflow`). Iteration ends when the subscription is closed (its
    ``async with`` block exits, or :meth:`Channels.stop`).

    ```python
    async with channels.subscribe("room:1") as sub:
        async for message in sub:
            print(message.channel, message.json())
    ```
    """

    __slots__ = (
        "_closed",
        "_ended",
        "_error",
        "_on_close",
        "_queue",
        "_ready",
        "channels",
        "dropped",
        "overflow",
        "queue_size",
    )

    def __init__(
        self,
        channels: tuple[str, ...],
        queue_size: int,
        overflow: Overflow,
        on_close: Callable[[Subscription], None] | None = None,
    ) -> None:
        self.channels = channels
        """The channels this subscription receives."""
        self.queue_size = queue_size
        self.overflow: Overflow = overflow
        self.dropped = 0
        """Messages lost to the ``"drop_oldest"`` policy so far."""
        self._queue: deque[ChannelMessage] = deque()
        self._ready = asyncio.Event()
        self._closed = False
        self._ended = asyncio.Event()
        self._error: SlowConsumerError | None = None
        self._on_close = on_close

    @property
    def closed(self) -> bool:
        """True once no more messages will be queued."""
        return self._closed

    @property
    def error(self) -> SlowConsumerError | None:
        """Why the subscription ended early (``"disconnect"`` policy), else ``None``."""
        return self._error

    @property
    def pending(self) -> int:
        """Messages queued and not read yet."""
        return len(self._queue)

    def deliver(self, message: ChannelMessage) -> None:
        """Queue ``message``, applying the overflow policy; never waits."""
        if self._closed:
            return
        queue = self._queue
        if len(queue) >= self.queue_size:
            if self.overflow == "disconnect":
                self._fail(
                    SlowConsumerError(
                        f"subscriber to {', '.join(self.channels)} fell {len(queue)} messages "
                        "behind and was disconnected"
                    )
                )
                return
            queue.popleft()
            self.dropped += 1
        queue.append(message)
        self._ready.set()

    def close(self) -> None:
        """End the subscription: iteration stops after the messages already queued."""
        if not self._closed:
            self._closed = True
            self._ready.set()
            self._ended.set()
            if self._on_close is not None:
                self._on_close(self)

    def _fail(self, error: SlowConsumerError) -> None:
        self._queue.clear()
        self._error = error
        self.close()

    async def wait_closed(self) -> None:
        """Return once the subscription is closed (its queue may still hold messages)."""
        await self._ended.wait()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> ChannelMessage:
        while not self._queue:
            if self._closed:
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        return self._queue.popleft()

    def get_nowait(self) -> ChannelMessage | None:
        """The next queued message, or ``None`` when none is queued."""
        return self._queue.popleft() if self._queue else None

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        counts = f"pending={self.pending} dropped={self.dropped}"
        return f"<Subscription {list(self.channels)} {state} {counts}>"


__all__ = ["ChannelMessage", "Overflow", "Subscription"]
