"""Driving an ASGI app by hand: lifespan, and requests whose client misbehaves."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio

from hinted.types import Scope
from tests.reliability.apps import ENTERED

Client = Literal["patient", "disconnects", "cancels"]
"""``patient`` waits for the answer; ``disconnects`` sends ``http.disconnect`` once the
handler runs (after a first body chunk with ``more_body``); ``cancels`` cancels the
request's task (``task.cancel()``, as uvicorn does when its graceful shutdown times
out) once the handler runs."""


@dataclass
class Outcome:
    """What the client saw, and what escaped the app."""

    status: int | None = None
    body: bytes = b""
    error: BaseException | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)


@contextlib.asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """Run ``app``'s lifespan startup, then its shutdown on exit (both must complete).

    Yields the shutdown, to run earlier than the exit.
    """
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.create_task(app(scope, to_app.get, from_app.put))
    await to_app.put({"type": "lifespan.startup"})
    started = await from_app.get()
    assert started["type"] == "lifespan.startup.complete", started

    async def shutdown() -> None:
        if task.done():
            return
        await to_app.put({"type": "lifespan.shutdown"})
        stopped = await from_app.get()
        await task
        assert stopped["type"] == "lifespan.shutdown.complete", stopped

    try:
        yield shutdown
    finally:
        await shutdown()


def http_scope(method: str, path: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> Scope:
    """The scope of a request to ``path`` (with its query string) from a test client."""
    path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"test"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }


async def call(
    app: Any,
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: Sequence[tuple[bytes, bytes]] = (),
    client: Client = "patient",
    spec_version: str = "2.4",
    timeout: float = 10.0,
) -> Outcome:
    """Send one request to ``app`` as a client of kind ``client`` would."""
    entered = anyio.Event()
    scope = http_scope(method, path, headers)
    scope["asgi"]["spec_version"] = spec_version
    scope[ENTERED] = entered
    outcome = Outcome()
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            more = client == "disconnects"
            return {"type": "http.request", "body": body, "more_body": more}
        if client == "disconnects":
            await entered.wait()
            return {"type": "http.disconnect"}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        outcome.messages.append(message)
        if message["type"] == "http.response.start":
            outcome.status = message["status"]
        elif message["type"] == "http.response.body":
            outcome.body += message.get("body", b"")

    task = asyncio.create_task(app(scope, receive, send))
    if client == "cancels":
        with anyio.fail_after(timeout):
            await entered.wait()
        task.cancel()
    done, _ = await asyncio.wait([task], timeout=timeout)
    if not done:
        task.cancel()
        await asyncio.wait([task])
        raise AssertionError(f"{method} {path} did not finish within {timeout} s")
    if task.cancelled():
        outcome.error = asyncio.CancelledError()
    else:
        outcome.error = task.exception()
    return outcome


__all__ = ["Client", "Outcome", "call", "http_scope", "lifespan"]
