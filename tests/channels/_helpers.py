"""Small async helpers shared by the channels tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hinted.channels import ChannelMessage, Subscription


async def receive(sub: Subscription, count: int, timeout: float = 5.0) -> list[ChannelMessage]:
    """The next ``count`` messages of ``sub``; fails after ``timeout`` seconds."""

    async def take() -> list[ChannelMessage]:
        return [await anext(sub) for _ in range(count)]

    return await asyncio.wait_for(take(), timeout)


async def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds; fails after ``timeout`` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still false after {timeout}s: {condition}")
        await asyncio.sleep(0.01)
