"""Slow consumers: a subscriber that never reads cannot grow the server's memory."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import Callable

import pytest

from hinted.channels import ChannelBackend, Channels, SlowConsumerError
from tests.channels._helpers import eventually, receive

pytestmark = pytest.mark.anyio

Backend = Callable[[], ChannelBackend]


async def test_drop_oldest_keeps_the_newest_and_counts_the_rest(
    make_backend: Backend, prefix: str
) -> None:
    channel = prefix + "slow"
    async with Channels(make_backend(), queue_size=10) as channels:
        async with channels.subscribe(channel) as slow, channels.subscribe(channel) as fast:
            for i in range(100):
                await channels.publish(channel, str(i))
                if i % 10 == 9:  # the fast one keeps up
                    assert [m.text() for m in await receive(fast, 10)] == [
                        str(n) for n in range(i - 9, i + 1)
                    ]
            await eventually(lambda: slow.dropped == 90)
            assert slow.pending == 10
            assert [m.text() for m in await receive(slow, 10)] == [str(n) for n in range(90, 100)]
            assert fast.dropped == 0
            assert channels.health()["dropped"] == 90
        assert channels.health()["dropped"] == 90  # still counted once closed


async def test_a_subscriber_that_never_reads_stays_bounded() -> None:
    payload = b"x" * 1024
    async with Channels(queue_size=100) as channels, channels.subscribe("big") as sub:
        for _ in range(200):  # warm up allocations that are not per message
            await channels.publish("big", payload + b"warm")
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for i in range(20_000):  # 20 MiB published, each message a new object
                await channels.publish("big", payload + str(i).encode())
            await eventually(lambda: sub.dropped == 20_200 - 100)
            grown = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert sub.pending == 100
        assert grown < 400 * 1024, f"memory grew by {grown} bytes"
        assert [m.data for m in await receive(sub, 1)] == [payload + b"19900"]


async def test_disconnect_ends_the_subscription_with_an_error(
    make_backend: Backend, prefix: str
) -> None:
    channel = prefix + "slow"
    async with Channels(make_backend(), queue_size=5, overflow="disconnect") as channels:
        async with channels.subscribe(channel) as slow, channels.subscribe(channel) as fast:
            for i in range(5):
                await channels.publish(channel, str(i))
            assert [m.text() for m in await receive(fast, 5)] == ["0", "1", "2", "3", "4"]
            await channels.publish(channel, "5")
            await eventually(lambda: slow.closed)
            assert slow.pending == 0  # its queue was released at once
            with pytest.raises(SlowConsumerError, match="fell 5 messages behind"):
                await anext(slow)
            assert isinstance(slow.error, SlowConsumerError)
            # The others go on; the slow one no longer counts as a subscriber.
            assert [m.text() for m in await receive(fast, 1)] == ["5"]
            assert channels.health()["subscribers"] == 1
            assert channels.health()["slow_disconnects"] == 1
        assert channels.health()["channels"] == 0


async def test_per_subscription_policy_overrides_the_default() -> None:
    channels = Channels(queue_size=1000)
    async with channels, channels.subscribe("a", queue_size=2, overflow="disconnect") as sub:
        for i in range(3):
            await channels.publish("a", str(i))
        await eventually(lambda: sub.closed)
        assert sub.queue_size == 2 and sub.overflow == "disconnect"


async def test_a_reader_waiting_for_messages_is_woken_by_close() -> None:
    async with Channels() as channels, channels.subscribe("a") as sub:
        waiter = asyncio.create_task(anext(sub))
        await asyncio.sleep(0.01)
        sub.close()
        with pytest.raises(StopAsyncIteration):
            await waiter
