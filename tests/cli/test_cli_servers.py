"""``hinted run`` / ``hinted dev`` with each server: they serve, they fail clearly.

The serving tests start the real command in a subprocess on a free loopback port,
request a tiny app through it and stop it; granian's only run where granian is
installed (it is an optional extra, ``hinted[granian]``, pulled in by ``bench``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hinted import cli

HAS_GRANIAN = importlib.util.find_spec("granian") is not None
SERVERS = [
    "uvicorn",
    pytest.param(
        "granian",
        marks=pytest.mark.skipif(not HAS_GRANIAN, reason="granian is not installed"),
    ),
]
TINY_APP = """
from hinted import App, Request

app = App()


@app.get("/ping")
async def ping(request: Request, n: int = 0):
    return {"pong": n + 1, "root_path": request.scope.get("root_path", "")}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "tiny_cli_app.py").write_text(TINY_APP)
    return tmp_path


def get_json(url: str, deadline: float, process: subprocess.Popen[bytes]) -> object:
    """GET ``url`` until the server answers (or exits, or the deadline passes)."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> bytes:
    """Interrupt the server (as Ctrl+C would) and return its output; kill it if it hangs."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    return output


@pytest.mark.timeout(60)
@pytest.mark.parametrize("server", SERVERS)
def test_run_serves_the_app(app_dir: Path, server: str) -> None:
    port = free_port()
    command = [sys.executable, "-m", "hinted.cli", "run", "tiny_cli_app:app"]
    command += ["--server", server, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", "--log-level", "warning", "--root-path", "/api"]
    command += ["--no-access-log"]
    process = subprocess.Popen(
        command,
        cwd=app_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stop() reaches granian's workers
    )
    try:
        url = f"http://127.0.0.1:{port}/ping?n=41"
        answer = get_json(url, time.monotonic() + 30, process)
    finally:
        output = stop(process)
    assert answer == {"pong": 42, "root_path": "/api"}, output.decode(errors="replace")


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("command", ["run", "dev"])
@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("tiny_cli_app", "expected MODULE:ATTRIBUTE"),
        ("no_such_module_here:app", "cannot import 'no_such_module_here'"),
        ("tiny_cli_app:nope", "'tiny_cli_app' has no attribute 'nope'"),
    ],
)
def test_a_bad_target_is_a_clear_error(
    app_dir: Path, command: str, server: str, target: str, message: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hinted.cli", command, target, "--server", server],
        cwd=app_dir,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert f"error: {message}" in result.stderr
    assert "Traceback" not in result.stderr


def test_granian_missing_is_a_clear_error(monkeypatch, app_dir: Path) -> None:
    monkeypatch.chdir(app_dir)
    monkeypatch.setitem(sys.modules, "granian", None)  # `import granian` raises ImportError
    with pytest.raises(SystemExit) as raised:
        cli.main(["run", "tiny_cli_app:app", "--server", "granian"])
    assert str(raised.value) == cli.GRANIAN_MISSING
    assert 'pip install "hinted[granian]"' in cli.GRANIAN_MISSING


@pytest.mark.parametrize("command", ["run", "dev"])
def test_help_lists_the_options(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hinted.cli", command, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    options = ["--server", "{uvicorn,granian}", "--host", "--port", "--log-level"]
    options += ["--root-path", "--proxy-headers", "--no-access-log"]
    options.append("--workers" if command == "run" else "--reload-dir")
    missing = [option for option in options if option not in result.stdout]
    assert not missing, result.stdout
