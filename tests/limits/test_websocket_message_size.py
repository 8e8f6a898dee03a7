"""``Limits.max_websocket_message_size`` bounds typed WebSocket messages, and is counted."""

from typing import Annotated

from pydantic import BaseModel

from hinted import App, MessageOptions, TypedWebSocket
from hinted.limits import Limits
from hinted.testclient import TestClient


class Note(BaseModel):
    text: str


def make_app(app_limit: int, socket_limit: int | None) -> App:
    app = App(limits=Limits(max_websocket_message_size=app_limit))
    Socket = Annotated[TypedWebSocket[Note, Note], MessageOptions(max_size=socket_limit)]

    @app.websocket("/notes")
    async def notes(ws: Socket) -> None:
        async for note in ws:
            await ws.send(note)

    return app


def test_the_app_limit_refuses_larger_messages_with_an_error_frame_and_counts_them() -> None:
    app = make_app(app_limit=64, socket_limit=None)
    with TestClient(app).websocket_connect("/notes") as ws:
        ws.send_text('{"text": "short"}')
        assert ws.receive_json() == {"text": "short"}
        ws.send_text('{"text": "' + "x" * 100 + '"}')
        error = ws.receive_json()
        assert error["type"] == "error"
        assert error["detail"][0]["type"] == "message_too_large"
        assert error["detail"][0]["ctx"] == {"max_size": 64}
        ws.send_text('{"text": "still open"}')
        assert ws.receive_json() == {"text": "still open"}
    assert app.limit_hits["max_websocket_message_size"] == 1


def test_the_smaller_of_the_app_and_socket_limits_applies() -> None:
    app = make_app(app_limit=1000, socket_limit=32)
    with TestClient(app).websocket_connect("/notes") as ws:
        ws.send_text('{"text": "' + "x" * 40 + '"}')
        assert ws.receive_json()["detail"][0]["ctx"] == {"max_size": 32}
