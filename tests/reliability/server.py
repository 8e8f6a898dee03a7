"""``hinted run tests.reliability.served:app`` in a subprocess, always stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests._live import free_port

REPO = Path(__file__).resolve().parents[2]
HINTED = Path(sys.executable).with_name("hinted")


class Server:
    """One server process on a free loopback port, with its database, marker and log."""

    def __init__(self, directory: Path, *options: str, app: str = "tests.reliability.served:app"):
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = directory / "chat.db"
        self.marker = directory / "shutdown.json"
        self.log = directory / "server.log"
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        env["RELIABILITY_DB"] = str(self.database)
        env["RELIABILITY_MARKER"] = str(self.marker)
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        command = [str(HINTED), "run", app, "--port", str(self.port), "--no-access-log"]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [*command, *options], cwd=REPO, env=env, stdout=output, stderr=output
            )

    def wait_until_serving(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the server did not start:\n{self.log.read_text()}")

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s: the process never outlives the test."""
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def refuses_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return False
        except ConnectionRefusedError:
            return True

    def shutdown_ledger(self) -> dict[str, Any]:
        ledger: dict[str, Any] = json.loads(self.marker.read_text())
        return ledger

    def __enter__(self) -> Server:
        try:
            self.wait_until_serving()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


__all__ = ["REPO", "Server", "free_port"]
