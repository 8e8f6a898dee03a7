"""``hinted run examples.chat.app:app`` as a real server process, talked to over TCP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests._live import free_port, wait_until_serving

REPO = Path(__file__).resolve().parents[2]
HINTED = Path(sys.executable).with_name("hinted")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The base URL of a server whose working directory (so its ./chat.db) is ``tmp_path``."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    log = tmp_path / "server.log"
    command = [str(HINTED), "run", "examples.chat.app:app", "--host", "127.0.0.1"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=tmp_path, env=env, stdout=output, stderr=output
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(process, f"{base_url}/health", log)
        yield base_url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"the server did not stop on SIGINT:\n{log.read_text()}")
    assert process.returncode == 0, log.read_text()
    assert "Application shutdown complete" in log.read_text()


def test_hinted_run_serves_the_chat_app(server: str, tmp_path: Path) -> None:
    with httpx.Client(base_url=server, timeout=5) as client:
        created = client.post("/messages", json={"message": "Over TCP", "recipient": "Dave"})
        assert created.status_code == 201, created.text
        entry = created.json()

        fetched = client.get(f"/messages/{entry['id']}")
        assert fetched.status_code == 200
        assert fetched.json() == entry
        assert client.get("/messages", params={"recipient": "Dave"}).json() == [entry]
        assert client.get("/messages/999").json() == {"detail": "Message not found"}

    # The default DATABASE_URL is a file in the server's working directory.
    assert (tmp_path / "chat.db").is_file()
