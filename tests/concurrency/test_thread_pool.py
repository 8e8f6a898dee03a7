"""Sync code runs in a bounded thread pool; code marked ``inline`` runs on the loop."""

import asyncio
import threading
import time
from typing import Annotated, Any

import pytest

from hinted import App, Depends, inline
from hinted.testclient import TestClient


async def call(app: App, path: str) -> tuple[int, bytes]:
    """Drive the ASGI app directly: one GET, its status and body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], sent[1]["body"]


def test_thread_pool_size_bounds_concurrent_sync_handlers() -> None:
    app = App(thread_pool_size=2)
    lock = threading.Lock()
    running = 0
    peak = 0

    @app.get("/slow")
    def slow() -> dict[str, bool]:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return {"ok": True}

    async def main() -> list[tuple[int, bytes]]:
        return await asyncio.gather(*(call(app, "/slow") for _ in range(6)))

    results = asyncio.run(main())
    assert all(status == 200 for status, _ in results)
    assert peak == 2


def test_thread_pool_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="thread_pool_size"):
        App(thread_pool_size=0)


def test_sync_code_runs_in_a_worker_thread_and_inline_code_on_the_loop() -> None:
    app = App()
    threads: dict[str, int] = {}

    def in_thread() -> int:
        threads["dependency"] = threading.get_ident()
        return 1

    @inline
    def on_loop() -> int:
        threads["inline_dependency"] = threading.get_ident()
        return 2

    @app.get("/where")
    async def where(
        a: Annotated[int, Depends(in_thread)], b: Annotated[int, Depends(on_loop)]
    ) -> dict[str, int]:
        threads["loop"] = threading.get_ident()
        return {"sum": a + b}

    @app.get("/inline-handler")
    @inline
    def inline_handler() -> dict[str, bool]:
        threads["inline_handler"] = threading.get_ident()
        return {"ok": True}

    with TestClient(app) as client:  # one event loop thread for both requests
        assert client.get("/where").json() == {"sum": 3}
        assert client.get("/inline-handler").json() == {"ok": True}
    assert threads["dependency"] != threads["loop"]
    assert threads["inline_dependency"] == threads["loop"]
    assert threads["inline_handler"] == threads["loop"]


def test_a_blocking_sync_handler_does_not_delay_async_ones() -> None:
    app = App()

    @app.get("/block")
    def block() -> dict[str, bool]:
        time.sleep(0.3)
        return {"ok": True}

    @app.get("/fast")
    async def fast() -> dict[str, bool]:
        return {"ok": True}

    async def main() -> float:
        slow = asyncio.create_task(call(app, "/block"))
        await asyncio.sleep(0.02)
        started = time.perf_counter()
        await call(app, "/fast")
        elapsed = time.perf_counter() - started
        await slow
        return elapsed

    assert asyncio.run(main()) < 0.25
