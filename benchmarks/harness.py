"""Drive an ASGI app in-process: lifespan, one verified call, then timed tight loops.

No server and no sockets: the scope of each scenario is built once, and every call is
``await app(scope, receive, send)`` with a minimal ``receive`` (the body once, then
``http.disconnect``) and a ``send`` that discards messages.  Each call gets a shallow
copy of the scope and of the lifespan state, as a server would give it, because
frameworks store per-request data in both.
"""

import argparse
import asyncio
import importlib
from time import perf_counter_ns, process_time_ns

from benchmarks.scenarios import CheckFailed, Scenario

FRAMEWORKS = ["hinted", "fastapi", "litestar", "starlette", "blacksheep", "raw"]
BASE_HEADERS = ((b"host", b"testserver"), (b"user-agent", b"bench"), (b"accept", b"*/*"))
DISCONNECT = {"type": "http.disconnect"}
CLOSED = {"type": "websocket.disconnect", "code": 1000}
WEBSOCKET_HEADERS = (
    (b"connection", b"upgrade"),
    (b"upgrade", b"websocket"),
    (b"sec-websocket-version", b"13"),
    (b"sec-websocket-key", b"dGhlIHNhbXBsZSBub25jZQ=="),
)
# wall: elapsed time, as asked of a benchmark; cpu: this process's CPU time, which other
# processes on a busy machine inflate far less (but which misses time spent waiting).
CLOCKS = {"wall": perf_counter_ns, "cpu": process_time_ns}


def names(value: str, known: list[str]) -> list[str]:
    """A comma-separated choice from ``known`` (command-line option type), in order, once each."""
    chosen = list(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {unknown}; choose from {known}")
    return chosen


def load_app(framework: str):
    """Import ``benchmarks.apps.<framework>_app`` and return its ``app``."""
    return importlib.import_module(f"benchmarks.apps.{framework}_app").app


def build_scope(scenario: Scenario) -> dict:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": scenario.method,
        "scheme": "http",
        "path": scenario.path,
        "raw_path": scenario.path.encode(),
        "root_path": "",
        "query_string": scenario.query.encode(),
        "headers": [*BASE_HEADERS, *scenario.headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    if scenario.websocket:  # a WebSocket handshake's scope has no method
        del scope["method"]
        scope.update(
            type="websocket",
            scheme="ws",
            headers=[*BASE_HEADERS, *WEBSOCKET_HEADERS, *scenario.headers],
            subprotocols=[],
        )
    return scope


class Receive:
    """Hands out the request body once, then reports a disconnect."""

    __slots__ = ("_message",)

    def __init__(self, message: dict) -> None:
        self._message = message

    async def __call__(self) -> dict:
        message = self._message
        if message is None:
            return DISCONNECT
        self._message = None
        return message


class Session:
    """A WebSocket client's side, as the app's ``receive``: connect, the messages, close."""

    __slots__ = ("_messages", "_next")

    def __init__(self, messages: list[dict]) -> None:
        self._messages = messages
        self._next = 0

    async def __call__(self) -> dict:
        index = self._next
        if index >= len(self._messages):
            return CLOSED
        self._next = index + 1
        return self._messages[index]


def session_messages(scenario: Scenario) -> list[dict]:
    return [
        {"type": "websocket.connect"},
        *({"type": "websocket.receive", "text": text} for text in scenario.messages),
        CLOSED,
    ]


async def discard(message: dict) -> None:
    pass


class Collect:
    """A send() that records the status, headers and body of one response."""

    def __init__(self) -> None:
        self.status = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""

    async def __call__(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")


class Target:
    """One framework's app, started through its lifespan, ready to be called."""

    def __init__(self, name: str, app, clock: str = "wall") -> None:
        self.name = name
        self.app = app
        self.clock = CLOCKS[clock]
        self.state: dict = {}
        self._events: asyncio.Queue = asyncio.Queue()
        self._replies: asyncio.Queue = asyncio.Queue()
        self._task: asyncio.Task | None = None

    async def _lifespan(self, message_type: str) -> None:
        await self._events.put({"type": message_type})
        reply = asyncio.ensure_future(self._replies.get())
        await asyncio.wait([reply, self._task], return_when=asyncio.FIRST_COMPLETED)
        if not reply.done():  # the app returned or raised: lifespan not supported
            reply.cancel()
            return
        if reply.result()["type"].endswith(".failed"):
            raise RuntimeError(f"{self.name}: {reply.result()}")

    async def start(self) -> "Target":
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        self._task = asyncio.ensure_future(self.app(scope, self._events.get, self._replies.put))
        await self._lifespan("lifespan.startup")
        return self

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            await self._lifespan("lifespan.shutdown")
        self._task = None

    def _call_args(self, scenario: Scenario):
        scope = build_scope(scenario)
        message = {"type": "http.request", "body": scenario.body, "more_body": False}
        return scope, message

    async def verify(self, scenario: Scenario) -> None:
        """Make one request and raise CheckFailed unless the answer is as expected."""
        if scenario.websocket:
            scope = build_scope(scenario)
            scope["state"] = self.state.copy()
            sent: list[dict] = []

            async def record(message: dict) -> None:
                sent.append(message)

            await self.app(scope, Session(session_messages(scenario)), record)
            scenario.check_session(sent)
            return
        scope, message = self._call_args(scenario)
        scope["state"] = self.state.copy()
        send = Collect()
        await self.app(scope, Receive(message), send)
        if send.status is None:
            raise CheckFailed(f"{scenario.name}: no response was sent")
        scenario.check(send.status, send.headers, send.body)

    async def run(self, scenario: Scenario, count: int) -> int:
        """Make ``count`` requests back to back; return the nanoseconds they took."""
        app, state, clock = self.app, self.state, self.clock
        # A fresh receive per call: the request's body once, or a WebSocket session.
        receiver: type[Receive] | type[Session]
        if scenario.websocket:
            scope, receiver, given = build_scope(scenario), Session, session_messages(scenario)
        else:
            (scope, given), receiver = self._call_args(scenario), Receive
        start = clock()
        for _ in range(count):
            call_scope = scope.copy()
            call_scope["state"] = state.copy()
            await app(call_scope, receiver(given), discard)
        return clock() - start


async def calibrate(target: Target, scenario: Scenario, batch_ns: int, warmup_ns: int) -> int:
    """Warm the app up and return a batch size that takes about ``batch_ns``."""
    count, elapsed, spent = 1, 0, 0
    while spent < warmup_ns or elapsed < batch_ns // 4:
        elapsed = await target.run(scenario, count)
        spent += elapsed
        if elapsed < batch_ns // 4:
            count *= 2
    return max(1, round(count * batch_ns / max(elapsed, 1)))


async def measure(target: Target, scenario: Scenario, batch: int, seconds: float) -> list[float]:
    """Time batches of ``batch`` requests for about ``seconds``; us/request per batch."""
    budget, spent, samples = int(seconds * 1e9), 0, []
    while spent < budget or len(samples) < 3:
        elapsed = await target.run(scenario, batch)
        spent += elapsed
        samples.append(elapsed / batch / 1000)
    return samples


async def smoke(app, scenario: Scenario, iterations: int = 3) -> None:
    """Start ``app``, verify ``scenario`` and run it a few times (used by the tests)."""
    target = await Target("app", app).start()
    try:
        await target.verify(scenario)
        await target.run(scenario, iterations)
    finally:
        await target.stop()
