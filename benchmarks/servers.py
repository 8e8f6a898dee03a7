"""Start benchmark apps under a real server in subprocesses, and always stop them.

Each server runs in its own process group (granian serves from a child process), is
optionally pinned to one core with ``taskset``, and is stopped with SIGTERM, then
SIGKILL for the whole group.  ``ServerPool`` is a context manager that stops every
server it started however the block ends (an error, Ctrl+C, SIGTERM), and an ``atexit``
hook does the same for anything left behind.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVERS = ["uvicorn", "granian"]


def server_available(server: str) -> bool:
    return importlib.util.find_spec(server) is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pin(command: list[str], cpu: int | None) -> list[str]:
    """Prefix ``command`` with ``taskset -c cpu`` (when asked and possible)."""
    if cpu is None or shutil.which("taskset") is None:
        return command
    return ["taskset", "-c", str(cpu), *command]


def server_command(server: str, target: str, port: int) -> list[str]:
    """One worker, access log off, uvloop; uvicorn with httptools, granian HTTP/1 only."""
    if server == "uvicorn":
        return [
            sys.executable, "-m", "uvicorn", target,
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
            "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning",
        ]  # fmt: skip
    if server == "granian":
        return [
            sys.executable, "-m", "granian", target,
            "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port),
            "--workers", "1", "--runtime-threads", "1", "--loop", "uvloop", "--http", "1",
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
    raise ValueError(f"unknown server {server!r}; choose from {SERVERS}")


class ServerFailed(RuntimeError):
    pass


class Server:
    """One server process (group) serving ``target`` on a free loopback port."""

    def __init__(
        self, server: str, target: str, cpu: int | None = None, env: dict | None = None
    ) -> None:
        self.server, self.target, self.cpu = server, target, cpu
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        self.process = subprocess.Popen(
            pin(server_command(server, target, self.port), cpu),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        _LIVE.add(self)

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self, limit: int = 2000) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-limit:]

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until the port accepts connections; raise ServerFailed otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise ServerFailed(f"{self.server} exited: {self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise ServerFailed(
                        f"{self.server} not listening after {timeout:.0f} s: {self.output()}"
                    ) from None
                time.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the process group, SIGKILL it if it lingers; idempotent."""
        _LIVE.discard(self)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        with contextlib.suppress(ProcessLookupError):  # granian's worker, or any other left
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.log.close()


_LIVE: set[Server] = set()


@atexit.register
def stop_all() -> None:
    for server in list(_LIVE):
        server.stop(timeout=3)


def _terminate(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through every ``finally`` / ``with``


def stop_servers_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into SystemExit so servers are stopped on the way out."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)


class ServerPool:
    """Servers started through ``start()`` are all stopped when the block ends."""

    def __init__(self) -> None:
        self.servers: list[Server] = []

    def start(self, server: str, target: str, cpu: int | None = None, **kwargs) -> Server:
        started = Server(server, target, cpu, **kwargs)
        self.servers.append(started)
        return started

    def __enter__(self) -> ServerPool:
        return self

    def __exit__(self, *exc_info) -> None:
        for server in self.servers:
            server.stop()
        self.servers.clear()
