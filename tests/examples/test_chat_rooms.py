"""The chat demo's live rooms: ``/ws/rooms/{room}`` over the memory and Redis channels.

Each test with the ``client`` fixture runs on SQLite and PostgreSQL (conftest.py).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from examples.chat.app import create_app
from examples.chat.settings import Settings
from hinted.testclient import TestClient
from tests.channels._redis import REDIS_URL, redis_available


def entry(message: str, recipient: str, **extra: Any) -> dict[str, Any]:
    return {"message": message, "recipient": recipient, **extra}


def errors(frame: str) -> list[tuple[str, list[Any]]]:
    document = json.loads(frame)
    assert document["type"] == "error"
    return [(error["type"], error["loc"]) for error in document["detail"]]


def test_a_posted_message_reaches_the_room_of_its_recipient(client: TestClient) -> None:
    with client.websocket_connect("/ws/rooms/dave") as dave:
        response = client.post("/messages", json=entry("Hi Dave", "dave", author="ann"))
        assert response.status_code == 201
        assert dave.receive_json() == response.json()
        assert response.json()["author"] == "ann"


def test_a_socket_message_reaches_its_room_and_no_other(client: TestClient) -> None:
    with (
        client.websocket_connect("/ws/rooms/lobby") as ann,
        client.websocket_connect("/ws/rooms/lobby") as bob,
        client.websocket_connect("/ws/rooms/kitchen") as cook,
    ):
        ann.send_json(entry("hello lobby", "lobby", author="ann"))
        sent = ann.receive_json()  # the sender is in the room too
        assert sent["message"] == "hello lobby"
        assert sent["author"] == "ann"
        assert isinstance(sent["id"], int) and isinstance(sent["timestamp"], float)
        assert bob.receive_json() == sent
        # The kitchen's first message is its own: it never saw the lobby's.
        client.post("/messages", json=entry("soup's on", "kitchen"))
        assert cook.receive_json()["message"] == "soup's on"
    # Stored like a POST.
    stored = client.get("/messages", params={"recipient": "lobby"}).json()
    assert stored == [sent]
    # The sockets left: their subscriptions went with them.
    assert client.app.state.rooms.channels.health()["subscribers"] == 0  # type: ignore[attr-defined]


def test_a_socket_message_to_another_recipient_goes_to_that_room(client: TestClient) -> None:
    with (
        client.websocket_connect("/ws/rooms/ann") as ann,
        client.websocket_connect("/ws/rooms/bob") as bob,
    ):
        ann.send_json(entry("psst", "bob"))
        assert bob.receive_json()["message"] == "psst"
        client.post("/messages", json=entry("for ann", "ann"))
        assert ann.receive_json()["message"] == "for ann"


def test_messages_arrive_in_the_order_they_were_sent(client: TestClient) -> None:
    with client.websocket_connect("/ws/rooms/dave") as dave:
        for number in range(20):
            dave.send_json(entry(f"m{number}", "dave"))
        received = [dave.receive_json()["message"] for _ in range(20)]
    assert received == [f"m{number}" for number in range(20)]


def test_bad_frames_get_error_frames_and_the_socket_stays_open(client: TestClient) -> None:
    with client.websocket_connect("/ws/rooms/dave") as dave:
        dave.send_text("hello?")
        assert errors(dave.receive_text()) == [("json_invalid", ["message"])]
        dave.send_json({"message": "no recipient"})
        assert errors(dave.receive_text()) == [("missing", ["message", "recipient"])]
        dave.send_json(entry("v", "dave", version="3.2", timestamp="soon"))
        assert errors(dave.receive_text()) == [
            ("literal_error", ["message", "version"]),
            ("float_type", ["message", "timestamp"]),
        ]
        dave.send_text(json.dumps(entry("x" * 70_000, "dave")))
        assert errors(dave.receive_text()) == [("message_too_large", ["message"])]
        dave.send_json(entry("still here", "dave"))
        assert dave.receive_json()["message"] == "still here"
    assert client.get("/messages", params={"recipient": "dave"}).json()[0]["message"] == (
        "still here"
    )


def test_ten_bad_frames_close_the_socket_with_1007(client: TestClient) -> None:
    with client.websocket_connect("/ws/rooms/dave") as dave:
        for _ in range(10):
            dave.send_text("{")
            dave.receive_text()
        assert dave.receive() == {
            "type": "websocket.close",
            "code": 1007,
            "reason": "Too many invalid messages",
        }


def test_a_room_name_that_is_too_long_is_refused_with_1008(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as info,
        client.websocket_connect("/ws/rooms/" + "r" * 201),
    ):
        pass
    assert info.value.code == 1008
    assert json.loads(info.value.reason)["detail"][0]["loc"] == ["path", "room"]


def test_the_asyncapi_document_describes_the_rooms(client: TestClient) -> None:
    document = client.get("/asyncapi.json").json()
    channel = document["channels"]["room_socket"]
    assert channel["address"] == "/ws/rooms/{room}"
    assert list(channel["messages"]) == ["ChatEntry", "StoredChatEntry", "ErrorFrame"]
    assert document["channels"]["room__room_"]["address"] == "room:{room}"
    assert set(document["operations"]) == {
        "room_socket.receive",
        "room_socket.send",
        "room__room_.send",
        "room__room_.receive",
    }


def test_rooms_span_processes_over_redis(tmp_path: Path) -> None:
    """Two apps, as two processes would be, sharing a database and Redis."""
    if not redis_available(REDIS_URL):
        pytest.fail(f"this test needs a Redis at {REDIS_URL}")
    database_url = f"sqlite:///{tmp_path / 'chat.db'}"
    room = f"room-{uuid.uuid4().hex[:12]}"  # nobody else's on the shared Redis
    settings = Settings(database_url=database_url, redis_url=REDIS_URL)
    with (
        TestClient(create_app(settings)) as first,
        TestClient(create_app(settings)) as second,
        first.websocket_connect(f"/ws/rooms/{room}") as listener,
        second.websocket_connect(f"/ws/rooms/{room}") as speaker,
    ):
        posted = second.post("/messages", json=entry("via redis", room)).json()
        assert listener.receive_json() == posted
        speaker.receive_json()
        speaker.send_json(entry("from the other side", room))
        assert listener.receive_json()["message"] == "from the other side"
        health = first.app.state.rooms.channels.health()  # type: ignore[attr-defined]
        assert health["backend"] == "redis"
