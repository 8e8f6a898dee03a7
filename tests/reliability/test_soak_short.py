"""The soak test (``benchmarks/soak.py``), short: 15 s of HTTP and WebSocket load.

The demo under ``hinted run``: no error, every stored message delivered to every
client of its room, RSS growth under 20 MB, and the p99 latency of the last 5-second
window within 3 times the first's (or 10 ms). ``python -m benchmarks.soak`` runs the
3-minute version.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.server import REPO

SECONDS = 15
WINDOW = 5
MAX_RSS_GROWTH_MB = 20
P99_FACTOR = 3


@pytest.mark.timeout(90)
def test_short_soak(tmp_path: Path) -> None:
    output = tmp_path / "soak.json"
    command = [sys.executable, "-m", "benchmarks.soak", "--seconds", str(SECONDS)]
    command += ["--warmup", "3", "--window", str(WINDOW), "--json", str(output)]
    command += ["--http-clients", "4", "--rooms", "2", "--room-clients", "3"]
    command += ["--max-rss-growth", str(MAX_RSS_GROWTH_MB), "--p99-factor", str(P99_FACTOR)]
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=80)
    print(finished.stdout)
    result = json.loads(output.read_text())
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] > 100
    assert result["messages_delivered"] == result["messages_expected"] > 0
    assert result["rss_growth_mb"] < MAX_RSS_GROWTH_MB
    windows = result["windows"]
    assert len(windows) == SECONDS // WINDOW
    assert windows[-1]["p99_ms"] <= P99_FACTOR * max(windows[0]["p99_ms"], 10), windows
    assert finished.returncode == 0, finished.stdout + finished.stderr
