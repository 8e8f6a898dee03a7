"""docs/guide/channels.md: its examples do what the page says."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from starlette.websockets import WebSocketDisconnect

from hinted.channels import MemoryBackend, RedisBackend
from hinted.testclient import TestClient
from tests.channels._redis import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs_src" / "channels"
PAGE = ROOT / "docs" / "guide" / "channels.md"


def load(module: str) -> ModuleType:
    """Import an example as a reader runs it: its folder first on sys.path, fresh each time."""
    names = {path.stem for path in EXAMPLES.glob("*.py")}
    for name in names:
        sys.modules.pop(name, None)
    sys.path.insert(0, str(EXAMPLES))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(EXAMPLES))
        for name in names:
            sys.modules.pop(name, None)


def json_blocks() -> list[object]:
    text = PAGE.read_text(encoding="utf-8")
    return [json.loads(b) for b in re.findall(r"^```json\n(.*?)^```", text, re.M | re.S)]


def test_the_chat_room() -> None:
    app = load("main").app
    with TestClient(app) as client:
        with (
            client.websocket_connect("/ws/rooms/dave") as dave,
            client.websocket_connect("/ws/rooms/ada") as ada,
        ):
            response = client.post("/messages", json={"message": "Hello", "recipient": "dave"})
            assert response.status_code == 202
            assert dave.receive_json() == {"message": "Hello", "recipient": "dave", "author": None}

            ada.send_json({"message": "hi", "recipient": "ada", "author": "ada"})
            assert ada.receive_json() == {"message": "hi", "recipient": "ada", "author": "ada"}

            ada.send_json({"message": "", "recipient": "ada"})
            assert ada.receive_json() == json_blocks()[0]  # the error frame the page shows
            ada.send_json({"message": "still open", "recipient": "ada"})
            assert ada.receive_json()["message"] == "still open"

            health = client.get("/health/channels").json()
            assert health.keys() == json_blocks()[1].keys()  # type: ignore[attr-defined]
            assert health["backend"] == "memory" and health["subscribers"] == 2
        assert client.get("/health/channels").json()["subscribers"] == 0


def test_the_redis_app_uses_memory_without_redis_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    module = load("redis_app")
    assert isinstance(module.channels.backend, MemoryBackend)
    assert (module.channels.queue_size, module.channels.overflow) == (500, "disconnect")


def test_the_redis_app_shares_rooms_through_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    first, second = load("redis_app"), load("redis_app")  # two apps, as two processes
    assert isinstance(first.channels.backend, RedisBackend)
    with (
        TestClient(first.app) as one,
        TestClient(second.app) as two,
        one.websocket_connect("/ws/rooms/guide") as alice,
        two.websocket_connect("/ws/rooms/guide") as bob,
    ):
        alice.send_text("across processes")
        assert bob.receive_text() == "across processes"
        assert alice.receive_text() == "across processes"


def test_subscribing_yourself() -> None:
    app = load("notifications").app
    with TestClient(app) as client, client.websocket_connect("/ws/notifications/ada") as ws:
        client.post("/users/ada/notify", params={"text": "build passed"})
        client.post("/users/bob/notify", params={"text": "not for ada"})
        client.post("/broadcast", params={"text": "deploy at noon"})
        assert ws.receive_json() == {"channel": "user:ada", "text": "BUILD PASSED", "missed": 0}
        assert ws.receive_json() == {"channel": "broadcast", "text": "DEPLOY AT NOON", "missed": 0}
        client.post("/users/ada/notify", params={"text": "bye"})
        assert ws.receive_json()["text"] == "BYE"
        with pytest.raises(WebSocketDisconnect):
            ws.receive_json()


def test_the_testing_example_passes() -> None:
    load("test_chat").test_a_posted_message_reaches_the_room()


def test_the_page_shows_every_example() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for path in EXAMPLES.glob("*.py"):
        assert f"`docs_src/channels/{path.name}`\n\n```python\n{path.read_text()}```" in text
