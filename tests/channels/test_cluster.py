"""Two server processes sharing Redis: a client of process A gets everything posted to B.

Both run ``tests/channels/cluster_app.py`` under uvicorn on free ports of 127.0.0.1;
they are stopped at the end whatever happens.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.channels._redis import REDIS_URL, free_port, redis_available, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 10_000
BATCH = 1_000


class Server:
    def __init__(self) -> None:
        self.port = free_port()
        env = {**os.environ, "REDIS_URL": REDIS_URL, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "tests.channels.cluster_app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Server, Server]]:
    if not redis_available(REDIS_URL):
        pytest.fail(f"this test needs a Redis at {REDIS_URL}")
    started: list[Server] = []
    try:
        started = [Server(), Server()]
        for server in started:
            wait_for_port(server.port, timeout=20)
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()


async def run(a: Server, b: Server) -> tuple[list[int], float]:
    channel = f"cluster:{uuid.uuid4().hex}"
    async with httpx.AsyncClient(timeout=30) as http:
        async with connect(f"ws://127.0.0.1:{a.port}/ws/{channel}", max_queue=None) as ws:
            while (await http.get(f"{a.url}/health")).json()["subscribers"] != 1:
                await asyncio.sleep(0.01)
            started = time.perf_counter()

            async def post_all() -> None:
                for start in range(0, MESSAGES, BATCH):
                    batch = [{"seq": i} for i in range(start, start + BATCH)]
                    response = await http.post(f"{b.url}/publish/{channel}", json=batch)
                    assert response.json() == {"published": BATCH}

            poster = asyncio.create_task(post_all())
            received = [json.loads(await ws.recv())["seq"] for _ in range(MESSAGES)]
            await poster
            elapsed = time.perf_counter() - started
        health_a = (await http.get(f"{a.url}/health")).json()
    assert health_a["dropped"] == 0
    return received, elapsed


def test_a_client_of_a_receives_every_message_posted_to_b(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    received, elapsed = asyncio.run(asyncio.wait_for(run(a, b), timeout=60))
    assert received == list(range(MESSAGES))  # in order, none lost, none repeated
    print(f"\n{MESSAGES} messages from process B to a client of process A in {elapsed:.2f}s")


async def connect_and_drop(a: Server, count: int) -> tuple[int, int, int]:
    """Tasks before, subscribers while ``count`` sockets are open, tasks after they vanish."""
    async with httpx.AsyncClient(timeout=30, base_url=a.url) as http:

        async def settle(subscribers: int) -> None:
            while (await http.get("/health")).json()["subscribers"] != subscribers:
                await asyncio.sleep(0.02)

        await settle(0)
        before = (await http.get("/tasks")).json()
        sockets = [await connect(f"ws://127.0.0.1:{a.port}/ws/drop:{i % 3}") for i in range(count)]
        await settle(count)
        during = (await http.get("/health")).json()["subscribers"]
        for ws in sockets:
            ws.transport.abort()  # no close frame: the TCP connection just goes away
        await settle(0)
        for _ in range(100):  # the bridges' tasks end right after their subscriptions
            after = (await http.get("/tasks")).json()
            if after <= before:
                break
            await asyncio.sleep(0.02)
        health = (await http.get("/health")).json()
        assert health["channels"] == 0
        return before, during, after


def test_abrupt_disconnects_leave_no_tasks_or_subscriptions(
    servers: tuple[Server, Server],
) -> None:
    a, _ = servers
    before, during, after = asyncio.run(asyncio.wait_for(connect_and_drop(a, 30), timeout=30))
    assert during == 30
    assert after <= before
