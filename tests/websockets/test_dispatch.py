"""How a WebSocket reaches its handler: root paths, mounts, unknown paths, the socket given.

Without middleware, App finds a WebSocket's route itself and calls its endpoint; a
handler that takes only the socket and request values is called without a context.
These tests call the app as a server would and look at every message it sends.
"""

from typing import Annotated, Any

import anyio
import pytest
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket, WebSocketDisconnect

from hinted import App, Depends, Query
from hinted.testclient import TestClient

Message = dict[str, Any]
CONNECT: Message = {"type": "websocket.connect"}
LEAVE: Message = {"type": "websocket.disconnect", "code": 1000}
ACCEPT: Message = {"type": "websocket.accept", "subprotocol": None, "headers": []}


def text(value: str) -> Message:
    return {"type": "websocket.receive", "text": value}


def sent_text(value: str) -> Message:
    return {"type": "websocket.send", "text": value}


async def talk(
    app: Any, path: str, messages: list[Message], **scope_items: Any
) -> tuple[list[Message], dict[str, Any]]:
    """Run one connection to ``path``; what the app sent, and the scope it saw."""
    incoming = iter(messages)
    sent: list[Message] = []

    async def receive() -> Message:
        return next(incoming, LEAVE)

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "server": ("testserver", 80),
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "subprotocols": [],
        "state": {},
    }
    scope.update(scope_items)
    await app(scope, receive, send)
    return sent, scope


def echo_app(**options: Any) -> App:
    app = App(**options)

    @app.websocket("/ws")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            pass

    @app.websocket("/rooms/{room}")
    async def room(websocket: WebSocket, room: int) -> None:
        await websocket.accept()
        await websocket.send_text(f"room {room} {websocket.path_params}")
        await websocket.close()

    return app


ECHOED = [ACCEPT, sent_text("a"), sent_text("b")]


def test_static_and_parameterised_routes() -> None:
    app = echo_app()
    sent, scope = anyio.run(talk, app, "/ws", [CONNECT, text("a"), text("b")])
    assert sent == ECHOED
    assert scope["path_params"] == {}
    sent, scope = anyio.run(talk, app, "/rooms/7", [CONNECT])
    assert sent == [
        ACCEPT,
        sent_text("room 7 {'room': '7'}"),
        {"type": "websocket.close", "code": 1000, "reason": ""},
    ]
    assert scope["path_params"] == {"room": "7"}


def test_unknown_path_is_closed_before_accept() -> None:
    app = echo_app()
    for path in ("/nowhere", "/ws/", "/rooms/7/x", ""):
        sent, _ = anyio.run(talk, app, path, [CONNECT])
        assert sent == [{"type": "websocket.close", "code": 1000, "reason": ""}], path


def test_app_root_path() -> None:
    app = echo_app(root_path="/api")
    for path in ("/ws", "/api/ws"):
        sent, scope = anyio.run(talk, app, path, [CONNECT, text("a"), text("b")])
        assert sent == ECHOED, path
        assert scope["root_path"] == "/api"
    sent, _ = anyio.run(talk, app, "/api/nowhere", [CONNECT])
    assert sent == [{"type": "websocket.close", "code": 1000, "reason": ""}]


def test_server_root_path() -> None:
    app = echo_app()
    messages = [CONNECT, text("a"), text("b")]
    sent, _ = anyio.run(lambda: talk(app, "/proxy/ws", messages, root_path="/proxy"))
    assert sent == ECHOED
    sent, _ = anyio.run(lambda: talk(app, "/proxy/rooms/3", [CONNECT], root_path="/proxy"))
    assert sent[1] == sent_text("room 3 {'room': '3'}")


def test_mounted_app_gets_the_websocket() -> None:
    inner = echo_app()
    app = App()
    app.mount("/inner", inner)
    sent, scope = anyio.run(talk, app, "/inner/ws", [CONNECT, text("a"), text("b")])
    assert sent == ECHOED
    assert scope["root_path"] == "/inner"
    sent, _ = anyio.run(talk, app, "/inner/nowhere", [CONNECT])
    assert sent == [{"type": "websocket.close", "code": 1000, "reason": ""}]
    with TestClient(app).websocket_connect("/inner/rooms/5") as ws:
        assert ws.receive_text() == "room 5 {'room': '5'}"


def test_the_app_counts_the_connection_while_it_is_served() -> None:
    app = App()
    seen: list[int] = []

    @app.websocket("/ws")
    async def counted(websocket: WebSocket) -> None:
        seen.append(app._in_flight)  # pyright: ignore[reportPrivateUsage]
        await websocket.close()

    anyio.run(talk, app, "/ws", [CONNECT])
    anyio.run(talk, app, "/nowhere", [CONNECT])
    assert seen == [1]
    assert app._in_flight == 0  # pyright: ignore[reportPrivateUsage]


def test_a_route_added_after_the_first_connection_is_found() -> None:
    app = echo_app()
    assert anyio.run(talk, app, "/ws", [CONNECT, text("a"), text("b")])[0] == ECHOED

    @app.websocket("/late")
    async def late(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("late")

    sent, _ = anyio.run(talk, app, "/late", [CONNECT])
    assert sent == [ACCEPT, sent_text("late")]


def test_middleware_sees_the_websocket() -> None:
    seen: list[str] = []

    class Spy:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            seen.append(scope["type"])
            await self.app(scope, receive, send)

    app = echo_app()
    app.add_middleware(Spy)
    sent, _ = anyio.run(talk, app, "/ws", [CONNECT, text("a"), text("b")])
    assert sent == ECHOED
    assert seen == ["websocket"]


def test_handlers_get_a_starlette_websocket_however_they_ask() -> None:
    app = App()
    kinds: list[tuple[str, bool, bool]] = []

    def token(websocket: WebSocket) -> str:
        return "token"

    @app.websocket("/plain")
    async def plain(websocket: WebSocket) -> None:
        kinds.append(("plain", isinstance(websocket, WebSocket), True))
        await websocket.close()

    @app.websocket("/both/{room}")
    async def both(conn: HTTPConnection, websocket: WebSocket, room: int) -> None:
        kinds.append(("both", isinstance(websocket, WebSocket), conn is websocket))
        await websocket.close()

    @app.websocket("/dependency")
    async def dependency(websocket: WebSocket, value: Annotated[str, Depends(token)]) -> None:
        kinds.append(("dependency", isinstance(websocket, WebSocket), value == "token"))
        await websocket.close()

    for path in ("/plain", "/both/1", "/dependency"):
        sent, _ = anyio.run(talk, app, path, [CONNECT])
        assert sent == [{"type": "websocket.close", "code": 1000, "reason": ""}]
    assert kinds == [("plain", True, True), ("both", True, True), ("dependency", True, True)]


def test_invalid_values_close_with_1008_before_the_socket_is_made() -> None:
    app = App()
    connections: list[Any] = []

    @app.exception_handler(ValueError)
    async def on_value_error(connection: Any, exc: ValueError) -> None:
        connections.append(connection)
        await connection.close(4002, str(exc))

    @app.websocket("/rooms/{room}")
    async def room(
        websocket: WebSocket, room: int, token: Annotated[str, Query(min_length=3)]
    ) -> None:
        await websocket.accept()
        await websocket.send_text(f"{room} {token}")
        raise ValueError("after accept")

    sent, _ = anyio.run(lambda: talk(app, "/rooms/2", [CONNECT], query_string=b"token=abc"))
    assert sent == [
        ACCEPT,
        sent_text("2 abc"),
        {"type": "websocket.close", "code": 4002, "reason": "after accept"},
    ]
    # The handler's own socket went to the exception handler: it knew it was accepted.
    assert len(connections) == 1
    assert isinstance(connections[0], WebSocket)

    sent, _ = anyio.run(lambda: talk(app, "/rooms/x", [CONNECT], query_string=b"token=a"))
    assert len(sent) == 1
    assert sent[0]["type"] == "websocket.close"
    assert sent[0]["code"] == 1008
    assert '"loc":["path","room"]' in sent[0]["reason"]
    assert '"loc":["query","token"]' in sent[0]["reason"]


def test_an_unhandled_error_reaches_the_server() -> None:
    app = App()

    @app.websocket("/boom")
    async def boom(websocket: WebSocket) -> None:
        await websocket.accept()
        raise LookupError("boom")

    with pytest.raises(LookupError, match="boom"):
        anyio.run(talk, app, "/boom", [CONNECT])
