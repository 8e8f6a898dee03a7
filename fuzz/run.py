"""Run the atheris fuzz targets of ``fuzz/targets.py``, each in its own process.

```
python fuzz/run.py --seconds 600                 # every target, 600 s shared between them
python fuzz/run.py --seconds 3600 --target form  # one target for an hour
python fuzz/run.py --seconds 10 --jobs 4         # the brief run of the test suite
```

Each target keeps a corpus in ``fuzz/corpus/<target>`` (inputs that reached new
code, reused by the next run) and writes any input that made it fail to
``fuzz/artifacts/``; replay one with ``python fuzz/targets.py <target> <file>``.
Exits with 1 when a target failed. Without atheris (``pip install atheris``; Linux
and macOS wheels), it says so and exits with 2.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from fuzz.targets import TARGETS  # noqa: E402


@dataclasses.dataclass
class Result:
    target: str
    returncode: int
    runs: int
    seconds: float
    coverage: int
    artifact: str | None
    tail: str


def run_target(name: str, seconds: int, corpus: Path, artifacts: Path, keep: bool) -> Result:
    corpus_dir = corpus / name
    corpus_dir.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(HERE / "targets.py"),
        name,
        f"-max_total_time={seconds}",
        "-timeout=20",  # seconds for one input
        "-rss_limit_mb=4096",
        "-max_len=4096",
        "-print_final_stats=1",
        f"-artifact_prefix={artifacts}/{name}-",
    ]
    if keep:
        command.append(str(corpus_dir))
    started = time.monotonic()
    process = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    output = process.stdout + process.stderr
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", output)
    coverage = re.findall(r"cov: (\d+)", output)
    artifact = re.search(r"Test unit written to (\S+)", output)
    return Result(
        target=name,
        returncode=process.returncode,
        runs=int(runs.group(1)) if runs else 0,
        seconds=time.monotonic() - started,
        coverage=int(coverage[-1]) if coverage else 0,
        artifact=artifact.group(1) if artifact else None,
        tail="\n".join(output.strip().splitlines()[-40:]),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="total time, shared by targets")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="repeatable")
    parser.add_argument("--jobs", type=int, default=1, help="targets run at once")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--artifacts", type=Path, default=HERE / "artifacts")
    parser.add_argument("--no-corpus", action="store_true", help="start from nothing, keep nothing")
    options = parser.parse_args(argv)
    if importlib.util.find_spec("atheris") is None:
        print("atheris is not installed: pip install atheris", file=sys.stderr)
        return 2
    names = options.target or list(TARGETS)
    # Time per target: the total divided between the rounds of parallel jobs.
    rounds = -(-len(names) // max(1, options.jobs))
    seconds = max(1, options.seconds // rounds)
    with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
        results = list(
            pool.map(
                lambda name: run_target(
                    name, seconds, options.corpus, options.artifacts, not options.no_corpus
                ),
                names,
            )
        )
    failed = False
    for result in results:
        status = "ok" if result.returncode == 0 else f"FAILED ({result.returncode})"
        print(
            f"{result.target:<11} {status:<12} {result.runs:>9} runs "
            f"{result.seconds:6.1f} s  coverage {result.coverage}"
        )
        if result.returncode != 0:
            failed = True
            print(f"  input: {result.artifact}\n{result.tail}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
