"""A brief coverage-guided run of every fuzz target under atheris (10 s in all).

Long runs: ``python fuzz/run.py --seconds 3600``. Skipped where atheris is not
installed; tests/fuzz/test_targets.py runs the same targets under hypothesis.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.targets import TARGETS

pytest.importorskip("atheris")

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)  # the fuzzing takes 10 s; instrumenting at start-up, more
def test_every_target_survives_a_brief_run(tmp_path: Path) -> None:
    process = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / "run.py"),
            "--seconds=10",
            f"--jobs={len(TARGETS)}",
            f"--corpus={tmp_path / 'corpus'}",
            f"--artifacts={tmp_path / 'artifacts'}",
        ],
        capture_output=True,
        text=True,
        timeout=590,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    for name in TARGETS:
        assert f"{name} " in process.stdout
    assert "FAILED" not in process.stdout
