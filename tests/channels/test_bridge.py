"""``channels.bridge``: a WebSocket route wired to channels both ways, through a hinted app."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, Field
from starlette.websockets import WebSocketDisconnect

from hinted import App, WebSocket
from hinted.channels import ChannelBackend, Channels, ChannelsNotStartedError
from hinted.testclient import TestClient

Backend = Callable[[], ChannelBackend]


class ChatEntry(BaseModel):
    message: str = Field(min_length=1)
    recipient: str
    author: str | None = None


def make_app(channels: Channels, prefix: str) -> App:
    app = App(lifespan=channels.lifespan)

    @app.post("/rooms/{room}/messages", status_code=204)
    async def post_message(room: str, entry: ChatEntry) -> None:
        await channels.publish(f"{prefix}room:{room}", entry)

    @app.websocket("/ws/rooms/{room}")
    async def room_socket(websocket: WebSocket, room: str) -> None:
        await channels.bridge(websocket, f"{prefix}room:{room}", incoming=ChatEntry)

    @app.websocket("/ws/raw/{room}")
    async def raw_socket(websocket: WebSocket, room: str) -> None:
        await channels.bridge(websocket, f"{prefix}room:{room}")

    @app.get("/health")
    def health() -> dict[str, Any]:
        return dict(channels.health())

    return app


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    done = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("condition not met in time")


ENTRY = {"message": "Hello", "recipient": "Dave", "author": None}


def test_http_posts_reach_the_socket(make_backend: Backend, prefix: str) -> None:
    channels = Channels(make_backend())
    with TestClient(make_app(channels, prefix)) as client:
        with client.websocket_connect("/ws/rooms/1") as ws:
            for i in range(3):
                response = client.post("/rooms/1/messages", json={**ENTRY, "message": f"m{i}"})
                assert response.status_code == 204
            assert [ws.receive_json()["message"] for _ in range(3)] == ["m0", "m1", "m2"]
            client.post("/rooms/2/messages", json=ENTRY)  # another room: not received
            client.post("/rooms/1/messages", json={**ENTRY, "message": "last"})
            assert ws.receive_json() == {**ENTRY, "message": "last"}
        wait_until(lambda: channels.health()["subscribers"] == 0)
        assert client.get("/health").json()["channels"] == 0


def test_frames_reach_other_subscribers(make_backend: Backend, prefix: str) -> None:
    channels = Channels(make_backend())
    with TestClient(make_app(channels, prefix)) as client:
        with (
            client.websocket_connect("/ws/rooms/1") as alice,
            client.websocket_connect("/ws/rooms/1") as bob,
        ):
            wait_until(lambda: channels.health()["subscribers"] == 2)
            alice.send_text(json.dumps({"message": "hi bob", "recipient": "bob"}))
            expected = {"message": "hi bob", "recipient": "bob", "author": None}
            assert bob.receive_json() == expected
            assert alice.receive_json() == expected  # the sender is a subscriber too
            bob.send_bytes(json.dumps({"message": "bytes", "recipient": "alice"}).encode())
            assert alice.receive_json()["message"] == "bytes"
        wait_until(lambda: channels.health()["subscribers"] == 0)


def test_invalid_frames_get_an_error_and_the_socket_stays_open(
    make_backend: Backend, prefix: str
) -> None:
    channels = Channels(make_backend())
    with (
        TestClient(make_app(channels, prefix)) as client,
        client.websocket_connect("/ws/rooms/1") as ws,
    ):
        ws.send_text("{not json")
        error = ws.receive_json()
        assert error["error"] == "invalid message"
        assert error["detail"][0]["type"] == "json_invalid"

        ws.send_text(json.dumps({"message": "", "recipient": 3}))
        error = ws.receive_json()
        assert error["error"] == "invalid message"
        assert [(e["loc"], e["type"]) for e in error["detail"]] == [
            (["message"], "string_too_short"),
            (["recipient"], "string_type"),
        ]

        ws.send_text(json.dumps({"message": "valid", "recipient": "all"}))
        assert ws.receive_json()["message"] == "valid"  # still open; nothing else was sent
        assert channels.health()["subscribers"] == 1


def test_without_a_model_frames_are_published_as_they_are(
    make_backend: Backend, prefix: str
) -> None:
    channels = Channels(make_backend())
    with (
        TestClient(make_app(channels, prefix)) as client,
        client.websocket_connect("/ws/raw/9") as ws,
    ):
        ws.send_text("plain text")
        assert ws.receive_text() == "plain text"
        ws.send_bytes(b"\xff\x00")
        assert ws.receive_bytes() == b"\xff\x00"  # not UTF-8: a binary frame


def test_shutdown_closes_sockets_with_1001(prefix: str) -> None:
    channels = Channels()
    client = TestClient(make_app(channels, prefix))
    with client:
        ws = client.websocket_connect("/ws/raw/1").__enter__()
        wait_until(lambda: channels.health()["subscribers"] == 1)
        client.portal.call(channels.stop)  # type: ignore[union-attr]
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert info.value.code == 1001
        ws.__exit__(None, None, None)
        client.portal.call(channels.start)  # type: ignore[union-attr]


def test_slow_consumer_is_disconnected_with_1013(prefix: str) -> None:
    channels = Channels(queue_size=5, overflow="disconnect")
    blocked = threading.Event()
    app = make_app(channels, prefix)

    @app.websocket("/ws/slow")
    async def slow(websocket: WebSocket) -> None:
        original = websocket.send

        async def stuck_send(message: Any) -> None:
            if message["type"] == "websocket.send":
                await asyncio.sleep(3600)  # a client that never reads
            await original(message)

        websocket.send = stuck_send  # type: ignore[method-assign]
        blocked.set()
        await channels.bridge(websocket, f"{prefix}room:slow")

    with TestClient(app) as client, client.websocket_connect("/ws/slow") as ws:
        wait_until(lambda: channels.health()["subscribers"] == 1)
        for i in range(10):
            client.post("/rooms/slow/messages", json={**ENTRY, "message": str(i)})
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert info.value.code == 1013
        assert channels.health()["slow_disconnects"] == 1
        assert channels.health()["subscribers"] == 0


def test_publish_without_lifespan_is_a_clear_error(prefix: str) -> None:
    client = TestClient(make_app(Channels(), prefix), raise_server_exceptions=True)
    with pytest.raises(ChannelsNotStartedError):
        client.post("/rooms/1/messages", json=ENTRY)
