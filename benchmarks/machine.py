"""What machine a benchmark ran on, and how busy other work kept it meanwhile.

``describe()`` is stored with every result file (and printed on every chart): CPU model,
core count, memory, kernel, Python, date.  ``CpuMeter`` reads ``/proc/stat`` around a
measurement and subtracts the CPU time of our own processes, which gives how much of
each core *other* work used: on a shared machine that is the noise in the numbers.
"""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def load_average() -> list[float]:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return []


def source_revision() -> str:
    """The commit measured, ``-dirty`` when hinted/ had uncommitted changes."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "hinted"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("-dirty" if changed else "")


def package_versions(packages: Iterable[str]) -> dict[str, str]:
    """The installed version of each package ("not installed" for a missing one)."""
    found = {}
    for package in packages:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def describe() -> dict:
    """The machine, the interpreter and the moment, as stored in every result file."""
    cores = os.cpu_count() or 1
    memory = _memory_gib()
    cpu = _cpu_model()
    summary = f"{cpu}, {cores} cores" + (f", {memory:g} GiB" if memory else "")
    summary += f", Linux {platform.release()}" if platform.system() == "Linux" else ""
    summary += f", Python {platform.python_version()}"
    return {
        "summary": summary,
        "cpu": cpu,
        "cores": cores,
        "memory_gib": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "host": socket.gethostname(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": source_revision(),
        "load_average_at_start": load_average(),
    }


def _core_busy_ticks() -> dict[int, int]:
    """Busy (non-idle, non-iowait) ticks of each core since boot, from /proc/stat."""
    busy = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if not name.startswith("cpu") or name == "cpu":
            continue
        values = [int(value) for value in fields]
        busy[int(name[3:])] = sum(values[:8]) - values[3] - values[4]  # minus idle, iowait
    return busy


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (granian serves from a child process)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                todo += [int(child) for child in children]
        except OSError:
            continue
    return found


def cpu_ticks(pids: list[int]) -> int:
    """User + system ticks used so far by ``pids`` (gone ones count as 0)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def cpu_ns(pids: list[int]) -> int:
    """CPU time used so far by every thread of ``pids``, in ns (from schedstat)."""
    total = 0
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                total += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    return total


def rss_kib(pids: list[int]) -> int:
    """Resident memory (VmRSS) of ``pids``, summed, in KiB."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


class CpuMeter:
    """How busy each core was with *other* work between ``start()`` and ``stop()``.

    ``ours`` maps a core to the pids pinned to it; their CPU time is subtracted from that
    core's busy time.  ``extra_ticks`` (per core) is for our processes that are gone by
    ``stop()`` (a finished wrk is accounted by the caller through ``getrusage``).
    """

    available = Path("/proc/stat").exists()

    def __init__(self, ours: dict[int, list[int]]) -> None:
        self.ours = ours
        self._busy: dict[int, int] = {}
        self._own: dict[int, int] = {}
        self._wall = 0.0

    def start(self) -> None:
        if not self.available:
            return
        self._busy = _core_busy_ticks()
        self._own = {core: cpu_ticks(pids) for core, pids in self.ours.items()}
        self._wall = time.monotonic()

    def stop(self, extra_ticks: dict[int, float] | None = None) -> dict[int, float]:
        """Per core: the fraction of the interval other processes kept it busy (0-1)."""
        if not self.available or not self._busy:
            return {}
        wall_ticks = (time.monotonic() - self._wall) * CLOCK_TICKS
        busy = _core_busy_ticks()
        other = {}
        for core in self.ours:
            if core not in busy:
                continue
            used = busy[core] - self._busy[core]
            own = cpu_ticks(self.ours[core]) - self._own[core]
            own += (extra_ticks or {}).get(core, 0)
            other[core] = round(min(1.0, max(0.0, (used - own) / max(wall_ticks, 1))), 3)
        return other
