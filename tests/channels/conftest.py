"""Fixtures for the channels tests: both backends, unique channel names, private Redis servers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from hinted.channels import ChannelBackend, MemoryBackend, RedisBackend
from tests.channels._redis import REDIS_URL, RedisServer, redis_available


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["memory", "redis"])
def make_backend(request: pytest.FixtureRequest) -> Callable[[], ChannelBackend]:
    """A factory of fresh backends of each kind (Redis on the shared 127.0.0.1:6379)."""
    if request.param == "memory":
        return MemoryBackend
    if not redis_available(REDIS_URL):
        pytest.fail(f"these tests need a Redis at {REDIS_URL}")
    return lambda: RedisBackend(REDIS_URL)


@pytest.fixture
def prefix() -> str:
    """A channel-name prefix no other test (or test run) shares on the shared Redis."""
    return f"test:{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server on a free port, stopped at the end whatever happens."""
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()
