"""Publish and subscribe on both backends: fan-out, ordering, payloads, cleanup."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

import pytest
from pydantic import BaseModel

from hinted.channels import (
    ChannelBackend,
    ChannelMessage,
    Channels,
    ChannelsNotStartedError,
)
from tests.channels._helpers import receive

pytestmark = pytest.mark.anyio

Backend = Callable[[], ChannelBackend]


class ChatEntry(BaseModel):
    message: str
    recipient: str
    author: str | None = None


@dataclasses.dataclass
class Point:
    x: int
    y: int


async def test_publish_reaches_a_subscriber(make_backend: Backend, prefix: str) -> None:
    async with Channels(make_backend()) as channels, channels.subscribe(prefix + "a") as sub:
        await channels.publish(prefix + "a", "hello")
        [message] = await receive(sub, 1)
    assert message == ChannelMessage(prefix + "a", b"hello")
    assert message.text() == "hello"


async def test_payloads_str_bytes_json_and_models(make_backend: Backend, prefix: str) -> None:
    channel = prefix + "payloads"
    entry = ChatEntry(message="Hello", recipient="Dave")
    async with Channels(make_backend()) as channels, channels.subscribe(channel) as sub:
        for value in ("text", b"\x00\xffraw", {"a": [1, 2]}, [1, "x"], 3, entry, Point(1, 2)):
            await channels.publish(channel, value)
        messages = await receive(sub, 7)
    assert [m.data for m in messages[:2]] == [b"text", b"\x00\xffraw"]
    assert [m.json() for m in messages[2:]] == [
        {"a": [1, 2]},
        [1, "x"],
        3,
        {"message": "Hello", "recipient": "Dave", "author": None},
        {"x": 1, "y": 2},
    ]
    assert ChatEntry.model_validate_json(messages[5].data) == entry


async def test_several_channels_in_one_subscription(make_backend: Backend, prefix: str) -> None:
    a, b, c = prefix + "a", prefix + "b", prefix + "c"
    async with Channels(make_backend()) as channels, channels.subscribe(a, b) as sub:
        await channels.publish(a, "1")
        await channels.publish(c, "not subscribed")
        await channels.publish(b, "2")
        await channels.publish(a, "3")
        messages = await receive(sub, 3)
        await asyncio.sleep(0.05)
        assert sub.pending == 0
    assert [(m.channel, m.text()) for m in messages] == [(a, "1"), (b, "2"), (a, "3")]


async def test_many_subscribers_each_get_everything_in_order(
    make_backend: Backend, prefix: str
) -> None:
    channel = prefix + "fanout"
    async with Channels(make_backend(), queue_size=500) as channels:
        subscriptions = [channels.subscribe(channel) for _ in range(50)]
        subs = [await s.__aenter__() for s in subscriptions]
        assert channels.health()["subscribers"] == 50
        assert channels.health()["channels"] == 1  # one backend subscription for all 50
        for i in range(300):
            await channels.publish(channel, str(i))
        for sub in subs:
            assert [m.text() for m in await receive(sub, 300)] == [str(i) for i in range(300)]
        for subscription in subscriptions:
            await subscription.__aexit__(None, None, None)
        assert channels.health()["subscribers"] == 0
        assert channels.health()["channels"] == 0


async def test_exit_unsubscribes_and_counts_return_to_zero(
    make_backend: Backend, prefix: str
) -> None:
    a, b = prefix + "a", prefix + "b"
    async with Channels(make_backend()) as channels:
        async with channels.subscribe(a) as first, channels.subscribe(a, b) as second:
            assert channels.health()["subscribers"] == 2
            assert channels.health()["channels"] == 2
        assert channels.health()["subscribers"] == 0
        assert channels.health()["channels"] == 0
        assert first.closed and second.closed
        # Nothing listens any more: a publish goes nowhere and nothing is kept.
        await channels.publish(a, "lost")
        async with channels.subscribe(a) as third:
            await channels.publish(a, "kept")
            assert [m.text() for m in await receive(third, 1)] == ["kept"]


async def test_a_cancelled_subscriber_still_unsubscribes(
    make_backend: Backend, prefix: str
) -> None:
    channel = prefix + "cancel"
    async with Channels(make_backend()) as channels:
        entered = asyncio.Event()

        async def listen() -> None:
            async with channels.subscribe(channel) as sub:
                entered.set()
                async for _ in sub:
                    pass

        task = asyncio.create_task(listen())
        await entered.wait()
        assert channels.health()["channels"] == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert channels.health() | {"last_error": None} == {
            "backend": channels.backend.name,
            "connected": True,
            "reconnects": 0,
            "subscribers": 0,
            "channels": 0,
            "dropped": 0,
            "slow_disconnects": 0,
            "last_error": None,
        }


async def test_stop_ends_subscriptions_and_cancels_tasks(
    make_backend: Backend, prefix: str
) -> None:
    channel = prefix + "stop"
    before = asyncio.all_tasks()
    channels = Channels(make_backend())
    await channels.start()
    ended = asyncio.Event()

    async def listen() -> list[str]:
        async with channels.subscribe(channel) as sub:
            ended.set()
            return [m.text() async for m in sub]

    task = asyncio.create_task(listen())
    await ended.wait()
    await channels.publish(channel, "one")
    await asyncio.sleep(0.05)
    await channels.stop()
    assert await asyncio.wait_for(task, 5) == ["one"]
    assert asyncio.all_tasks() - before == set()
    assert channels.health()["subscribers"] == 0
    assert channels.health()["connected"] is False


async def test_using_channels_before_start_says_how_to_start() -> None:
    channels = Channels()
    with pytest.raises(ChannelsNotStartedError, match=r"lifespan=channels\.lifespan"):
        await channels.publish("a", "x")
    with pytest.raises(ChannelsNotStartedError):
        async with channels.subscribe("a"):
            pass


async def test_lifespan_starts_and_stops() -> None:
    channels = Channels()
    async with channels.lifespan(None):
        assert channels.started
        await channels.publish("a", "x")
    assert not channels.started


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="queue_size"):
        Channels(queue_size=0)
    with pytest.raises(ValueError, match="overflow"):
        Channels(overflow="block")  # type: ignore[arg-type]


async def test_publish_many_keeps_order(make_backend: Backend, prefix: str) -> None:
    channel = prefix + "bulk"
    channels = Channels(make_backend(), queue_size=5000)
    async with channels, channels.subscribe(channel) as sub:
        await channels.publish_many(channel, ({"seq": i} for i in range(2500)))
        assert [m.json()["seq"] for m in await receive(sub, 2500)] == list(range(2500))
