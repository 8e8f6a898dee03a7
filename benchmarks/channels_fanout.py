"""Fan-out to many WebSocket clients: hinted channels against Starlette + broadcaster.

For each target a server runs in its own uvicorn process on 127.0.0.1 with one
WebSocket route subscribed to the channel ``bench`` and a ``POST /publish`` that
publishes messages stamped with ``time.monotonic_ns()`` (one clock for every process
of the machine). Client processes hold ``--clients`` WebSockets between them, and:

* **burst**: ``--burst`` messages published back to back; throughput is deliveries
  (messages x clients) per second from the first publish to the last delivery, and
  the latency of each delivery includes the queueing the burst causes;
* **paced**: ``--paced`` messages, one every ``--interval`` ms; latency of an idle
  system delivering one message to every client.

Targets: ``hinted-memory``, ``hinted-redis`` (``hinted.channels`` with its bridge),
``broadcaster-memory``, ``broadcaster-redis`` (Starlette + the ``broadcaster``
package, the endpoint its README shows). Redis is ``--redis-url``.

    python benchmarks/channels_fanout.py                      # 1,000 clients, all targets
    python benchmarks/channels_fanout.py --clients 200 --targets hinted-memory,broadcaster-memory

Each phase ends when every client has its messages, or ``--timeout`` seconds after it
started (plus the paced phase's own duration); messages that did not arrive by then
are reported as lost. Not part of the test suite (tests/channels runs it once
with 5 clients).
"""

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

TARGETS = ("hinted-memory", "hinted-redis", "broadcaster-memory", "broadcaster-redis")
CHANNEL = "bench"


# -- the servers --------------------------------------------------------------------------


def stamped(phase: str, index: int) -> str:
    return json.dumps({"p": phase, "i": index, "t": time.monotonic_ns()})


async def publish_phase(publish: Any, phase: str, count: int, interval: float) -> None:
    for index in range(count):
        await publish(stamped(phase, index))
        if interval:
            await asyncio.sleep(interval)


def hinted_app(backend: str, redis_url: str) -> Any:
    from hinted import App, WebSocket
    from hinted.channels import Channels, MemoryBackend, RedisBackend

    channels = Channels(RedisBackend(redis_url) if backend == "redis" else MemoryBackend())
    app = App(lifespan=channels.lifespan, openapi_url=None)

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await channels.bridge(websocket, CHANNEL)

    @app.post("/publish")
    async def publish(phase: str, count: int, interval: float = 0.0) -> None:
        await publish_phase(lambda m: channels.publish(CHANNEL, m), phase, count, interval)

    @app.get("/subscribers")
    def subscribers() -> int:
        return channels.health()["subscribers"]

    return app


def broadcaster_app(url: str) -> Any:
    from broadcaster import Broadcast
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route, WebSocketRoute
    from starlette.websockets import WebSocket

    if url.startswith("redis"):
        from broadcaster._backends.redis import RedisBackend

        class FixedRedisBackend(RedisBackend):
            # broadcaster 0.3.1 wakes its listener before SUBSCRIBE is registered; with
            # redis-py 8 the listener then finds no channel, goes back to sleep for good,
            # and nothing is ever delivered. Subscribing first, then waking it, fixes that.
            async def subscribe(self, channel: str) -> None:
                await self._pubsub.subscribe(channel)
                self._ready.set()

        broadcast = Broadcast(backend=FixedRedisBackend(url))
    else:
        broadcast = Broadcast(url)
    connected = 0

    async def ws(websocket: WebSocket) -> None:
        nonlocal connected
        await websocket.accept()
        async with broadcast.subscribe(channel=CHANNEL) as subscriber:
            connected += 1

            async def drain_client() -> None:
                async for _ in websocket.iter_text():
                    pass

            receiver = asyncio.create_task(drain_client())
            try:
                async for event in subscriber:  # type: ignore[union-attr]
                    if receiver.done():
                        break
                    await websocket.send_text(event.message)
            finally:
                connected -= 1
                receiver.cancel()

    async def publish(request: Request) -> Response:
        query = request.query_params
        await publish_phase(
            lambda m: broadcast.publish(channel=CHANNEL, message=m),
            query["phase"],
            int(query["count"]),
            float(query.get("interval", 0)),
        )
        return Response(status_code=200)

    async def subscribers(request: Request) -> Response:
        return JSONResponse(connected)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with broadcast:
            yield

    return Starlette(
        routes=[
            WebSocketRoute("/ws", ws),
            Route("/publish", publish, methods=["POST"]),
            Route("/subscribers", subscribers),
        ],
        lifespan=lifespan,
    )


def serve(target: str, port: int, redis_url: str) -> None:
    import uvicorn

    framework, backend = target.split("-")
    if framework == "hinted":
        app = hinted_app(backend, redis_url)
    else:
        app = broadcaster_app(redis_url if backend == "redis" else "memory://")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", ws_max_queue=10_000)


# -- the clients --------------------------------------------------------------------------


@dataclass
class Arrivals:
    """What one client process saw of one phase."""

    latencies: list[int] = field(default_factory=list)
    last: int = 0

    async def listen(self, ws: Any, messages: int) -> None:
        for _ in range(messages):
            message = json.loads(await ws.recv())
            now = time.monotonic_ns()
            self.latencies.append(now - message["t"])
            self.last = max(self.last, now)


async def client(port: int, count: int, expected: dict[str, int], timeout: float) -> None:
    """Hold ``count`` sockets and report on stdout, one line per step.

    ``ready`` once connected; then per phase (in ``expected``'s order) one JSON line
    with the latencies and the last arrival, once every socket has the phase's messages
    or ``timeout`` seconds after its first message was due.
    """
    from websockets.asyncio.client import connect

    sockets = []
    for _ in range(count):
        sockets.append(await connect(f"ws://127.0.0.1:{port}/ws", max_queue=None))
    print("ready", flush=True)
    for phase, messages in expected.items():
        arrivals = Arrivals()
        tasks = [asyncio.create_task(arrivals.listen(ws, messages)) for ws in sockets]
        await asyncio.wait(tasks, timeout=timeout)
        for task in tasks:
            task.cancel()
        report = {"phase": phase, "latencies": arrivals.latencies, "last": arrivals.last}
        print(json.dumps(report), flush=True)
    for ws in sockets:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(), 1)


# -- the driver ---------------------------------------------------------------------------


@dataclass
class Result:
    target: str
    clients: int
    deliveries_per_s: float
    burst_p50_ms: float
    burst_p99_ms: float
    paced_p50_ms: float
    paced_p99_ms: float
    lost: int
    error: str | None = None
    deliveries_range: tuple[float, float] | None = None  # lowest and highest round


def combine(target: str, rounds: Sequence[Result]) -> Result:
    """One row from a target's rounds: medians, the deliveries/s range, every loss counted."""
    done = [r for r in rounds if not r.error]
    if not done:
        return rounds[0]
    rates = [r.deliveries_per_s for r in done]
    return Result(
        target,
        done[0].clients,
        statistics.median(rates),
        statistics.median(r.burst_p50_ms for r in done),
        statistics.median(r.burst_p99_ms for r in done),
        statistics.median(r.paced_p50_ms for r in done),
        statistics.median(r.paced_p99_ms for r in done),
        sum(r.lost for r in done),
        None if len(done) == len(rounds) else f"{len(rounds) - len(done)} round(s) failed",
        (min(rates), max(rates)),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def percentile(values: Sequence[int], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1e6


def read_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"client process exited with {process.wait()}")
    return line.strip()


def run_target(target: str, args: argparse.Namespace) -> Result:
    import httpx

    port = free_port()
    me = [sys.executable, os.path.abspath(__file__)]
    server = subprocess.Popen([*me, "serve", target, str(port), args.redis_url])
    clients: list[subprocess.Popen[str]] = []
    try:
        wait_for_port(port, 20)
        expected = {"burst": args.burst, "paced": args.paced}
        shares = [args.clients // args.client_procs] * args.client_procs
        shares[0] += args.clients - sum(shares)
        phase_time = args.timeout + args.paced * args.interval / 1000
        for share in filter(None, shares):
            clients.append(
                subprocess.Popen(
                    [*me, "client", str(port), str(share), json.dumps(expected), str(phase_time)],
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        for process in clients:
            if read_line(process) != "ready":
                raise RuntimeError("a client process did not connect")
        reports: dict[str, list[dict[str, Any]]] = {"burst": [], "paced": []}
        # The server answers HTTP on the loop that is busy fanning out: wait long enough.
        http_timeout = max(60.0, 3 * phase_time)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=http_timeout) as http:
            deadline = time.monotonic() + 30
            while http.get("/subscribers").json() < args.clients:
                if time.monotonic() > deadline:
                    raise TimeoutError("not every client subscribed")
                time.sleep(0.05)
            started = time.monotonic_ns()
            http.post("/publish", params={"phase": "burst", "count": args.burst})
            reports["burst"] = [json.loads(read_line(p)) for p in clients]
            http.post(
                "/publish",
                params={"phase": "paced", "count": args.paced, "interval": args.interval / 1000},
            )
            reports["paced"] = [json.loads(read_line(p)) for p in clients]
        for process in clients:
            process.wait(timeout=30)
    except Exception as exc:  # reported in the table, the other targets still run
        return Result(target, args.clients, 0, *[float("nan")] * 4, 0, error=repr(exc))
    finally:
        for process in [*clients, server]:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stdout is not None:
                process.stdout.close()
    burst = [v for r in reports["burst"] for v in r["latencies"]]
    paced = [v for r in reports["paced"] for v in r["latencies"]]
    last = max(r["last"] for r in reports["burst"])
    seconds = (last - started) / 1e9 if last else float("nan")
    lost = args.clients * (args.burst + args.paced) - len(burst) - len(paced)
    return Result(
        target,
        args.clients,
        len(burst) / seconds if seconds else 0.0,
        percentile(burst, 0.5),
        percentile(burst, 0.99),
        percentile(paced, 0.5),
        percentile(paced, 0.99),
        lost,
    )


def table(results: Sequence[Result]) -> str:
    header = (
        f"{'target':<20} {'clients':>7} {'deliveries/s':>13} {'(min-max)':>17} {'burst p50':>10} "
        f"{'burst p99':>10} {'paced p50':>10} {'paced p99':>10} {'lost':>6}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        if r.error:
            lines.append(f"{r.target:<20} {r.clients:>7} FAILED: {r.error}")
            continue
        low, high = r.deliveries_range or (r.deliveries_per_s, r.deliveries_per_s)
        lines.append(
            f"{r.target:<20} {r.clients:>7} {r.deliveries_per_s:>13,.0f} "
            f"{f'({low:,.0f}-{high:,.0f})':>17} "
            f"{r.burst_p50_ms:>8.1f}ms {r.burst_p99_ms:>8.1f}ms "
            f"{r.paced_p50_ms:>8.1f}ms {r.paced_p99_ms:>8.1f}ms {r.lost:>6}"
        )
    return "\n".join(lines)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--client-procs", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument("--burst", type=int, default=100, help="messages in the burst phase")
    parser.add_argument("--paced", type=int, default=50, help="messages in the paced phase")
    parser.add_argument("--interval", type=float, default=20.0, help="ms between paced messages")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds a phase may take")
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="rounds over the targets, in an order rotated every round (default 3); "
        "a row gives medians, the deliveries/s range and every message lost",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        serve(argv[1], int(argv[2]), argv[3])
        return 0
    if argv[:1] == ["client"]:
        asyncio.run(client(int(argv[1]), int(argv[2]), json.loads(argv[3]), float(argv[4])))
        return 0
    args = parse(argv)
    targets = args.targets.split(",")
    for target in targets:
        if target not in TARGETS:
            raise SystemExit(f"unknown target {target!r}; choose from {', '.join(TARGETS)}")
    # The order of the targets moved the numbers (seen: hinted-redis at 32k deliveries/s
    # in one order, 45k-53k in others): every target takes every place in turn.
    rounds: dict[str, list[Result]] = {target: [] for target in targets}
    for round_index in range(max(1, args.repeats)):
        shift = round_index % len(targets)
        for target in targets[shift:] + targets[:shift]:
            rounds[target].append(run_target(target, args))
    results = [combine(target, rounds[target]) for target in targets]
    print(
        f"\nfan-out: {args.clients} WebSocket clients, burst of {args.burst}, "
        f"{args.paced} paced every {args.interval:g} ms, {os.cpu_count()} CPUs; "
        f"{max(1, args.repeats)} round(s): median (min-max) deliveries/s, median "
        "latencies, messages lost in all rounds\n"
    )
    print(table(results))
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
