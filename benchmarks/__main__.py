"""Every benchmark suite, one after the other: ``python -m benchmarks``.

Runs the in-process suite, the end-to-end suite (uvicorn and granian under wrk), the
startup and memory suite, the GraphQL comparison and the channel fan-out, each with its
own defaults, and writes each one's JSON and charts into ``--out`` (default
``benchmarks/results``), which is where the README's tables and charts come from.
About 13 minutes on a 2-core machine; ``--quick`` cuts every suite short (a few
minutes, noisier numbers) and ``--only`` picks suites.

Each suite is its own process (its own imports, its own servers), started with the
same Python; the command stops at the first suite that fails and says which.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import names

ROOT = Path(__file__).resolve().parent.parent
SUITES = ["inprocess", "e2e", "startup", "graphql", "fanout"]


def commands(out: Path, quick: bool) -> dict[str, list[str]]:
    """The command line of each suite, writing into ``out``."""
    charts = ["--charts", str(out)]
    return {
        "inprocess": [
            "-m",
            "benchmarks.run",
            "--clock",
            "cpu",
            *(
                ["--cpu", str(max(os.sched_getaffinity(0)))]
                if len(os.sched_getaffinity(0)) > 1
                else []
            ),
            "--markdown",
            "--json",
            str(out / "inprocess.json"),
            *charts,
            *(["--seconds", "0.2", "--repeats", "3"] if quick else []),
        ],
        "e2e": [
            "-m",
            "benchmarks.e2e",
            "--markdown",
            "--json",
            str(out / "e2e.json"),
            *charts,
            *(["--repeats", "1"] if quick else []),
        ],
        "startup": [
            "-m",
            "benchmarks.startup",
            "--markdown",
            "--json",
            str(out / "startup.json"),
            *charts,
            *(["--repeats", "2"] if quick else []),
        ],
        "graphql": [
            "-m",
            "benchmarks.graphql_bench",
            "--markdown",
            "--json",
            str(out / "graphql.json"),
            *(["--repeats", "2", "--seconds", "0.3"] if quick else []),
        ],
        "fanout": [
            "-m",
            "benchmarks.channels_fanout",
            "--clients",
            "50" if quick else "200",
            *(["--repeats", "1"] if quick else []),
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--quick", action="store_true", help="short runs of every suite")
    parser.add_argument(
        "--only",
        default=SUITES,
        type=lambda value: names(value, SUITES),
        help="comma-separated suites to run, default: " + ",".join(SUITES),
    )
    args = parser.parse_args(argv)
    chosen = args.only
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out.resolve()
    # Relative to the repository where it can be: the result files record the command.
    lines = commands(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out, args.quick)
    started = time.monotonic()
    for name in chosen:
        command = [sys.executable, *lines[name]]
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        code = subprocess.run(command, cwd=ROOT, check=False).returncode
        if code != 0:
            print(f"\nthe {name} suite failed (exit code {code})", file=sys.stderr)
            return code
    print(f"\nall suites done in {time.monotonic() - started:.0f} s; results in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
