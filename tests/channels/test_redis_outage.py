"""A Redis that goes away and comes back: publishers fail clearly, subscribers recover.

Each test runs its own redis-server on a free port (the shared one stays untouched)
and stops it at the end, whatever happens.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from hinted.channels import Channels, ChannelsUnavailableError, RedisBackend
from tests.channels._helpers import eventually, receive
from tests.channels._redis import RedisServer, free_port

pytestmark = pytest.mark.anyio


def backend_for(server: RedisServer) -> RedisBackend:
    return RedisBackend(server.url, backoff_initial=0.02, backoff_max=0.2, connect_timeout=1)


async def test_subscribers_recover_after_a_restart(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="hinted.channels")
    channels = Channels(backend_for(redis_server))
    async with channels, channels.subscribe("room:1") as sub:
        await channels.publish("room:1", "before")
        assert [m.text() for m in await receive(sub, 1)] == ["before"]

        redis_server.stop()
        await eventually(lambda: not channels.health()["connected"])
        with pytest.raises(ChannelsUnavailableError, match="not published"):
            await channels.publish("room:1", "during")
        health = channels.health()
        assert health["reconnects"] == 0
        assert health["last_error"] is not None
        assert health["subscribers"] == 1  # the subscription waits; it is not ended

        # A subscription made during the outage is attached when Redis is back.
        async with channels.subscribe("room:2") as late:
            redis_server.start()
            await eventually(lambda: channels.health()["connected"], timeout=10)
            assert channels.health()["reconnects"] == 1

            await channels.publish("room:1", "after")
            await channels.publish("room:2", "late")
            assert [m.text() for m in await receive(sub, 1)] == ["after"]
            assert [m.text() for m in await receive(late, 1)] == ["late"]
        assert sub.pending == 0  # "during" was never published

    lost, restored = [r for r in caplog.records if r.name == "hinted.channels.redis"]
    assert lost.levelno == restored.levelno == logging.WARNING
    assert "lost" in lost.getMessage()
    assert "restored after an outage of" in restored.getMessage()
    assert "not delivered" in restored.getMessage()
    assert channels.backend.last_outage is not None  # type: ignore[attr-defined]
    assert channels.backend.last_outage > 0  # type: ignore[attr-defined]


async def test_backoff_keeps_trying_through_a_long_outage(redis_server: RedisServer) -> None:
    backend = backend_for(redis_server)
    async with Channels(backend) as channels, channels.subscribe("a") as sub:
        redis_server.stop()
        await eventually(lambda: not channels.health()["connected"])
        # Several failed attempts at the capped delay, then Redis returns.
        await asyncio.sleep(0.6)
        redis_server.start()
        await eventually(lambda: channels.health()["connected"], timeout=10)
        await channels.publish("a", "back")
        assert [m.text() for m in await receive(sub, 1)] == ["back"]
        assert channels.health()["reconnects"] == 1


def test_backoff_doubles_up_to_the_cap() -> None:
    backend = RedisBackend(backoff_initial=0.1, backoff_max=1.0)
    for attempt, ceiling in [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.8), (5, 1.0), (30, 1.0)]:
        delays = [backend._backoff(attempt) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)


async def test_redis_down_at_startup_is_a_clear_error() -> None:
    channels = Channels(RedisBackend(f"redis://127.0.0.1:{free_port()}/0"))
    with pytest.raises(ChannelsUnavailableError, match="unavailable"):
        await channels.start()
    assert not channels.started
