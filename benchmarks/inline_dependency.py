"""What a cheap sync dependency costs: on the event loop (``@inline``), in the thread
pool (a plain ``def``), or written ``async``.

The dependency reads a header and turns it into an int: the kind of small sync
function that FastAPI sends to a worker thread every time. Every variant answers
``GET /version`` with the same JSON, its async handler taking the dependency's value;
the baseline reads the header in the handler itself. Apps are called in-process as
``await app(scope, receive, send)`` (see :mod:`benchmarks.harness`), and timed by
this process's CPU time, which counts the worker threads' work too and which other
processes on a busy machine inflate less than wall time. Rounds interleave the
variants so that noise hits them alike; a cell is the median over rounds.

    python -m benchmarks.inline_dependency                 # about 20 seconds
    python -m benchmarks.inline_dependency --seconds 1 --repeats 7 --markdown
"""

import argparse
import asyncio
import functools
import statistics
from collections.abc import Callable
from time import perf_counter_ns
from typing import Annotated, Any

from benchmarks.harness import Target, calibrate
from benchmarks.scenarios import Scenario, equals
from hinted import App, Depends, Header
from hinted.concurrency import inline

SCENARIO = Scenario(
    name="version",
    description="GET /version with X-API-Version: 3",
    method="GET",
    path="/version",
    status=200,
    check_body=equals({"version": 3}),
    headers=((b"x-api-version", b"3"),),
)
SCENARIO_3 = Scenario(
    name="version3",
    description="GET /version with X-API-Version: 3, three dependencies",
    method="GET",
    path="/version",
    status=200,
    check_body=equals({"version": 9}),
    headers=((b"x-api-version", b"3"),),
)


def make_dependency(kind: str, index: int = 0) -> Callable[..., Any]:
    """A fresh dependency reading X-API-Version: ``inline``, ``thread`` or ``async``.

    Each call makes a new function: dependencies are cached per request by identity.
    """
    if kind == "async":

        async def api_version(x_api_version: Annotated[str, Header()] = "1") -> int:
            return int(x_api_version)

    else:

        def api_version(x_api_version: Annotated[str, Header()] = "1") -> int:
            return int(x_api_version)

    api_version.__name__ = f"api_version_{kind}_{index}"
    return inline(api_version) if kind == "inline" else api_version


def baseline_app() -> App:
    app = App()

    @app.get("/version")
    async def version(x_api_version: Annotated[str, Header()] = "1") -> dict[str, int]:
        return {"version": int(x_api_version)}

    return app


def one_dependency_app(kind: str) -> App:
    app = App()
    dependency = make_dependency(kind)

    @app.get("/version")
    async def version(value: Annotated[int, Depends(dependency)]) -> dict[str, int]:
        return {"version": value}

    return app


def three_dependencies_app(kind: str) -> App:
    app = App()
    first, second, third = (make_dependency(kind, index) for index in range(3))

    @app.get("/version")
    async def version(
        a: Annotated[int, Depends(first)],
        b: Annotated[int, Depends(second)],
        c: Annotated[int, Depends(third)],
    ) -> dict[str, int]:
        return {"version": a + b + c}

    return app


LABELS = {"inline": "@inline def", "async": "async def", "thread": "def (thread pool)"}
VARIANTS: dict[str, tuple[Callable[[], App], Scenario]] = {
    "baseline (header read in the handler)": (baseline_app, SCENARIO),
    **{
        f"1 dependency, {label}": (functools.partial(one_dependency_app, kind), SCENARIO)
        for kind, label in LABELS.items()
    },
    **{
        f"3 dependencies, {label}": (functools.partial(three_dependencies_app, kind), SCENARIO_3)
        for kind, label in LABELS.items()
    },
}


async def bench(seconds: float, repeats: int, warmup: float) -> dict[str, dict[str, list[float]]]:
    """CPU and wall microseconds per request, one value per round, for every variant."""
    targets: dict[str, tuple[Target, Scenario, int]] = {}
    for name, (make_app, scenario) in VARIANTS.items():
        target = await Target(name, make_app(), clock="cpu").start()
        await target.verify(scenario)
        batch = await calibrate(target, scenario, int(seconds * 1e9 / 5), int(warmup * 1e9))
        targets[name] = (target, scenario, batch)
    results: dict[str, dict[str, list[float]]] = {
        name: {"cpu": [], "wall": []} for name in VARIANTS
    }
    for _ in range(repeats):
        for name, (target, scenario, batch) in targets.items():
            cpu, wall = [], []
            for _ in range(5):
                started = perf_counter_ns()
                cpu_ns = await target.run(scenario, batch)
                wall.append((perf_counter_ns() - started) / batch / 1000)
                cpu.append(cpu_ns / batch / 1000)
            results[name]["cpu"].append(statistics.median(cpu))
            results[name]["wall"].append(statistics.median(wall))
    for target, _, _ in targets.values():
        await target.stop()
    return results


def table(results: dict[str, dict[str, list[float]]], markdown: bool) -> str:
    base = statistics.median(next(iter(results.values()))["cpu"])
    header = ("variant", "CPU us/req", "min-max", "wall us/req", "vs baseline (CPU)")
    rows = []
    for name, values in results.items():
        cpu = statistics.median(values["cpu"])
        wall = statistics.median(values["wall"])
        spread = f"{min(values['cpu']):.1f}-{max(values['cpu']):.1f}"
        rows.append((name, f"{cpu:.1f}", spread, f"{wall:.1f}", f"{cpu - base:+.1f} us"))
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="per cell and round")
    parser.add_argument("--repeats", type=int, default=5, help="rounds")
    parser.add_argument("--warmup", type=float, default=0.2, help="seconds per cell")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args(argv)
    estimate = len(VARIANTS) * (args.repeats * args.seconds + args.warmup)
    print(f"{len(VARIANTS)} variants x {args.repeats} rounds: about {estimate:.0f} s of CPU time")
    results = asyncio.run(bench(args.seconds, args.repeats, args.warmup))
    print(table(results, args.markdown))


if __name__ == "__main__":
    main()
