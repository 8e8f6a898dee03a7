"""Every ``yield`` dependency is finished exactly once, whatever happens to the request.

The chat demo (its own ``get_session`` dependency, on counted SQLAlchemy sessions) with
the ``/r`` routes of :mod:`tests.reliability.apps`, driven as an ASGI app by clients
that wait, disconnect mid-request or have their request cancelled; handlers that time
out or fail; dependencies that fail before or after their ``yield``. Then 10,000 such
requests, mixed: no session, file descriptor or memory is left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import socket
import struct
import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import anyio
import httpx
import pytest
from sqlalchemy import create_engine, select

from examples.chat.db import Message
from hinted import App, Depends, WebSocket
from tests.reliability.apps import Ledger, build_app
from tests.reliability.asgi import Client, Outcome, call, lifespan
from tests.reliability.server import Server

pytestmark = pytest.mark.anyio

CANCEL_NOW = [(b"x-cancel-after", b"0.002")]
ENTRY = b'{"message": "hello", "recipient": "dave"}'
JSON = [(b"content-type", b"application/json")]


@dataclass(frozen=True)
class Case:
    """One kind of request, and what the client must see."""

    name: str
    method: str
    path: str
    status: int | None  # None: no response (the client left, or the request was cancelled)
    error: type[BaseException] | None = None  # what escapes the app to the server
    client: Client = "patient"
    body: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = ()
    spec_version: str = "2.4"
    # What the file and async dependencies' cleanups saw ("ok": no exception).
    saw: str | None = "ok"


CASES = [
    Case("ok", "GET", "/r/ok", 200),
    Case("demo POST", "POST", "/messages", 201, body=ENTRY, headers=tuple(JSON), saw=None),
    Case("demo GET", "GET", "/messages?limit=5", 200, saw=None),
    Case("demo 422", "POST", "/messages", 422, body=b"{", headers=tuple(JSON), saw=None),
    Case("handler raises", "GET", "/r/fail", 500, error=RuntimeError, saw="RuntimeError"),
    Case("HTTPException", "GET", "/r/not-found", 404, saw="HTTPException"),
    Case("anyio.fail_after", "GET", "/r/timeout-anyio", 504, saw="TimeoutError"),
    Case("asyncio.timeout", "GET", "/r/timeout-asyncio", 504, saw="TimeoutError"),
    Case(
        "middleware cancels",
        "GET",
        "/r/wait",
        None,
        headers=tuple(CANCEL_NOW),
        saw="CancelledError",
    ),
    Case(
        "task cancelled",
        "GET",
        "/r/wait",
        None,
        error=asyncio.CancelledError,
        client="cancels",
        saw="CancelledError",
    ),
    Case(
        "disconnect mid-body",
        "POST",
        "/r/body",
        None,
        client="disconnects",
        body=b"{",
        saw="ClientDisconnect",
    ),
    Case(
        "disconnect mid-stream",
        "GET",
        "/r/stream",
        200,
        client="disconnects",
        spec_version="2.0",  # Starlette then watches for the disconnect while streaming
    ),
    Case("dependency fails before yield", "GET", "/r/dep-fails-before", 503, saw="HTTPException"),
    Case("dependency fails after yield", "GET", "/r/dep-fails-after", 200, error=RuntimeError),
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'chat.db'}"


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
async def app(database_url: str, ledger: Ledger) -> AsyncIterator[App]:
    app = build_app(database_url, ledger)
    async with lifespan(app):
        yield app
    app.state.database.engine.dispose()


async def run(app: App, case: Case) -> Outcome:
    return await call(
        app,
        case.method,
        case.path,
        body=case.body,
        headers=case.headers,
        client=case.client,
        spec_version=case.spec_version,
    )


def check(case: Case, outcome: Outcome) -> None:
    assert outcome.status == case.status, (case.name, outcome)
    if case.error is None:
        assert outcome.error is None, (case.name, outcome.error)
    else:
        assert isinstance(outcome.error, case.error), (case.name, outcome.error)


def assert_balanced(ledger: Ledger) -> dict[str, Any]:
    """Every resource opened was closed, once."""
    counts = ledger.snapshot()
    assert counts["opened"] == counts["closed"], counts
    assert counts["doubles"] == 0, counts
    assert counts["live"] == 0, counts
    return counts


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_each_cleanup_runs_once_and_sees_what_happened(
    app: App, ledger: Ledger, case: Case
) -> None:
    outcome = await run(app, case)
    check(case, outcome)
    counts = assert_balanced(ledger)
    if case.saw is not None:
        assert counts["saw"].get(f"file:{case.saw}") == 1, counts
        assert counts["saw"].get(f"async:{case.saw}") == 1, counts
    if case.name != "demo 422":  # a 422 is answered before any dependency runs
        assert counts["opened"].get("session") == 1, counts
    if case.name == "disconnect mid-stream":
        assert counts["closed"]["stream"] == 1  # the handler's own generator, too
        assert outcome.body.startswith(b"0\n"), outcome.body


@pytest.mark.parametrize("client", ["cancels", "middleware"])
async def test_a_cancelled_request_rolls_back(
    app: App, ledger: Ledger, database_url: str, client: str
) -> None:
    """Regression: the demo's ``get_session`` used to commit a cancelled request's work.

    A cancelled request's exits ran as if the handler had returned (a sync dependency
    committed), and under an anyio cancel scope they did not run in the request at
    all: the session was left to the garbage collector.
    """
    if client == "cancels":
        outcome = await call(app, "POST", "/r/write-then-wait", client="cancels")
        assert isinstance(outcome.error, asyncio.CancelledError)
    else:
        outcome = await call(app, "POST", "/r/write-then-wait", headers=CANCEL_NOW)
        assert outcome.error is None
    assert outcome.status is None
    counts = assert_balanced(ledger)
    assert counts["saw"]["async:CancelledError"] == 1, counts
    engine = create_engine(database_url)
    with engine.connect() as connection:
        ghosts = connection.execute(select(Message).where(Message.recipient == "ghost")).all()
    engine.dispose()
    assert ghosts == []


async def websocket_resource(websocket: WebSocket) -> AsyncIterator[None]:
    saw: list[str] = websocket.app.state.saw
    try:
        yield
    except BaseException as exc:
        saw.append(type(exc).__name__)
        raise
    finally:
        await anyio.sleep(0)
        saw.append("closed")


WebSocketResource = Annotated[None, Depends(websocket_resource)]


async def test_a_cancelled_websocket_cleans_up_with_the_cancellation() -> None:
    """The same for a WebSocket handler: its dependency sees the ``CancelledError``."""
    saw: list[str] = []
    app = App()
    app.state.saw = saw

    @app.websocket("/ws")
    async def socket(websocket: WebSocket, held: WebSocketResource) -> None:
        await websocket.accept()
        await websocket.receive_text()

    accepted = anyio.Event()
    messages = iter([{"type": "websocket.connect"}])

    async def receive() -> dict[str, Any]:
        message = next(messages, None)
        if message is None:
            await anyio.sleep_forever()
        assert message is not None
        return message

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "websocket.accept":
            accepted.set()

    scope = {"type": "websocket", "path": "/ws", "raw_path": b"/ws", "query_string": b""}
    scope |= {"headers": [], "root_path": "", "subprotocols": [], "scheme": "ws"}
    task = asyncio.create_task(app(scope, receive, send))
    with anyio.fail_after(5):
        await accepted.wait()
    task.cancel()
    await asyncio.wait([task])
    assert task.cancelled()
    assert saw == ["CancelledError", "closed"]


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def mixed(app: App, count: int, concurrency: int = 16) -> dict[str, int]:
    """``count`` requests cycling through every case, ``concurrency`` at a time."""
    seen: dict[str, int] = {}
    numbers = iter(range(count))

    async def worker() -> None:
        for index in numbers:
            case = CASES[index % len(CASES)]
            check(case, await run(app, case))
            seen[case.name] = seen.get(case.name, 0) + 1

    async with anyio.create_task_group() as group:
        for _ in range(concurrency):
            group.start_soon(worker)
    return seen


class CountingHandler(logging.Handler):
    """Counts the log records of logger ``hinted`` instead of keeping them (as pytest's
    capture would, which grows the memory this test measures)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def counted_errors() -> Iterator[CountingHandler]:
    logger = logging.getLogger("hinted")
    handler = CountingHandler()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.propagate = True
        logger.removeHandler(handler)


TOTAL = 10_000
TRACED = 1_000
MEMORY_BOUND = 500_000
"""Bytes: traced Python memory may grow this much over the last 1,000 requests (500
bytes a request). It measured under 100 KB: sqlite3's cursor list and the pool, both
bounded."""


@pytest.mark.timeout(60)
async def test_ten_thousand_mixed_requests_leak_nothing(app: App, ledger: Ledger) -> None:
    """10,000 requests, every case above in turn, 32 at a time: every session and file
    is closed once, no file descriptor or pooled connection is left, and memory traced
    over the last 1,000 stays under ``MEMORY_BOUND``."""
    with counted_errors() as errors:
        warm_seen = await mixed(app, 500, concurrency=32)  # warm up: threads, caches, compiled SQL
        warm = ledger.snapshot()
        gc.collect()
        fds = open_fds()
        seen = await mixed(app, TOTAL - TRACED, concurrency=32)
        gc.collect()
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            for name, count in (await mixed(app, TRACED, concurrency=32)).items():
                seen[name] += count
            gc.collect()
            after, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    counts = assert_balanced(ledger)
    sessions = counts["opened"]["session"] - warm["opened"]["session"]
    files = counts["opened"]["file"] - warm["opened"]["file"]
    assert sum(seen.values()) == TOTAL
    assert sessions == TOTAL - seen["demo 422"]  # a 422 is answered before dependencies
    assert files == sum(seen[case.name] for case in CASES if case.path.startswith("/r/"))
    # One error logged for each failed cleanup, and no other.
    failed = seen["dependency fails after yield"] + warm_seen["dependency fails after yield"]
    assert errors.count == failed, errors.count
    assert open_fds() == fds
    assert app.state.database.engine.pool.checkedout() == 0
    growth = after - before
    print(f"\n{TOTAL} requests: {sessions} sessions, {files} files; memory growth {growth} B")
    assert growth < MEMORY_BOUND, growth


def leave(port: int, request: bytes, *, read_until: bytes = b"", reset: bool = False) -> bytes:
    """Send ``request`` on a new connection, read until ``read_until`` shows up (if given),
    then close the socket (with a TCP reset when ``reset``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        received = b""
        while read_until and read_until not in received:
            chunk = sock.recv(4096)
            if not chunk:
                break
            received += chunk
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return received


def test_clients_leaving_a_real_server_leave_nothing_open(tmp_path: Path) -> None:
    """uvicorn (``hinted run``): sockets closed mid-stream, mid-body and mid-wait."""
    with Server(tmp_path) as server, httpx.Client(base_url=server.url, timeout=5) as client:
        for _ in range(5):
            stream = b"GET /r/stream HTTP/1.1\r\nhost: t\r\n\r\n"
            got = leave(server.port, stream, read_until=b"3\n")
            assert got.startswith(b"HTTP/1.1 200")
            leave(
                server.port,
                b"POST /r/body HTTP/1.1\r\nhost: t\r\ncontent-length: 1000\r\n\r\n{",
                reset=True,
            )
            leave(server.port, b"GET /r/wait?seconds=0.2 HTTP/1.1\r\nhost: t\r\n\r\n")
        deadline = time.monotonic() + 10
        while True:
            ledger = client.get("/r/ledger").json()
            if ledger["opened"].get("file") == 15 and ledger["live"] == 0:
                break
            assert time.monotonic() < deadline, ledger
            time.sleep(0.05)
    assert ledger["opened"] == ledger["closed"] and ledger["doubles"] == 0, ledger
    saw = ledger["saw"]
    # Starlette watches for the disconnect while streaming and cancels the stream.
    assert saw["stream:CancelledError"] == 5, saw
    assert saw["file:ClientDisconnect"] == 5, saw  # the body never came
    assert saw["file:ok"] == 10, saw  # the stream's, and the waits' (answered to no one)
    assert "Traceback" not in server.log.read_text()
