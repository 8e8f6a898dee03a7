"""Typed WebSocket messages: validation of each frame, error frames, 1007, serialisation."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field
from pydantic_core import PydanticSerializationError
from starlette.websockets import WebSocketDisconnect

from hinted import App, Depends, Query
from hinted.exceptions import HintedError
from hinted.testclient import TestClient
from hinted.websockets import MessageOptions, TypedWebSocket


class Move(BaseModel):
    """A move in a game."""

    x: int = Field(ge=0, le=9)
    y: int = Field(ge=0, le=9)


class Placed(BaseModel):
    kind: Literal["placed"] = "placed"
    x: int
    y: int
    by: str


class Board(BaseModel):
    kind: Literal["board"] = "board"
    cells: list[list[str]]


Game = Annotated[
    TypedWebSocket[Move, Placed | Board],
    MessageOptions(max_size=64, max_bad_messages=3),
]


def player_socket(ws: TypedWebSocket[Move, Move]) -> TypedWebSocket[Move, Move]:
    """A dependency that asks for the same typed socket as the handler."""
    return ws


def make_app(events: list[str]) -> App:
    app = App()

    @app.websocket("/games/{game}")
    async def play(ws: Game, game: int, player: Annotated[str, Query(min_length=2)]) -> None:
        await ws.accept()
        await ws.send(Board(cells=[[""] * 3] * 3))
        async for move in ws:
            events.append(f"{game}:{move.x},{move.y}")
            await ws.send(Placed(x=move.x, y=move.y, by=player))
        events.append(f"ended after {ws.bad_messages} bad")

    @app.websocket("/text-only")
    async def text_only(
        ws: Annotated[TypedWebSocket[Move, Move], MessageOptions(frames="text")],
    ) -> None:
        async for move in ws:  # accepts on first use
            await ws.send(move)

    @app.websocket("/patient")
    async def patient(
        ws: Annotated[TypedWebSocket[Move, Move], MessageOptions(max_bad_messages=None)],
    ) -> None:
        async for move in ws:
            await ws.send(move)

    @app.websocket("/anything")
    async def anything(ws: TypedWebSocket[Any, Any]) -> None:
        async for value in ws:
            await ws.send({"got": value})

    @app.websocket("/wrong-output")
    async def wrong_output(ws: TypedWebSocket[Move, Placed]) -> None:
        async for move in ws:
            await ws.send(move.model_dump())  # type: ignore[arg-type]

    @app.websocket("/shared")
    async def shared(
        ws: TypedWebSocket[Move, Move],
        same: Annotated[TypedWebSocket[Move, Move], Depends(player_socket)],
    ) -> None:
        await ws.accept()
        await ws.websocket.send_json({"same": ws is same})
        await ws.close()

    return app


@pytest.fixture
def events() -> list[str]:
    return []


@pytest.fixture
def client(events: list[str]) -> TestClient:
    return TestClient(make_app(events))


def error_of(frame: str) -> list[dict[str, Any]]:
    document = json.loads(frame)
    assert document["type"] == "error"
    detail: list[dict[str, Any]] = document["detail"]
    return detail


def test_valid_messages_are_validated_and_answers_serialised(
    client: TestClient, events: list[str]
) -> None:
    with client.websocket_connect("/games/7?player=ann") as ws:
        assert ws.receive_json() == {"kind": "board", "cells": [["", "", ""]] * 3}
        ws.send_text('{"x": 1, "y": 2}')
        assert ws.receive_json() == {"kind": "placed", "x": 1, "y": 2, "by": "ann"}
        ws.send_bytes(b'{"x": 3, "y": 4}')  # binary frames carry JSON too
        assert ws.receive_text() == '{"kind":"placed","x":3,"y":4,"by":"ann"}'
    assert events == ["7:1,2", "7:3,4", "ended after 0 bad"]


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ("not json", [("json_invalid", ["message"])]),
        ('{"x": 1}', [("missing", ["message", "y"])]),
        (
            '{"x": "a", "y": 10}',
            [("int_parsing", ["message", "x"]), ("less_than_equal", ["message", "y"])],
        ),
        ("[1, 2]", [("model_type", ["message"])]),
        ('{"x": 1, "y": 1, "pad": "' + "z" * 64 + '"}', [("message_too_large", ["message"])]),
    ],
)
def test_a_bad_message_gets_an_error_frame_and_the_connection_stays_open(
    client: TestClient, frame: str, expected: list[tuple[str, list[Any]]]
) -> None:
    with client.websocket_connect("/games/1?player=bob") as ws:
        ws.receive_json()
        ws.send_text(frame)
        detail = error_of(ws.receive_text())
        assert [(error["type"], error["loc"]) for error in detail] == expected
        assert all("msg" in error and "input" not in error for error in detail)
        ws.send_text('{"x": 0, "y": 0}')
        assert ws.receive_json()["kind"] == "placed"


def test_the_size_limit_counts_utf8_bytes(client: TestClient) -> None:
    with client.websocket_connect("/games/1?player=bob") as ws:
        ws.receive_json()
        ws.send_text('{"x": 1, "y": 1, "p": "' + "é" * 20 + '"}')  # 44 characters, 64 bytes+
        detail = error_of(ws.receive_text())
        assert detail[0]["type"] == "message_too_large"
        assert detail[0]["ctx"] == {"max_size": 64}


def test_too_many_bad_messages_close_with_1007(client: TestClient, events: list[str]) -> None:
    with client.websocket_connect("/games/1?player=bob") as ws:
        ws.receive_json()
        for _ in range(3):
            ws.send_text("{")
            assert error_of(ws.receive_text())[0]["type"] == "json_invalid"
        message = ws.receive()
        assert message == {
            "type": "websocket.close",
            "code": 1007,
            "reason": "Too many invalid messages",
        }
    assert events == ["ended after 3 bad"]


def test_good_messages_do_not_reset_the_count_of_bad_ones(client: TestClient) -> None:
    with client.websocket_connect("/games/1?player=bob") as ws:
        ws.receive_json()
        for _ in range(2):
            ws.send_text("{")
            ws.receive_text()
            ws.send_text('{"x": 0, "y": 0}')
            ws.receive_text()
        ws.send_text("{")
        ws.receive_text()
        assert ws.receive()["code"] == 1007


def test_wrong_frame_type_is_a_bad_message(client: TestClient) -> None:
    with client.websocket_connect("/text-only") as ws:
        ws.send_bytes(b'{"x": 1, "y": 1}')
        detail = error_of(ws.receive_text())
        assert detail == [
            {
                "type": "frame_type",
                "loc": ["message"],
                "msg": "Messages are sent as text frames",
                "ctx": {"expected": "text"},
            }
        ]
        ws.send_text('{"x": 1, "y": 1}')
        assert ws.receive_json() == {"x": 1, "y": 1}


def test_no_limit_on_bad_messages_keeps_the_connection(client: TestClient) -> None:
    with client.websocket_connect("/patient") as ws:
        for _ in range(25):
            ws.send_text("nope")
            ws.receive_text()
        ws.send_text('{"x": 9, "y": 9}')
        assert ws.receive_json() == {"x": 9, "y": 9}


def test_the_default_limit_is_ten_bad_messages(client: TestClient) -> None:
    with client.websocket_connect("/text-only") as ws:
        for _ in range(10):
            ws.send_text("nope")
            ws.receive_text()
        assert ws.receive()["code"] == 1007


def test_any_json_value_without_models(client: TestClient) -> None:
    with client.websocket_connect("/anything") as ws:
        ws.send_text('[1, "two", {"three": null}]')
        assert ws.receive_json() == {"got": [1, "two", {"three": None}]}
        ws.send_text("tru")
        assert error_of(ws.receive_text())[0]["type"] == "json_invalid"


def test_sending_a_value_of_the_wrong_type_is_a_server_error(client: TestClient) -> None:
    with (
        pytest.raises(PydanticSerializationError),
        client.websocket_connect("/wrong-output") as ws,
    ):
        ws.send_text('{"x": 1, "y": 1}')
        ws.receive_text()


def test_a_dependency_and_the_handler_share_one_typed_socket(client: TestClient) -> None:
    with client.websocket_connect("/shared") as ws:
        assert ws.receive_json() == {"same": True}


def test_handshake_validation_still_closes_with_1008_before_accept(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as info,
        client.websocket_connect("/games/x?player=b"),
    ):
        pass
    assert info.value.code == 1008
    locations = [error["loc"] for error in json.loads(info.value.reason)["detail"]]
    assert locations == [["path", "game"], ["query", "player"]]


def test_message_options_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="max_size"):
        MessageOptions(max_size=0)
    with pytest.raises(ValueError, match="max_bad_messages"):
        MessageOptions(max_bad_messages=0)


def test_two_typed_sockets_of_different_types_are_refused_at_startup() -> None:
    app = App()

    @app.websocket("/confused")
    async def confused(a: TypedWebSocket[Move, Move], b: TypedWebSocket[Placed, Placed]) -> None:
        pass

    with pytest.raises(HintedError, match="different types"):
        app.build()


def test_adapters_are_built_once_at_startup(monkeypatch: pytest.MonkeyPatch) -> None:
    import hinted.websockets

    built: list[Any] = []
    original = hinted.websockets.MessageCodec.build.__func__  # type: ignore[attr-defined]

    def counting(cls: Any, *args: Any) -> Any:
        built.append(args)
        return original(cls, *args)

    monkeypatch.setattr(hinted.websockets.MessageCodec, "build", classmethod(counting))
    client = TestClient(make_app([]))
    with client.websocket_connect("/patient") as ws:
        ws.send_text('{"x": 1, "y": 1}')
        ws.receive_text()
    at_startup = len(built)
    assert at_startup == 6  # one per typed route; the shared dependency reuses its route's
    for _ in range(3):
        with client.websocket_connect("/patient") as ws:
            ws.send_text('{"x": 1, "y": 1}')
            ws.receive_text()
    assert len(built) == at_startup
