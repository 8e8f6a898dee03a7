"""The Redis backend: channels shared by every process connected to one Redis.

Fan-out uses Redis pub/sub (``PUBLISH``/``SUBSCRIBE``) over one subscriber connection
per process, whatever the number of local subscribers. When that connection is lost,
:meth:`RedisBackend.events` reconnects with capped exponential backoff and subscribes
again to every channel still in use; the outage is logged (WARNING, with its
duration) and counted in :meth:`RedisBackend.health`. Redis pub/sub keeps nothing for
absent subscribers, so messages published during an outage are not delivered:
the log line and the ``reconnects`` counter say that a window was lost.

Needs redis-py (``pip install hinted[redis]``); it is imported on :meth:`connect`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from hinted.channels.backends.base import BackendHealth, ChannelBackend, ChannelsUnavailableError

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub

logger = logging.getLogger("hinted.channels.redis")


def _connection_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, OSError)


class RedisBackend(ChannelBackend):
    """Channels across processes through Redis pub/sub.

    ```python
    channels = Channels(RedisBackend("redis://127.0.0.1:6379/0"))
    ```

    ``backoff_initial`` and ``backoff_max`` bound the wait between reconnection
    attempts: it doubles after each failure, up to ``backoff_max``, and each wait is
    drawn between half and all of it so that many processes do not retry in step.
    ``connect_timeout`` bounds each connection attempt and ``subscribe_timeout`` the
    wait for Redis to confirm a ``SUBSCRIBE``. :meth:`publish_many` sends up to
    ``pipeline_size`` messages per round trip. :meth:`connect` raises
    :class:`ChannelsUnavailableError` when Redis cannot be reached at startup.
    """

    name = "redis"

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        backoff_initial: float = 0.05,
        backoff_max: float = 5.0,
        connect_timeout: float = 2.0,
        subscribe_timeout: float = 5.0,
        pipeline_size: int = 1000,
    ) -> None:
        self.url = url
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.connect_timeout = connect_timeout
        self.subscribe_timeout = subscribe_timeout
        self.pipeline_size = pipeline_size
        self._channels: set[str] = set()
        self._confirmations: dict[str, asyncio.Future[None]] = {}
        self._client: Redis | None = None
        self._subscriber: Redis | None = None
        self._pubsub: PubSub | None = None
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._reconnects = 0
        self._last_error: str | None = None
        self._down_since: float | None = None
        self.last_outage: float | None = None
        """Seconds the last outage lasted, once the connection is back."""

    # -- connections -----------------------------------------------------------------------

    async def connect(self) -> None:
        from redis.asyncio import Redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self._errors = _connection_errors()
        options: dict[str, Any] = {"socket_connect_timeout": self.connect_timeout}
        # Neither client retries behind our back (no supported errors): publish()
        # retries once itself, and every loss of the subscriber connection goes
        # through events(), which logs and counts it.
        options["retry"] = Retry(NoBackoff(), 0, supported_errors=())
        # redis-py leaves **kwargs unannotated, so these signatures are partially unknown.
        self._client = Redis.from_url(self.url, **options)  # pyright: ignore[reportUnknownMemberType]
        self._subscriber = Redis.from_url(self.url, **options)  # pyright: ignore[reportUnknownMemberType]
        try:
            await self._client.ping()  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs
            await self._open_pubsub()
        except self._errors as exc:
            await self.close()
            raise ChannelsUnavailableError(f"Redis at {self.url} is unavailable: {exc}") from exc

    async def close(self) -> None:
        await self._drop_pubsub()
        self._channels.clear()
        for client in (self._client, self._subscriber):
            if client is not None:
                await client.aclose()
        self._client = self._subscriber = None

    async def _open_pubsub(self) -> None:
        assert self._subscriber is not None
        pubsub = self._subscriber.pubsub()  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs
        try:
            # Opens the connection even with no channel yet (redis-py: message unannotated).
            await pubsub.ping()  # pyright: ignore[reportUnknownMemberType]
            subscribed = set(self._channels)
            if subscribed:
                await pubsub.subscribe(*sorted(subscribed))
            self._pubsub = pubsub
            # Channels added while the SUBSCRIBE above was on its way saw no connection.
            late = self._channels - subscribed
            if late:
                await pubsub.subscribe(*sorted(late))
        except BaseException:
            self._pubsub = None
            await pubsub.aclose()  # type: ignore[no-untyped-call]
            raise

    async def _drop_pubsub(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        for future in self._confirmations.values():
            # Re-attached on reconnection: a subscriber waiting for it goes on now.
            if not future.done():
                future.set_result(None)
        self._confirmations.clear()
        if pubsub is not None:
            with contextlib.suppress(*self._errors):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    # -- the event stream ------------------------------------------------------------------

    async def events(self) -> AsyncIterator[tuple[str, bytes]]:
        attempt = 0
        while self._subscriber is not None:
            if self._pubsub is None:
                try:
                    await self._open_pubsub()
                except self._errors as exc:
                    self._connection_lost(exc)
                    attempt += 1
                    await asyncio.sleep(self._backoff(attempt))
                    continue
                attempt = 0
                self._connection_restored()
            assert self._pubsub is not None
            try:
                async for event in self._read(self._pubsub):
                    yield event
            except self._errors as exc:
                self._connection_lost(exc)
            finally:
                await self._drop_pubsub()

    async def _read(self, pubsub: PubSub) -> AsyncIterator[tuple[str, bytes]]:
        while True:
            # redis-py types a message's values partially (str | bytes | unknown).
            message = cast("dict[str, Any] | None", await pubsub.get_message(timeout=None))
            if message is None:
                continue
            kind = message["type"]
            if kind == "message":
                yield message["channel"].decode(), message["data"]
            elif kind == "subscribe":
                future = self._confirmations.pop(message["channel"].decode(), None)
                if future is not None and not future.done():
                    future.set_result(None)

    def _backoff(self, attempt: int) -> float:
        delay = min(self.backoff_max, self.backoff_initial * 2 ** (attempt - 1))
        return random.uniform(delay / 2, delay)

    def _connection_lost(self, exc: BaseException) -> None:
        self._last_error = f"{type(exc).__name__}: {exc}"
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.warning(
                "Redis connection to %s lost (%s); reconnecting with backoff up to %.1fs",
                self.url,
                self._last_error,
                self.backoff_max,
            )

    def _connection_restored(self) -> None:
        if self._down_since is None:
            return
        self.last_outage = time.monotonic() - self._down_since
        self._down_since = None
        self._reconnects += 1
        logger.warning(
            "Redis connection to %s restored after an outage of %.2fs; %d channel(s) "
            "re-attached; messages published to them during the outage were not delivered",
            self.url,
            self.last_outage,
            len(self._channels),
        )

    # -- commands --------------------------------------------------------------------------

    async def publish(self, channel: str, data: bytes) -> None:
        client = self._client
        if client is None:
            raise ChannelsUnavailableError("the Redis backend is not connected")
        try:
            await client.publish(channel, data)  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs
        except self._errors:
            # Once more on a fresh connection: after a Redis restart the pooled one is
            # stale (closed by the server) although Redis is back.
            try:
                await client.publish(channel, data)  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs
            except self._errors as exc:
                raise ChannelsUnavailableError(
                    f"Redis at {self.url} is unavailable; the message to {channel!r} was "
                    f"not published: {exc}"
                ) from exc

    async def publish_many(self, channel: str, data: Sequence[bytes]) -> None:
        client = self._client
        if client is None:
            raise ChannelsUnavailableError("the Redis backend is not connected")
        for start in range(0, len(data), self.pipeline_size):
            chunk = data[start : start + self.pipeline_size]
            try:
                await self._pipeline(client, channel, chunk)
            except self._errors as exc:
                raise ChannelsUnavailableError(
                    f"Redis at {self.url} is unavailable; {len(data) - start} message(s) to "
                    f"{channel!r} were not published: {exc}"
                ) from exc

    async def _pipeline(self, client: Redis, channel: str, chunk: Sequence[bytes]) -> None:
        async with client.pipeline(transaction=False) as pipe:
            for item in chunk:
                pipe.publish(channel, item)  # pyright: ignore[reportUnknownMemberType]  # redis-py: **kwargs
            await pipe.execute()

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)
        pubsub = self._pubsub
        if pubsub is None:
            return  # down: events() subscribes to it when the connection is back
        future = self._confirmations.get(channel)
        if future is None:
            future = self._confirmations[channel] = asyncio.get_running_loop().create_future()
            try:
                await pubsub.subscribe(channel)
            except self._errors:
                return  # the reader sees the loss too, and re-attaches the channel
        try:
            await asyncio.wait_for(asyncio.shield(future), self.subscribe_timeout)
        except TimeoutError:
            raise ChannelsUnavailableError(
                f"Redis at {self.url} did not confirm the subscription to {channel!r}"
            ) from None

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        pubsub = self._pubsub
        if pubsub is not None:
            # Failing means the connection is gone: not re-attached, since no longer wanted.
            with contextlib.suppress(*self._errors):
                await pubsub.unsubscribe(channel)  # pyright: ignore[reportUnknownMemberType]  # redis-py: *args

    def health(self) -> BackendHealth:
        return {
            "connected": self._pubsub is not None and self._down_since is None,
            "reconnects": self._reconnects,
            "last_error": self._last_error,
        }


__all__ = ["RedisBackend"]
