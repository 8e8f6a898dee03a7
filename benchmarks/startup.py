"""Startup and memory, hinted against FastAPI: ``python -m benchmarks.startup --help``.

- **import**: ``import hinted`` / ``import fastapi`` in a fresh interpreter, timed inside
  it (interpreter start-up excluded), wall clock and CPU time.
- **build 1,000 routes**: in a fresh interpreter with the framework already imported,
  the time to create an app, register 1,000 routes (250 each of: static GET, typed
  path + query GET, POST with a pydantic body and ``response_model``, GET with a
  two-level ``Depends`` chain) and start it through its lifespan until it answers its
  first request in-process.
- **openapi()**: then the first ``app.openapi()`` call on that app (the document is
  built there; later calls are cached).
- **idle RSS**: the benchmark app (``benchmarks/apps``) plus a WebSocket echo route
  (``benchmarks/ws_app.py``) under uvicorn in a subprocess, after one HTTP request and
  one WebSocket echo: VmRSS from ``/proc/<pid>/status``.
- **RSS per 1,000 WebSockets**: that process's VmRSS growth after ``--websockets``
  connections are opened (with the ``websockets`` client, each echoing one message) and
  kept open, scaled to 1,000.

Every measurement is repeated ``--repeats`` times, the frameworks alternating (a new
process each time), and reported as the median with the lowest and highest repeat.
"""

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import machine
from benchmarks.report import render
from benchmarks.servers import ROOT, ServerPool, stop_servers_on_signals

FRAMEWORKS = ["hinted", "fastapi"]
ROUTES = 1000
IMPORT_CODE = """
import sys, time, json
wall, cpu = time.perf_counter_ns(), time.process_time_ns()
import {module}
print(json.dumps({{"wall_ms": (time.perf_counter_ns() - wall) / 1e6,
                  "cpu_ms": (time.process_time_ns() - cpu) / 1e6}}))
"""
METRICS = [
    ("import_ms", "import (ms)"),
    ("build_ms", "build ROUTES routes + first answer (ms)"),
    ("openapi_ms", "openapi() of ROUTES routes (ms)"),
    ("idle_rss_mib", "idle RSS (MiB)"),
    ("ws_rss_mib_per_1000", "RSS per 1,000 WebSockets (MiB)"),
]


# -- in the child processes ------------------------------------------------------------


def build_app(framework: str, routes: int):
    """An app of ``routes`` routes written the same way for hinted and FastAPI."""
    from typing import Annotated

    from benchmarks.apps.common import ChatEntry

    if framework == "hinted":
        from hinted import App as Framework
        from hinted import Depends, Query
    else:
        from fastapi import Depends, Query
        from fastapi import FastAPI as Framework

    app = Framework()

    async def base(token: str = "t") -> str:
        return token

    async def user(token: Annotated[str, Depends(base)]) -> dict:
        return {"token": token}

    def static_handler(i: int):
        async def static() -> dict:
            return {"route": i}

        return static

    for i in range(routes // 4):
        static = static_handler(i)

        async def typed(item_id: int, q: str, limit: Annotated[int, Query(ge=1, le=100)] = 10):
            return {"item_id": item_id, "q": q, "limit": limit}

        async def create(entry: ChatEntry) -> ChatEntry:
            return entry

        async def with_deps(u: Annotated[dict, Depends(user)]) -> dict:
            return u

        app.get(f"/static{i}")(static)
        app.get(f"/items{i}/{{item_id}}")(typed)
        app.post(f"/chat{i}", response_model=ChatEntry, status_code=201)(create)
        app.get(f"/deps{i}")(with_deps)
    return app


async def first_answer(app, path: str) -> int:
    from benchmarks.harness import Target
    from benchmarks.scenarios import BY_NAME

    target = await Target("app", app).start()
    try:
        scenario = BY_NAME["dependencies"]
        send_status: list[int] = []

        async def send(message: dict) -> None:
            if message["type"] == "http.response.start":
                send_status.append(message["status"])

        scope, message = target._call_args(scenario)
        scope.update(path=path, raw_path=path.encode(), query_string=b"token=abc")
        scope["state"] = target.state.copy()

        async def receive() -> dict:
            return message

        await app(scope, receive, send)
        return send_status[0]
    finally:
        await target.stop()


def child_build(framework: str, routes: int) -> dict:
    """Build the 1,000-route app, answer one request, then build its OpenAPI document."""
    import hinted  # noqa: F401  (both are imported before timing: only building counts)

    if framework == "fastapi":
        import fastapi  # noqa: F401
    wall, cpu = time.perf_counter_ns(), time.process_time_ns()
    app = build_app(framework, routes)
    status = asyncio.run(first_answer(app, f"/deps{routes // 4 - 1}"))
    build = (time.perf_counter_ns() - wall) / 1e6, (time.process_time_ns() - cpu) / 1e6
    wall, cpu = time.perf_counter_ns(), time.process_time_ns()
    document = app.openapi()
    openapi = (time.perf_counter_ns() - wall) / 1e6, (time.process_time_ns() - cpu) / 1e6
    return {
        "status": status,
        "paths": len(document["paths"]),
        "build_ms": {"wall": build[0], "cpu": build[1]},
        "openapi_ms": {"wall": openapi[0], "cpu": openapi[1]},
    }


# -- in the parent ---------------------------------------------------------------------


def run_child(code_or_args: list[str], timeout: float = 120) -> dict:
    result = subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{code_or_args}: {result.stderr[-1500:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_import(framework: str) -> dict:
    out = run_child(["-c", IMPORT_CODE.format(module=framework)])
    return {"wall": out["wall_ms"], "cpu": out["cpu_ms"]}


def measure_build(framework: str, routes: int) -> dict:
    command = ["-m", "benchmarks.startup", "--child-build", framework, "--routes", str(routes)]
    out = run_child(command)
    if out["status"] != 200 or out["paths"] != routes:
        raise RuntimeError(f"{framework}: status {out['status']}, {out['paths']} paths")
    return out


async def open_websockets(url: str, count: int) -> list:
    from websockets.asyncio.client import connect

    async def one(index: int):
        connection = await connect(url, compression=None, ping_interval=None, proxy=None)
        await connection.send(f"hello {index}")
        if await connection.recv() != f"hello {index}":
            raise RuntimeError("the WebSocket echo answered something else")
        return connection

    connections = []
    for start in range(0, count, 100):  # in batches, not to overflow the listen backlog
        connections += await asyncio.gather(
            *(one(i) for i in range(start, min(start + 100, count)))
        )
    return connections


def measure_memory(framework: str, websockets: int) -> dict:
    """Idle RSS, and RSS growth per 1,000 WebSockets, of uvicorn serving the ws_app."""
    import urllib.request

    with ServerPool() as pool:
        server = pool.start("uvicorn", "benchmarks.ws_app:app", env={"BENCH_FRAMEWORK": framework})
        server.wait_ready()
        ws_url = server.url.replace("http", "ws") + "/ws"
        with urllib.request.urlopen(server.url + "/hello", timeout=10) as response:
            response.read()

        async def scenario() -> dict:
            for connection in await open_websockets(ws_url, 1):
                await connection.close()
            await asyncio.sleep(0.5)
            idle = machine.rss_kib(machine.process_tree(server.pid))
            connections = await open_websockets(ws_url, websockets)
            await asyncio.sleep(1.0)
            loaded = machine.rss_kib(machine.process_tree(server.pid))
            await asyncio.gather(*(connection.close() for connection in connections))
            return {"idle_kib": idle, "loaded_kib": loaded}

        out = asyncio.run(scenario())
    growth = (out["loaded_kib"] - out["idle_kib"]) / 1024 / (websockets / 1000)
    return {"idle_rss_mib": out["idle_kib"] / 1024, "ws_rss_mib_per_1000": growth}


def summary(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "repeats": [round(value, 3) for value in values],
    }


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.startup",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--repeats", type=int, default=5, help="per measurement (default 5)")
    parser.add_argument(
        "--routes", type=int, default=ROUTES, help="routes of the built app (default 1000)"
    )
    parser.add_argument(
        "--websockets", type=int, default=1000, help="WebSockets to open (default 1000)"
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to leave out: import,build,memory",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--markdown", action="store_true", help="print markdown tables")
    parser.add_argument("--charts", metavar="DIR", help="also render PNG charts into DIR")
    parser.add_argument("--child-build", choices=FRAMEWORKS, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def bench(args) -> tuple[dict, list[str]]:
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    samples: dict[str, dict[str, dict[str, list[float]]]] = {
        fw: {name: {"wall": [], "cpu": []} for name, _ in METRICS} for fw in FRAMEWORKS
    }
    failures: list[str] = []
    started = time.monotonic()
    for fw in FRAMEWORKS:  # untimed: compile the .pyc files, fill the page cache
        if "import" not in skip:
            measure_import(fw)
    for repeat in range(args.repeats):
        order = FRAMEWORKS if repeat % 2 == 0 else FRAMEWORKS[::-1]
        for fw in order:
            try:
                if "import" not in skip:
                    for clock, value in measure_import(fw).items():
                        samples[fw]["import_ms"][clock].append(value)
                if "build" not in skip:
                    out = measure_build(fw, args.routes)
                    for name in ("build_ms", "openapi_ms"):
                        for clock, value in out[name].items():
                            samples[fw][name][clock].append(value)
                if "memory" not in skip:
                    for name, value in measure_memory(fw, args.websockets).items():
                        samples[fw][name]["wall"].append(value)
            except Exception as exc:
                failures.append(f"{fw}: {type(exc).__name__}: {exc}"[:500])
        print(
            f"repeat {repeat + 1}/{args.repeats} done ({time.monotonic() - started:.0f} s)",
            file=sys.stderr,
        )
    results = {
        fw: {
            name: {clock: summary(values) for clock, values in clocks.items() if values}
            for name, clocks in samples[fw].items()
            if clocks["wall"]
        }
        for fw in FRAMEWORKS
    }
    return results, failures


def fmt(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def labels(routes: int) -> dict[str, str]:
    return {name: label.replace("ROUTES", f"{routes:,}") for name, label in METRICS}


def tables(results: dict, markdown: bool, routes: int) -> str:
    rows = []
    for name, label in labels(routes).items():
        if not all(name in results[fw] for fw in FRAMEWORKS):
            continue
        row = [label]
        for fw in FRAMEWORKS:
            cell = results[fw][name]["wall"]
            text = f"{fmt(cell['median'])} ({fmt(cell['min'])}-{fmt(cell['max'])})"
            if "cpu" in results[fw][name]:
                text += f", CPU {fmt(results[fw][name]['cpu']['median'])}"
            row.append(text)
        ratio = (
            results["fastapi"][name]["wall"]["median"] / results["hinted"][name]["wall"]["median"]
        )
        row.append(f"{ratio:.2f}x")
        rows.append(row)
    header = ["measurement", *FRAMEWORKS, "fastapi / hinted"]
    title = (
        "startup and memory: median over repeats (min-max), and the median CPU time where "
        "it applies; lower is better; fastapi / hinted > 1 means hinted is ahead"
    )
    return title + "\n" + render(header, rows, markdown)


def versions() -> dict[str, str]:
    return machine.package_versions(
        ("hinted", "fastapi", "starlette", "pydantic", "uvicorn", "websockets")
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.child_build:
        print(json.dumps(child_build(args.child_build, args.routes)))
        return 0
    stop_servers_on_signals()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.websockets + 256
    if soft < wanted and (hard == resource.RLIM_INFINITY or hard >= wanted):
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    print(
        f"{len(FRAMEWORKS)} frameworks x {args.repeats} repeats, about "
        f"{args.repeats * 30} s on an idle machine (more on a busy one)",
        file=sys.stderr,
    )
    description = machine.describe()
    results, failures = bench(args)
    load_after = machine.load_average()
    print(tables(results, args.markdown, args.routes))
    print(f"\nmachine load: load average {description['load_average_at_start']} before, "
          f"{load_after} after")  # fmt: skip
    if failures:
        print("\nfailures:\n" + "\n".join(f"- {failure}" for failure in failures))
    if args.json or args.charts:
        result = {
            "suite": "startup",
            "machine": description,
            "settings": {
                "repeats": args.repeats,
                "websockets": args.websockets,
                "routes": args.routes,
            },
            "command": "python -m benchmarks.startup "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "versions": versions(),
            "load_average": {"before": description["load_average_at_start"], "after": load_after},
            "metrics": labels(args.routes),
            "results": results,
            "failures": failures,
        }
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
        if args.charts:
            from benchmarks.charts import render_result

            for path in render_result(result, Path(args.charts), Path(args.json or "startup").stem):
                print(f"chart: {path}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
