"""Suite-wide rule: in CI a skipped test is a failure.

Every test here needs only what the project's own set-up installs (``scripts/dev.py
test``: the dev extra, Redis, PostgreSQL, Chromium, the pinned assets). A test that
skips there hides a missing part, so when ``CI`` is set the run fails and names it.
"""

from __future__ import annotations

import os

import pytest

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        _skipped.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and os.environ.get("CI") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped and os.environ.get("CI"):
        terminalreporter.section("skipped tests fail the run in CI")
        for line in _skipped:
            terminalreporter.write_line(line)
