"""The contract between :class:`~hinted.channels.Channels` and a message broker.

A backend moves bytes between processes and nothing else. Everything a user sees
(reference counts, per-subscriber queues, the slow-consumer policy, JSON) lives in
:class:`~hinted.channels.Channels`, so a new backend is a small class:

```python
class MyBackend(ChannelBackend):
    name = "mine"

    async def connect(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, channel: str, data: bytes) -> None: ...
    async def subscribe(self, channel: str) -> None: ...
    async def unsubscribe(self, channel: str) -> None: ...
    def events(self) -> AsyncIterator[tuple[str, bytes]]: ...
```

The rules a backend keeps:

* ``subscribe``/``unsubscribe`` get set semantics: :class:`Channels` calls ``subscribe``
  once when a channel gets its first local subscriber and ``unsubscribe`` once when it
  loses its last one. When ``subscribe`` returns, messages published from then on to
  that channel (by any process) reach :meth:`events`.
* :meth:`events` is iterated by exactly one task, started after :meth:`connect`. It
  yields ``(channel, data)`` for the subscribed channels, in publication order per
  channel, and keeps going across broker outages (reconnecting on its own); it ends
  only after :meth:`close`.
* :meth:`publish` raises :class:`ChannelsUnavailableError` when the message cannot be
  handed to the broker; it never drops a message silently.
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Sequence
from typing import ClassVar, TypedDict


class ChannelsError(Exception):
    """Base class of the errors :mod:`hinted.channels` raises.

    ```
    ChannelsError
    ├── ChannelsUnavailableError   the broker cannot be reached (publish during an outage)
    ├── ChannelsNotStartedError    used before ``start()`` / outside the app's lifespan
    └── SlowConsumerError          a subscription fell too far behind ("disconnect" policy)
    ```
    """


class ChannelsUnavailableError(ChannelsError, ConnectionError):
    """The broker could not take the message; it was not published."""


class ChannelsNotStartedError(ChannelsError, RuntimeError):
    """:class:`~hinted.channels.Channels` was used while it was not running."""


class SlowConsumerError(ChannelsError):
    """A subscription's queue overflowed under the ``"disconnect"`` policy."""


class BackendHealth(TypedDict):
    """The backend's part of :meth:`Channels.health`."""

    connected: bool
    reconnects: int
    last_error: str | None


class ChannelBackend(abc.ABC):
    """A message broker seen as channels of bytes. See the module docstring for the rules."""

    name: ClassVar[str] = "custom"
    """Short name reported by :meth:`Channels.health` (``"memory"``, ``"redis"``)."""

    @abc.abstractmethod
    async def connect(self) -> None:
        """Open connections; called once by :meth:`Channels.start`."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Close connections and end :meth:`events`; called once by :meth:`Channels.stop`."""

    @abc.abstractmethod
    async def publish(self, channel: str, data: bytes) -> None:
        """Send ``data`` to every subscriber of ``channel``, in every process."""

    async def publish_many(self, channel: str, data: Sequence[bytes]) -> None:
        """Publish each item of ``data`` to ``channel``, in order; one round trip if possible.

        The default calls :meth:`publish` for each; a backend with pipelining overrides it.
        """
        for item in data:
            await self.publish(channel, item)

    @abc.abstractmethod
    async def subscribe(self, channel: str) -> None:
        """Start receiving ``channel`` in :meth:`events`."""

    @abc.abstractmethod
    async def unsubscribe(self, channel: str) -> None:
        """Stop receiving ``channel``."""

    @abc.abstractmethod
    def events(self) -> AsyncIterator[tuple[str, bytes]]:
        """``(channel, data)`` for every message on a subscribed channel, until closed."""

    def health(self) -> BackendHealth:
        """Connection state; a backend without a connection is always connected."""
        return {"connected": True, "reconnects": 0, "last_error": None}

    async def history(self, channel: str, since: str | None) -> list[tuple[str, bytes]]:
        """``(id, data)`` of the messages kept for ``channel`` after ``since`` (all if ``None``).

        Only backends that keep history implement it.
        """
        raise NotImplementedError(f"the {self.name} backend keeps no history")


__all__ = [
    "BackendHealth",
    "ChannelBackend",
    "ChannelsError",
    "ChannelsNotStartedError",
    "ChannelsUnavailableError",
    "SlowConsumerError",
]
