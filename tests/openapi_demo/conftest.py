"""The chat demo (examples/chat) as a real server: uvicorn in a subprocess on 127.0.0.1.

One server serves every test of this folder that asks for ``demo``: a fresh SQLite file
in a temporary directory, the API key below, stopped (SIGINT, then kill) at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests._live import free_port, wait_until_serving

REPO = Path(__file__).resolve().parents[2]
API_KEY = "openapi-demo-test-key"


@dataclass(frozen=True)
class Demo:
    """A running chat demo: where it listens and the key its admin endpoints want."""

    base_url: str
    api_key: str
    log: Path


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The chat demo served by uvicorn on a free port of 127.0.0.1."""
    directory = tmp_path_factory.mktemp("chat-demo")
    port = free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{directory / 'chat.db'}",
        API_KEY=API_KEY,
        MIGRATE_ON_STARTUP="true",
        DEBUG="false",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    log = directory / "server.log"
    command = [sys.executable, "-m", "uvicorn", "examples.chat.app:app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=directory, env=env, stdout=output, stderr=output)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, f"{base_url}/health", log)
        yield Demo(base_url=base_url, api_key=API_KEY, log=log)
    finally:
        _stop(process)
