"""Run the in-process benchmarks and print a table: ``python -m benchmarks.run --help``.

Every framework app is imported, started through its lifespan and checked once per
scenario; each (scenario, framework) cell is then warmed up and timed in batches.  Each
of the ``--repeats`` rounds times every scenario for ``--seconds`` per framework, the
frameworks taking turns in 0.1 s slices (in an order rotated every round) so machine
noise hits them all alike.  A cell's value is the median over rounds of each round's
median batch.  Exits non-zero when hinted or raw fails.
"""

import argparse
import asyncio
import gc
import json
import os
import platform
import statistics
import sys
import time

from benchmarks import machine
from benchmarks.harness import CLOCKS, FRAMEWORKS, Target, calibrate, load_app, measure, names
from benchmarks.report import Cell, tables
from benchmarks.scenarios import BY_NAME, SCENARIOS, CheckFailed

MUST_PASS = ("hinted", "raw")
BATCH_NS = 10_000_000  # aim for 10 ms per timed batch
SLICE_SECONDS = 0.1  # within a repeat, frameworks take turns in slices this long


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument(
        "--frameworks",
        default=FRAMEWORKS,
        type=lambda v: names(v, FRAMEWORKS),
        help="comma-separated, default: " + ",".join(FRAMEWORKS),
    )
    scenario_names = [scenario.name for scenario in SCENARIOS]
    parser.add_argument(
        "--scenarios",
        default=scenario_names,
        type=lambda v: names(v, scenario_names),
        help="comma-separated, default: " + ",".join(scenario_names),
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=0.6,
        help="timed seconds per cell per repeat (default 0.6)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="default 5")
    parser.add_argument(
        "--warmup", type=float, default=0.2, help="warm-up seconds per cell (default 0.2)"
    )
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall: perf_counter_ns (default); cpu: process CPU time, steadier on a busy machine",
    )
    parser.add_argument(
        "--cpu",
        type=int,
        default=None,
        help="pin this process to one core (e.g. 1): fewer migrations, steadier numbers",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--markdown", action="store_true", help="print markdown tables")
    parser.add_argument("--charts", metavar="DIR", help="also render PNG charts into DIR")
    return parser.parse_args(argv)


def error_text(exc: BaseException) -> str:
    kind = "check failed" if isinstance(exc, CheckFailed) else "error"
    return f"{kind}: {type(exc).__name__}: {exc}".replace("\n", " ")[:300]


async def prepare(args, scenarios, cells) -> dict[str, Target]:
    """Import, start and verify every app; calibrate the cells that pass."""
    targets = {}
    for fw in args.frameworks:
        stage = "import failed"
        try:
            app = load_app(fw)
            stage = "startup failed"
            targets[fw] = await Target(fw, app, args.clock).start()
        except Exception as exc:
            for scenario in scenarios:
                cells[fw, scenario.name].error = f"{stage}: {type(exc).__name__}: {exc}"
            continue
        for scenario in scenarios:
            cell = cells[fw, scenario.name]
            try:
                await targets[fw].verify(scenario)
                cell.batch = await calibrate(
                    targets[fw], scenario, BATCH_NS, int(args.warmup * 1e9)
                )
            except Exception as exc:
                cell.error = error_text(exc)
    return targets


async def measure_scenario(targets, cells, scenario, order: list[str], seconds: float) -> None:
    """Time one scenario in every framework, the frameworks taking turns in short slices."""
    gc.collect()
    slices = max(1, round(seconds / SLICE_SECONDS))
    samples: dict[str, list[float]] = {fw: [] for fw in order}
    for _ in range(slices):
        for fw in order:
            cell = cells[fw, scenario.name]
            if cell.error is not None:
                continue
            try:
                samples[fw] += await measure(targets[fw], scenario, cell.batch, seconds / slices)
            except Exception as exc:
                cell.error = error_text(exc)
    for fw, values in samples.items():
        if values and cells[fw, scenario.name].error is None:
            cells[fw, scenario.name].repeats.append(statistics.median(values))


async def bench(args, cells) -> None:
    scenarios = [BY_NAME[name] for name in args.scenarios]
    targets = await prepare(args, scenarios, cells)
    started = time.monotonic()
    for repeat in range(args.repeats):
        shift = repeat % len(args.frameworks)
        order = args.frameworks[shift:] + args.frameworks[:shift]
        for scenario in scenarios:
            await measure_scenario(targets, cells, scenario, order, args.seconds)
        elapsed = time.monotonic() - started
        print(f"repeat {repeat + 1}/{args.repeats} done ({elapsed:.0f} s)", file=sys.stderr)
    for target in targets.values():
        await target.stop()


def versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        **machine.package_versions(
            ("hinted", "fastapi", "litestar", "starlette", "blacksheep", "pydantic")
        ),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    cells = {(fw, name): Cell() for fw in args.frameworks for name in args.scenarios}
    cell_count = len(cells)
    estimate = cell_count * (args.repeats * args.seconds + args.warmup)
    note = " of CPU time, more on a busy machine" if args.clock == "cpu" else ""
    print(
        f"{cell_count} cells x {args.repeats} repeats, about {estimate:.0f} s{note}",
        file=sys.stderr,
    )
    description = machine.describe()
    asyncio.run(bench(args, cells))
    print(tables(cells, args.frameworks, args.scenarios, args.markdown, args.clock))
    load_after = machine.load_average()
    print(f"\nload average: {description['load_average_at_start']} before, {load_after} after")
    if args.json or args.charts:
        result = {
            "suite": "inprocess",
            "machine": description,
            "command": "python -m benchmarks.run "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "load_average": {"before": description["load_average_at_start"], "after": load_after},
            "settings": {
                "seconds": args.seconds,
                "repeats": args.repeats,
                "clock": args.clock,
                "cpu": args.cpu,
            },
            "versions": versions(),
            "frameworks": args.frameworks,
            "scenarios": args.scenarios,
            "results": {
                fw: {name: cells[fw, name].as_dict() for name in args.scenarios}
                for fw in args.frameworks
            },
        }
        if args.json:
            with open(args.json, "w") as handle:
                json.dump(result, handle, indent=2)
        if args.charts:
            from pathlib import Path

            from benchmarks.charts import render_result

            stem = Path(args.json).stem if args.json else "inprocess"
            for path in render_result(result, Path(args.charts), stem):
                print(f"chart: {path}", file=sys.stderr)
    failed = [fw for (fw, _), cell in cells.items() if fw in MUST_PASS and not cell.ok]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
