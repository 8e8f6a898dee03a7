"""SIGTERM to ``hinted run`` under load: a graceful shutdown.

A real server process (the counted chat demo of :mod:`tests.reliability.served`, served
by ``hinted run --graceful-timeout N``) takes POST /messages from several clients,
slow requests and WebSocket room clients; SIGTERM arrives mid-load. Then:

* new connections are refused at once, while the in-flight requests still finish
  with 200 (within the grace period);
* every room socket is closed with 1001 Going Away (uvicorn alone sends 1012);
* the lifespan shutdown runs (the app writes a marker, with its ledger of sessions,
  files and other resources: all closed by then);
* every POST answered 201 is in the SQLite database.

And past the grace period, the requests still running are cancelled: their
dependencies clean up (seeing the cancellation) before the lifespan shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import anyio
import httpx
import pytest
import websockets

from hinted import App, Depends, Request
from tests.reliability.asgi import http_scope, lifespan
from tests.reliability.server import Server

pytestmark = pytest.mark.anyio

WRITERS = 8
SLOW = 4
ROOM_CLIENTS = 3


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def stored_ids(database: Path) -> set[int]:
    with sqlite3.connect(database) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM messages")}


class Writers:
    """Clients posting messages until the server stops answering."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.created: set[int] = set()  # ids answered with 201
        self.unanswered = 0  # requests that got no answer (their fate is unknown)
        self.refused = 0  # connections refused: nothing was sent
        self.other: list[Any] = []

    async def write(self, number: int) -> None:
        # One connection per request, so a request is never sent on a kept-alive
        # connection the server is closing (that one would get no answer, retried by
        # no one: fine for the invariant, but it says nothing).
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as client:
            for index in range(10_000):
                entry = {"message": f"{number}-{index}", "recipient": "dave"}
                try:
                    response = await client.post(
                        "/messages", json=entry, headers={"connection": "close"}
                    )
                except httpx.ConnectError:
                    self.refused += 1
                    return
                except httpx.TransportError:
                    self.unanswered += 1
                    return
                if response.status_code != 201:
                    self.other.append((response.status_code, response.text))
                    return
                self.created.add(response.json()["id"])


async def open_room(port: int) -> Any:
    return await websockets.connect(f"ws://127.0.0.1:{port}/ws/rooms/dave", close_timeout=1)


async def close_code(socket: Any) -> int | None:
    """Read the room until the server closes it; the code it closed with."""
    try:
        while True:
            await socket.recv()
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd is not None else None


@pytest.mark.timeout(60)
async def test_sigterm_under_load_finishes_in_flight_work(tmp_path: Path) -> None:
    with Server(tmp_path, "--graceful-timeout", "10") as server:
        rooms = [await open_room(server.port) for _ in range(ROOM_CLIENTS)]
        readers = [asyncio.create_task(close_code(room)) for room in rooms]
        writers = Writers(server.url)
        writing = [asyncio.create_task(writers.write(number)) for number in range(WRITERS)]
        async with httpx.AsyncClient(base_url=server.url, timeout=15) as client:
            slow = [
                asyncio.create_task(client.get("/r/wait", params={"seconds": 2}))
                for _ in range(SLOW)
            ]
            while len(writers.created) < 50:  # under load
                await asyncio.sleep(0.05)
            signalled = time.monotonic()
            server.terminate()

            refused_after = None
            while time.monotonic() - signalled < 5:
                if server.refuses_connections():
                    refused_after = time.monotonic() - signalled
                    break
                await asyncio.sleep(0.02)
            assert refused_after is not None and refused_after < 1.5, refused_after
            # Refused while the slow requests are still running.
            assert not any(task.done() for task in slow)

            answers = await asyncio.gather(*slow)
            assert [answer.status_code for answer in answers] == [200] * SLOW
            assert all(answer.json() == {"waited": "2.0"} for answer in answers)

        codes = await asyncio.wait_for(asyncio.gather(*readers), 10)
        assert codes == [1001] * ROOM_CLIENTS
        await asyncio.wait_for(asyncio.gather(*writing), 15)
        assert writers.other == []
        assert server.wait(timeout=15) in (0, -signal.SIGTERM)

    log = server.log.read_text()
    assert "Application shutdown complete" in log, log
    assert "Traceback" not in log, log
    ledger = server.shutdown_ledger()  # written by the lifespan shutdown
    assert ledger["live"] == 0 and ledger["doubles"] == 0, ledger
    assert ledger["opened"] == ledger["closed"], ledger
    stored = stored_ids(server.database)
    assert len(writers.created) >= 50
    assert writers.created <= stored  # nothing answered 201 is lost
    # Rows no client heard of: at most one per request that got no answer.
    assert len(stored - writers.created) <= writers.unanswered


@pytest.mark.timeout(60)
async def test_requests_past_the_grace_period_are_cancelled_and_cleaned_up(
    tmp_path: Path,
) -> None:
    with Server(tmp_path, "--graceful-timeout", "1") as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=15) as client:
            quick = asyncio.create_task(client.get("/r/wait", params={"seconds": 0.5}))
            endless = asyncio.create_task(client.get("/r/wait", params={"seconds": 60}))
            await asyncio.sleep(0.3)
            signalled = time.monotonic()
            server.terminate()
            assert (await quick).status_code == 200
            # Cancelled: uvicorn answers a plain 500 once the request's task has ended
            # (or, had the process gone first, closes the connection unanswered).
            with contextlib.suppress(httpx.RemoteProtocolError):
                assert (await endless).status_code == 500
        assert server.wait(timeout=15) in (0, -signal.SIGTERM)
        assert time.monotonic() - signalled < 10  # 1 s of grace, then the cleanup
    log = server.log.read_text()
    assert "Cancel 1 running task(s), timeout graceful shutdown exceeded" in log, log
    assert "Application shutdown complete" in log, log
    ledger = server.shutdown_ledger()
    assert ledger["live"] == 0 and ledger["opened"] == ledger["closed"], ledger
    # The cancelled request's dependencies saw the cancellation, before the shutdown.
    assert ledger["saw"]["file:CancelledError"] == 1, ledger
    assert ledger["saw"]["async:CancelledError"] == 1, ledger


async def slow_cleanup(request: Request) -> AsyncIterator[None]:
    events: list[str] = request.app.state.events
    try:
        yield
    finally:
        await anyio.sleep(0.3)  # a rollback, a connection closed over the network
        events.append("cleanup done")


async def test_lifespan_shutdown_waits_for_cancelled_requests_to_clean_up() -> None:
    """Regression: uvicorn cancels the requests left past its graceful timeout and sends
    the lifespan shutdown at once; the app's shutdown (disposing the engine) ran while
    their cleanup was still under way."""
    events: list[str] = []
    app = App(on_shutdown=[lambda: events.append("lifespan shutdown")])
    app.state.events = events

    @app.get("/endless")
    async def endless(request: Request, held: Annotated[None, Depends(slow_cleanup)]) -> None:
        await anyio.sleep_forever()

    async def receive() -> dict[str, Any]:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        pass

    async with lifespan(app) as shutdown:
        request = asyncio.create_task(app(http_scope("GET", "/endless"), receive, send))
        await asyncio.sleep(0.1)
        request.cancel()  # what uvicorn does past --graceful-timeout, then at once:
        await shutdown()
        assert events == ["cleanup done", "lifespan shutdown"]
        assert request.cancelled()
