"""Shared by the tests that need a real server or a real browser.

``serve(app)`` runs uvicorn in a thread on a free port of 127.0.0.1 and stops it when
its ``with`` block ends, whatever happened inside; ``wait_until_serving`` waits for a
server started as a process to answer; ``CHROMIUM`` and ``CHROMIUM_ARGS``
launch Debian's headless Chromium the one way these machines allow (no downloaded
browser, no background network).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def wait_until_serving(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Wait up to 30 s for ``url`` to answer 200; fail with the server's ``log`` otherwise."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the server did not answer {url} within 30 s:\n{log.read_text()}")


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(app: Any, *, start_timeout: float = 30, **config: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1:<free port>; yields the base URL, stops on exit.

    ``config`` goes to ``uvicorn.Config`` (``lifespan="off"``, ``ws="none"``…).
    """
    port = free_port()
    settings: dict[str, Any] = {"log_level": "warning", **config}
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + start_timeout
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=start_timeout)
        assert not thread.is_alive(), "uvicorn did not stop"
