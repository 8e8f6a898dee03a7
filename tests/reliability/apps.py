"""The chat demo with counted resources, for the cleanup and shutdown tests.

:func:`build_app` is ``examples.chat.app.create_app`` plus:

* a session factory that counts every SQLAlchemy session opened and closed, so the
  demo's own ``get_session`` dependency is what the tests count;
* ``/r/...`` routes whose ``yield`` dependencies hold a session, a real file (a file
  descriptor) and an async resource, each counted by a :class:`Ledger`, with handlers
  that succeed, fail, time out, wait to be cancelled, read a body the client never
  finishes, stream, or whose dependencies fail before or after their ``yield``;
* a middleware that cancels a request after ``x-cancel-after`` seconds (an anyio
  cancel scope, as a timeout middleware does).

``served.py`` serves one under uvicorn for the tests that need a real server.
"""

from __future__ import annotations

import asyncio
import collections
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

import anyio
from sqlalchemy.orm import Session, sessionmaker

from examples.chat.app import create_app
from examples.chat.db import Database, Message, SessionDep
from examples.chat.settings import Settings
from hinted import APIRouter, App, Depends, HTTPConnection, HTTPException, Request, inline
from hinted.responses import JSONResponse
from hinted.types import Receive, Scope, Send

ENTERED = "reliability.entered"
"""Scope key of an optional ``anyio.Event`` the waiting handlers set once they run."""


@dataclass
class Ledger:
    """Resources opened and closed, by kind, and what each cleanup saw.

    Thread-safe: sync dependencies open and close in the thread pool.
    """

    opened: collections.Counter[str] = field(default_factory=collections.Counter)
    closed: collections.Counter[str] = field(default_factory=collections.Counter)
    saw: collections.Counter[str] = field(default_factory=collections.Counter)
    doubles: int = 0  # a resource closed twice
    live: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next: int = 0

    def open(self, kind: str) -> int:
        with self.lock:
            self._next += 1
            self.opened[kind] += 1
            self.live[self._next] = kind
            return self._next

    def close(self, token: int, seen: BaseException | None = None) -> None:
        with self.lock:
            kind = self.live.pop(token, None)
            if kind is None:
                self.doubles += 1
                return
            self.closed[kind] += 1
            self.saw[f"{kind}:{type(seen).__name__ if seen else 'ok'}"] += 1

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "opened": dict(self.opened),
                "closed": dict(self.closed),
                "saw": dict(self.saw),
                "doubles": self.doubles,
                "live": len(self.live),
            }


def counting_sessions(factory: sessionmaker[Session], ledger: Ledger) -> sessionmaker[Session]:
    """``factory``, whose sessions are counted in ``ledger`` as ``session``."""

    class CountedSession(Session):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._token: int | None = ledger.open("session")

        def close(self) -> None:
            super().close()
            token, self._token = self._token, None
            if token is not None:
                ledger.close(token)
            else:
                with ledger.lock:
                    ledger.doubles += 1

    return sessionmaker(factory.kw["bind"], class_=CountedSession, expire_on_commit=False)


def build_app(database_url: str, ledger: Ledger) -> App:
    """The chat demo on ``database_url`` with counted sessions and the ``/r`` routes."""
    app = create_app(Settings(database_url=database_url, migrate_on_startup=True))
    database: Database = app.state.database
    app.state.database = Database(database.engine, counting_sessions(database.sessions, ledger))
    app.state.ledger = ledger
    app.include_router(router, prefix="/r")
    app.add_exception_handler(TimeoutError, _timed_out)
    app.add_middleware(CancelAfter)
    return app


def _timed_out(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": "timed out"}, status_code=504)


router = APIRouter()


@inline
def ledger_of(connection: HTTPConnection) -> Ledger:
    ledger: Ledger = connection.app.state.ledger
    return ledger


LedgerDep = Annotated[Ledger, Depends(ledger_of)]


async def file_handle(ledger: LedgerDep) -> AsyncIterator[Any]:
    """A yield dependency holding an open file (a file descriptor)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    token = ledger.open("file")
    seen: BaseException | None = None
    try:
        yield handle
    except BaseException as exc:
        seen = exc
        raise
    finally:
        handle.close()
        ledger.close(token, seen)


async def async_resource(ledger: LedgerDep) -> AsyncIterator[str]:
    """An async yield dependency whose cleanup awaits (as closing a connection does)."""
    token = ledger.open("async")
    seen: BaseException | None = None
    try:
        yield "resource"
    except BaseException as exc:
        seen = exc
        raise
    finally:
        await anyio.sleep(0)  # an await in cleanup: fails if cleanup is not shielded
        ledger.close(token, seen)


File = Annotated[Any, Depends(file_handle)]
Resource = Annotated[str, Depends(async_resource)]


def fails_before_yield(session: SessionDep, file: File, resource: Resource) -> Iterator[None]:
    raise HTTPException(503, "dependency unavailable")
    yield  # pragma: no cover


def fails_after_yield(session: SessionDep) -> Iterator[None]:
    yield
    raise RuntimeError("cleanup failed")


async def entered(request: Request) -> None:
    event: anyio.Event | None = request.scope.get(ENTERED)
    if event is not None:
        event.set()


@router.get("/ok")
def ok(session: SessionDep, file: File, resource: Resource) -> dict[str, int]:
    file.write(b"x")
    return {"count": len(session.query(Message).limit(1).all())}


@router.get("/fail")
def fail(session: SessionDep, file: File, resource: Resource) -> None:
    raise RuntimeError("handler failed")


@router.get("/not-found")
def not_found(session: SessionDep, file: File, resource: Resource) -> None:
    raise HTTPException(404, "nothing here")


@router.get("/timeout-anyio")
async def timeout_anyio(session: SessionDep, file: File, resource: Resource) -> None:
    with anyio.fail_after(0.001):
        await anyio.sleep(5)


@router.get("/timeout-asyncio")
async def timeout_asyncio(session: SessionDep, file: File, resource: Resource) -> None:
    async with asyncio.timeout(0.001):
        await asyncio.sleep(5)


@router.get("/wait")
async def wait(
    request: Request, session: SessionDep, file: File, resource: Resource
) -> dict[str, str]:
    """Waits ``?seconds=`` (default: until cancelled)."""
    await entered(request)
    seconds = float(request.query_params.get("seconds", "3600"))
    await anyio.sleep(seconds)
    return {"waited": str(seconds)}


@router.post("/write-then-wait")
async def write_then_wait(request: Request, session: SessionDep, resource: Resource) -> None:
    """Adds a row, then waits to be cancelled: the row must never be committed."""
    session.add(Message(version="3.1", message="cancelled", recipient="ghost", timestamp=1.0))
    session.flush()
    await entered(request)
    await anyio.sleep_forever()


@router.post("/body")
async def body(
    request: Request, session: SessionDep, file: File, resource: Resource
) -> dict[str, int]:
    """Reads the body itself, after its dependencies opened."""
    await entered(request)
    return {"size": len(await request.body())}


@router.get("/stream")
async def stream(
    request: Request, session: SessionDep, file: File, resource: Resource, ledger: LedgerDep
) -> AsyncIterator[int]:
    token = ledger.open("stream")
    seen: BaseException | None = None
    try:
        await entered(request)
        for number in range(100_000):
            yield number
            await anyio.sleep(0.001)
    except BaseException as exc:
        seen = exc
        raise
    finally:
        ledger.close(token, seen)


@router.get("/dep-fails-before", dependencies=[Depends(fails_before_yield)])
def dep_fails_before(file: File, resource: Resource) -> None:
    raise AssertionError("never called")  # pragma: no cover


@router.get("/dep-fails-after", dependencies=[Depends(fails_after_yield)])
def dep_fails_after(session: SessionDep, file: File, resource: Resource) -> dict[str, bool]:
    return {"ok": True}


@router.get("/ledger")
def read_ledger(ledger: LedgerDep) -> dict[str, Any]:
    return ledger.snapshot()


class CancelAfter:
    """Cancels the request ``x-cancel-after`` seconds after its handler started (or, with
    no ``ENTERED`` event in the scope, after it arrived): a timeout middleware."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        delay = None
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"x-cancel-after":
                    delay = float(value)
        if delay is None:
            await self.app(scope, receive, send)
            return
        entered: anyio.Event | None = scope.get(ENTERED)
        async with anyio.create_task_group() as group:

            async def cancel_later() -> None:
                if entered is not None:
                    await entered.wait()
                await anyio.sleep(delay)
                group.cancel_scope.cancel()

            group.start_soon(cancel_later)
            await self.app(scope, receive, send)
            group.cancel_scope.cancel()


__all__ = ["ENTERED", "CancelAfter", "Ledger", "build_app", "counting_sessions"]
