"""benchmarks/channels_fanout.py runs end to end with a handful of clients (no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # benchmarks/ is not installed

from benchmarks import channels_fanout


def test_fanout_benchmark_prints_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    quick = "--clients 5 --client-procs 1 --burst 5 --paced 2 --interval 5 --timeout 5"
    code = channels_fanout.main([*quick.split(), "--targets", "hinted-memory"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "deliveries/s" in out and "FAILED" not in out
    rows = [line.split() for line in out.splitlines() if line.startswith("hinted")]
    assert [(row[0], row[1], row[-1]) for row in rows] == [("hinted-memory", "5", "0")]
