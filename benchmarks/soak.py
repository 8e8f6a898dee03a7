"""Soak test: the chat demo under steady HTTP and WebSocket load on loopback.

``hinted run examples.chat.app:app`` serves the demo (SQLite in a temporary directory;
Redis rooms with ``--redis-url``) in its own process. This process then, for
``--seconds`` (default 180, after ``--warmup`` seconds not measured):

* runs ``--http-clients`` closed-loop HTTP clients, each alternating
  ``POST /messages`` (to one of the rooms, client-timestamped) and
  ``GET /messages?recipient=<room>&limit=20``, one request at a time on a kept-alive
  connection;
* holds ``--rooms`` x ``--room-clients`` WebSockets on ``/ws/rooms/{room}``, the first
  of each room also sending a ``ChatEntry`` frame every ``--frame-interval`` seconds;
* samples the server's RSS every second.

It stops by itself: at the end of the time, or after ``--max-requests`` requests.
It reports errors (any failed request, unexpected status, error frame or socket
closed by the server; there must be none), RSS after the warm-up and at the end,
p50/p99 request latency per ``--window`` seconds, and the messages delivered to the
sockets against those expected (each stored message to every client of its room),
with their delivery latency. The exit status is 1 when there were errors, a message
was not delivered, RSS grew by more than ``--max-rss-growth`` MB, or the last
window's p99 is more than ``--p99-factor`` times the first's (or than 10 ms, if more).

    python -m benchmarks.soak                      # 3 minutes
    python -m benchmarks.soak --seconds 20 --warmup 3 --window 5 --json soak.json

Linux only (RSS is read from /proc). The load generator runs on the same machine as
the server, in one process: on a small machine the figures are the pair's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

REPO = Path(__file__).resolve().parents[1]
HINTED = Path(sys.executable).with_name("hinted")
P99_FLOOR = 0.010  # seconds: a last-window p99 under this is never a regression


@dataclass
class Config:
    seconds: float = 180.0
    warmup: float = 10.0
    window: float = 60.0
    http_clients: int = 8
    rooms: int = 4
    room_clients: int = 5
    frame_interval: float = 0.25
    max_requests: int = 2_000_000
    max_rss_growth: float = 20.0  # MB
    p99_factor: float = 3.0
    redis_url: str | None = None
    workers: int = 1


@dataclass
class Window:
    """One window's requests: latencies (seconds) and errors."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "errors": self.errors,
            "p50_ms": round(_quantile(ordered, 0.50) * 1000, 2),
            "p99_ms": round(_quantile(ordered, 0.99) * 1000, 2),
        }


def _quantile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Load:
    """Everything measured while the load runs."""

    config: Config
    started: float = 0.0  # monotonic time the measured part starts (after the warm-up)
    measuring: bool = False
    stopping: bool = False
    requests: int = 0
    windows: dict[int, Window] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    expected: dict[str, int] = field(default_factory=dict)  # stored messages, by room
    delivered: int = 0
    delivery_latencies: list[float] = field(default_factory=list)
    rss: list[tuple[float, int]] = field(default_factory=list)  # (seconds, bytes)
    rss_start: int = 0  # bytes, once warmed up
    rss_end: int = 0

    def window(self) -> Window | None:
        if not self.measuring:
            return None
        index = int((time.monotonic() - self.started) // self.config.window)
        last = max(0, math.ceil(self.config.seconds / self.config.window) - 1)
        return self.windows.setdefault(min(index, last), Window())

    def record(self, latency: float) -> None:
        self.requests += 1
        window = self.window()
        if window is not None:
            window.latencies.append(latency)
        if self.requests >= self.config.max_requests:
            self.stopping = True

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        window = self.window()
        if window is not None:
            window.errors += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(f"{kind}: {detail}"[:300])

    def stored(self, room: str) -> None:
        self.expected[room] = self.expected.get(room, 0) + 1


# -- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_bytes(pid: int) -> int:
    """Resident set size of ``pid`` and its children (the workers), from /proc."""
    total = 0
    for process in [pid, *_children(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def _children(pid: int) -> list[int]:
    children: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            children.extend(int(child) for child in text)
    return [grandchild for child in children for grandchild in [child, *_children(child)]]


@contextlib.contextmanager
def serve(config: Config, directory: Path) -> Any:
    """The demo under ``hinted run`` on a free port; stopped (killed if need be) on exit."""
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["DATABASE_URL"] = f"sqlite:///{directory / 'chat.db'}"
    env.pop("REDIS_URL", None)
    if config.redis_url:
        env["REDIS_URL"] = config.redis_url
    command = [str(HINTED), "run", "examples.chat.app:app", "--port", str(port)]
    command += ["--no-access-log", "--workers", str(config.workers)]
    log = directory / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=directory, env=env, stdout=output, stderr=output)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the server exited:\n{log.read_text()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield process, port, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- the clients -------------------------------------------------------------------------


def room_name(index: int) -> str:
    return f"soak-{index}"


async def http_client(load: Load, url: str, number: int) -> None:
    room = room_name(number % load.config.rooms)
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        index = 0
        while not load.stopping:
            index += 1
            entry = {"message": f"{number}-{index}", "recipient": room, "timestamp": time.time()}
            posting = index % 2 == 1
            started = time.monotonic()
            try:
                if posting:
                    response = await client.post("/messages", json=entry)
                else:
                    params = {"recipient": room, "limit": 20}
                    response = await client.get("/messages", params=params)
            except httpx.HTTPError as exc:
                load.error("http", repr(exc))
                await asyncio.sleep(0.1)
                continue
            load.record(time.monotonic() - started)
            if response.status_code != (201 if posting else 200):
                load.error("status", f"{response.status_code} {response.text}")
            elif posting:
                load.stored(room)


async def room_client(load: Load, port: int, room: str, sender: bool, ready: asyncio.Event) -> None:
    uri = f"ws://127.0.0.1:{port}/ws/rooms/{room}"
    async with websockets.connect(uri, max_size=2**20, close_timeout=2) as socket_:
        ready.set()
        sending = asyncio.create_task(_send_frames(load, socket_, room)) if sender else None
        try:
            async for frame in socket_:
                data = json.loads(frame)
                if "error" in data:
                    load.error("error frame", str(frame))
                    continue
                load.delivered += 1
                if load.measuring:
                    load.delivery_latencies.append(time.time() - data["timestamp"])
        except websockets.ConnectionClosed as closed:
            if not load.stopping:
                load.error("socket closed", repr(closed))
        finally:
            if sending is not None:
                sending.cancel()
                await asyncio.gather(sending, return_exceptions=True)


async def _send_frames(load: Load, socket_: Any, room: str) -> None:
    index = 0
    while not load.stopping:
        index += 1
        entry = {"message": f"frame-{index}", "recipient": room, "timestamp": time.time()}
        await socket_.send(json.dumps(entry))
        load.stored(room)  # stored unless an error frame says otherwise (counted as error)
        await asyncio.sleep(load.config.frame_interval)


async def sample_rss(load: Load, pid: int, origin: float) -> None:
    while not load.stopping:
        load.rss.append((round(time.monotonic() - origin, 1), rss_bytes(pid)))
        await asyncio.sleep(1.0)


@contextlib.asynccontextmanager
async def tasks_running(
    *coroutines: Any, grace: float = 0.0
) -> AsyncIterator[list[asyncio.Task[Any]]]:
    """Tasks for ``coroutines``; on exit, ``grace`` seconds to end, then cancelled."""
    tasks = [asyncio.create_task(coroutine) for coroutine in coroutines]
    try:
        yield tasks
    finally:
        if grace:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_load(config: Config, pid: int, port: int) -> Load:
    load = Load(config)
    url = f"http://127.0.0.1:{port}"
    origin = time.monotonic()
    readies = []
    rooms = []
    for room_index in range(config.rooms):
        for client_index in range(config.room_clients):
            ready = asyncio.Event()
            readies.append(ready)
            rooms.append(room_client(load, port, room_name(room_index), client_index == 0, ready))
    async with tasks_running(*rooms) as room_tasks:
        await asyncio.wait_for(asyncio.gather(*(ready.wait() for ready in readies)), 30)
        clients = [http_client(load, url, number) for number in range(config.http_clients)]
        # On exit, the clients finish the request they are in (its message is counted).
        running = tasks_running(sample_rss(load, pid, origin), *clients, grace=15)
        async with running as client_tasks:
            await asyncio.sleep(config.warmup)
            load.started = time.monotonic()
            load.measuring = True
            load.rss_start = rss_bytes(pid)
            deadline = load.started + config.seconds
            while time.monotonic() < deadline and not load.stopping:
                await asyncio.sleep(0.2)
                for task in [*client_tasks, *room_tasks]:
                    if task.done() and task.exception() is not None:
                        load.error("client crashed", repr(task.exception()))
                        load.stopping = True
            load.measuring = False
            load.rss_end = rss_bytes(pid)
            load.stopping = True
        # Let the last messages reach the sockets before closing them.
        expected = sum(load.expected.values()) * config.room_clients
        settle = time.monotonic() + 5
        while load.delivered < expected and time.monotonic() < settle:
            await asyncio.sleep(0.05)
    return load


# -- the report --------------------------------------------------------------------------


def report(config: Config, load: Load) -> dict[str, Any]:
    windows = [load.windows[index].summary() for index in sorted(load.windows)]
    rss_start, rss_end = load.rss_start, load.rss_end
    growth_mb = (rss_end - rss_start) / 2**20
    expected = sum(load.expected.values()) * config.room_clients
    deliveries = sorted(load.delivery_latencies)
    first, last = (windows[0], windows[-1]) if windows else ({}, {})
    p99_limit = config.p99_factor * max(first.get("p99_ms", 0) / 1000, P99_FLOOR)
    failures = []
    if load.errors:
        failures.append(f"errors: {load.errors}")
    if load.delivered < expected:
        failures.append(f"{expected - load.delivered} messages not delivered")
    if growth_mb > config.max_rss_growth:
        failures.append(f"RSS grew {growth_mb:.1f} MB > {config.max_rss_growth} MB")
    if windows and last["p99_ms"] / 1000 > p99_limit:
        failures.append(f"last p99 {last['p99_ms']} ms > {p99_limit * 1000:.1f} ms")
    return {
        "config": config.__dict__,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "requests": sum(window["requests"] for window in windows),
        "requests_per_second": round(
            sum(window["requests"] for window in windows) / config.seconds, 1
        ),
        "errors": sum(load.errors.values()),
        "error_kinds": load.errors,
        "error_samples": load.error_samples,
        "rss_start_mb": round(rss_start / 2**20, 1),
        "rss_end_mb": round(rss_end / 2**20, 1),
        "rss_growth_mb": round(growth_mb, 2),
        "rss_samples": load.rss,
        "windows": windows,
        "messages_expected": expected,
        "messages_delivered": load.delivered,
        "delivery_p50_ms": round(_quantile(deliveries, 0.5) * 1000, 2),
        "delivery_p99_ms": round(_quantile(deliveries, 0.99) * 1000, 2),
        "failures": failures,
    }


def print_report(result: dict[str, Any]) -> None:
    config = result["config"]
    print(
        f"soak: {config['seconds']:.0f} s after {config['warmup']:.0f} s warm-up, "
        f"{config['http_clients']} HTTP clients, "
        f"{config['rooms']}x{config['room_clients']} room sockets"
    )
    print(
        f"requests {result['requests']} ({result['requests_per_second']}/s), "
        f"errors {result['errors']}"
    )
    print(
        f"RSS {result['rss_start_mb']} MB -> {result['rss_end_mb']} MB "
        f"(growth {result['rss_growth_mb']} MB, bound {config['max_rss_growth']} MB)"
    )
    print(f"{'window':>8} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for index, window in enumerate(result["windows"]):
        start = index * config["window"]
        print(
            f"{start:>7.0f}s {window['requests']:>9} {window['errors']:>7} "
            f"{window['p50_ms']:>8} {window['p99_ms']:>8}"
        )
    print(
        f"messages delivered {result['messages_delivered']} of "
        f"{result['messages_expected']} (delivery p50 {result['delivery_p50_ms']} ms, "
        f"p99 {result['delivery_p99_ms']} ms)"
    )
    for failure in result["failures"]:
        print(f"FAIL {failure}")
    for sample in result["error_samples"]:
        print(f"  {sample}")


def parse(argv: list[str] | None) -> tuple[Config, Path | None]:
    defaults = Config()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=defaults.seconds)
    parser.add_argument("--warmup", type=float, default=defaults.warmup)
    parser.add_argument("--window", type=float, default=defaults.window)
    parser.add_argument("--http-clients", type=int, default=defaults.http_clients)
    parser.add_argument("--rooms", type=int, default=defaults.rooms)
    parser.add_argument("--room-clients", type=int, default=defaults.room_clients)
    parser.add_argument("--frame-interval", type=float, default=defaults.frame_interval)
    parser.add_argument("--max-requests", type=int, default=defaults.max_requests)
    parser.add_argument(
        "--max-rss-growth", type=float, default=defaults.max_rss_growth, metavar="MB"
    )
    parser.add_argument("--p99-factor", type=float, default=defaults.p99_factor)
    parser.add_argument("--redis-url", default=None, help="rooms over Redis (REDIS_URL)")
    parser.add_argument("--workers", type=int, default=1, help="needs --redis-url when > 1")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    if args.workers > 1 and not args.redis_url:
        parser.error("--workers > 1 needs --redis-url: rooms in memory are per process")
    options = {key: value for key, value in vars(args).items() if key != "json"}
    return Config(**options), args.json


def main(argv: list[str] | None = None) -> int:
    config, json_path = parse(argv)
    with tempfile.TemporaryDirectory(prefix="hinted-soak-") as directory:
        with serve(config, Path(directory)) as (process, port, log):
            load = asyncio.run(run_load(config, process.pid, port))
        if "Traceback" in log.read_text():
            load.error("server log", log.read_text()[-2000:])
    result = report(config, load)
    result["median_rss_mb"] = round(
        statistics.median(rss for _, rss in load.rss) / 2**20 if load.rss else 0.0, 1
    )
    print_report(result)
    if json_path is not None:
        json_path.write_text(json.dumps(result, indent=2))
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
