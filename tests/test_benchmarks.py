"""The benchmark apps answer every scenario correctly (no timing is asserted here).

Each framework app is started, checked once per scenario by the harness (status,
content type and body) and then called a few times in the harness's timing loop; the
runner is run for a split second to check its tables and its exit code.  Peers are
never skipped: they come with the ``bench`` extra, so a missing one fails.
"""

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks import run
from benchmarks.harness import FRAMEWORKS, load_app, smoke
from benchmarks.scenarios import SCENARIOS

QUICK = ["--seconds", "0.01", "--repeats", "1", "--warmup", "0"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_scenario_answers_as_expected(framework: str, scenario) -> None:
    asyncio.run(smoke(load_app(framework), scenario, iterations=3))


def test_runner_prints_the_tables(capsys) -> None:
    code = run.main([*QUICK, "--frameworks", "raw,starlette", "--scenarios", "hello"])
    out = capsys.readouterr().out
    assert code == 0
    assert "us/request" in out and "requests/s" in out
    assert "starlette" in out and "raw" in out and "FAILED" not in out


@pytest.mark.parametrize(("broken", "exit_code"), [("fastapi", 0), ("raw", 1)])
def test_runner_reports_a_broken_app(monkeypatch, capsys, broken: str, exit_code: int) -> None:
    def load(framework: str):
        if framework == broken:
            raise ImportError(f"no {framework} here")
        return load_app(framework)

    monkeypatch.setattr(run, "load_app", load)
    code = run.main([*QUICK, "--frameworks", "fastapi,raw", "--scenarios", "hello"])
    out = capsys.readouterr().out
    assert code == exit_code
    assert "IMPORT FAILED" in out and f"no {broken} here" in out
