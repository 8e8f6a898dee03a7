"""WebSocket routes: parameters validated like HTTP ones, dependencies, closing codes."""

import json
from collections.abc import AsyncIterator
from typing import Annotated

import pytest
from starlette.websockets import WebSocketDisconnect

from hinted import APIRouter, App, Depends, Header, Query, WebSocket, WebSocketException
from hinted.testclient import TestClient


def make_app(events: list[str]) -> App:
    app = App()

    async def session() -> AsyncIterator[str]:
        events.append("open")
        yield "session"
        events.append("close")

    @app.websocket("/rooms/{room}")
    async def room(
        websocket: WebSocket,
        room: int,
        token: Annotated[str, Query(min_length=3)],
        db: Annotated[str, Depends(session)],
        user_agent: Annotated[str | None, Header()] = None,
    ) -> None:
        await websocket.accept()
        await websocket.send_json({"room": room, "token": token, "db": db})
        text = await websocket.receive_text()
        await websocket.send_text(text.upper())
        await websocket.close()

    @app.websocket("/refuse")
    async def refuse(websocket: WebSocket) -> None:
        raise WebSocketException(code=4001, reason="go away")

    router = APIRouter(prefix="/v1")

    @router.websocket("/echo")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        async for message in websocket.iter_text():
            await websocket.send_text(message)

    app.include_router(router)
    return app


def test_parameters_and_dependencies_reach_the_handler() -> None:
    events: list[str] = []
    client = TestClient(make_app(events))
    with client.websocket_connect("/rooms/7?token=abcd") as ws:
        assert ws.receive_json() == {"room": 7, "token": "abcd", "db": "session"}
        ws.send_text("hello")
        assert ws.receive_text() == "HELLO"
    assert events == ["open", "close"]


def test_invalid_parameters_close_with_1008_and_a_json_reason() -> None:
    client = TestClient(make_app([]))
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/rooms/7?token=a"):
        pass
    assert info.value.code == 1008
    reason = json.loads(info.value.reason)
    assert reason["detail"][0]["loc"] == ["query", "token"]
    assert reason["detail"][0]["type"] == "string_too_short"
    assert len(info.value.reason.encode()) <= 123


def test_path_converter_mismatch_is_a_validation_error() -> None:
    client = TestClient(make_app([]))
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/rooms/x?token=abc"):
        pass
    assert info.value.code == 1008
    assert json.loads(info.value.reason)["detail"][0]["loc"] == ["path", "room"]


def test_websocket_exception_closes_with_its_code() -> None:
    client = TestClient(make_app([]))
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/refuse"):
        pass
    assert (info.value.code, info.value.reason) == (4001, "go away")


def test_unknown_websocket_path_is_closed() -> None:
    client = TestClient(make_app([]))
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/nowhere"):
        pass


def test_router_websocket_routes_are_included_with_prefix() -> None:
    client = TestClient(make_app([]))
    with client.websocket_connect("/v1/echo") as ws:
        ws.send_text("ping")
        assert ws.receive_text() == "ping"


def test_http_request_to_a_websocket_path_is_404_json() -> None:
    client = TestClient(make_app([]))
    response = client.get("/v1/echo")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
