"""The benchmark apps answer every scenario correctly (no timing is asserted here).

Each framework app is started, checked once per scenario by the harness (status,
content type and body) and then called a few times in the harness's timing loop.
Peers are never skipped: they come with the ``bench`` extra, so a missing one fails.
"""

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks.harness import FRAMEWORKS, load_app, smoke
from benchmarks.scenarios import SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_scenario_answers_as_expected(framework: str, scenario) -> None:
    asyncio.run(smoke(load_app(framework), scenario, iterations=3))


def test_runner_reports_failures_in_the_table(capsys) -> None:
    from benchmarks import run

    code = run.main(
        [
            "--frameworks",
            "raw",
            "--scenarios",
            "hello",
            "--seconds",
            "0.01",
            "--repeats",
            "1",
            "--warmup",
            "0",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "hello" in out and "raw" in out
