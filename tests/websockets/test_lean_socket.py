"""LeanWebSocket behaves as Starlette's WebSocket: same results, states, messages, errors.

Every sequence of up to three calls (and some longer ones) runs against both classes
with the same client script; what each call returns or raises, what went out and the
states afterwards must be the same.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from hinted.websockets import LeanWebSocket

Message = dict[str, Any]
Call = Callable[[WebSocket], Awaitable[Any]]

CONNECT: Message = {"type": "websocket.connect"}

# What the client sends, in order; then it has nothing more (the test's receive fails).
SCRIPTS: dict[str, list[Message]] = {
    "text then leave": [
        CONNECT,
        {"type": "websocket.receive", "text": "héllo"},
        {"type": "websocket.disconnect", "code": 1001, "reason": "gone"},
    ],
    "bytes then leave": [
        CONNECT,
        {"type": "websocket.receive", "bytes": b"\x00\x01"},
        {"type": "websocket.disconnect", "code": 1000},
    ],
    "json then leave without a code": [
        CONNECT,
        {"type": "websocket.receive", "text": '{"a": [1, 2]}'},
        {"type": "websocket.disconnect"},
    ],
    "leaves at once": [{"type": "websocket.disconnect", "code": 1006}],
    "connects twice": [CONNECT, CONNECT],
    "a stray message": [CONNECT, {"type": "websocket.ping"}],
}

CALLS: dict[str, Call] = {
    "accept": lambda ws: ws.accept(),
    "accept(subprotocol, headers)": lambda ws: ws.accept("chat", [(b"x-a", b"1")]),
    "receive": lambda ws: ws.receive(),
    "receive_text": lambda ws: ws.receive_text(),
    "receive_bytes": lambda ws: ws.receive_bytes(),
    "receive_json": lambda ws: ws.receive_json(),
    "send_text": lambda ws: ws.send_text("out"),
    "send_bytes": lambda ws: ws.send_bytes(b"out"),
    "send_json": lambda ws: ws.send_json({"out": 1}),
    "close": lambda ws: ws.close(4000, "bye"),
    "send(accept)": lambda ws: ws.send({"type": "websocket.accept"}),
}


class ScriptEnded(Exception):
    """The client script has no more messages."""


def outcome_of(exc: BaseException) -> tuple[Any, ...]:
    context = exc.__context__
    extra: tuple[Any, ...] = ()
    if isinstance(exc, WebSocketDisconnect):
        extra = (exc.code, exc.reason)
    return (type(exc), exc.args, extra, type(context) if context is not None else None)


async def run(
    cls: type[WebSocket], script: list[Message], calls: list[str], send_fails: bool
) -> list[Any]:
    incoming = iter([dict(message) for message in script])
    sent: list[Message] = []

    async def receive() -> Message:
        try:
            return next(incoming)
        except StopIteration:
            raise ScriptEnded from None

    async def send(message: Message) -> None:
        sent.append(dict(message))
        if send_fails and message["type"] == "websocket.send":
            raise OSError("connection reset")

    scope = {"type": "websocket", "path": "/", "headers": [], "query_string": b""}
    ws = cls(scope, receive, send)
    record: list[Any] = []
    for name in calls:
        try:
            result: Any = ("returned", await CALLS[name](ws))
        except Exception as exc:
            result = ("raised", outcome_of(exc))
        record.append((name, result, list(sent), ws.client_state, ws.application_state))
    return record


def sequences() -> list[tuple[str, ...]]:
    names = list(CALLS)
    found: list[tuple[str, ...]] = []
    for length in (1, 2, 3):
        found.extend(itertools.product(names, repeat=length))
    # Whole sessions, past the first three calls.
    found.append(("accept", "receive_text", "send_text", "receive_text", "receive_text"))
    found.append(("accept", "receive_bytes", "send_bytes", "receive_bytes", "send_bytes"))
    found.append(("accept", "receive_json", "send_json", "receive_json", "close"))
    found.append(("receive", "accept", "receive_text", "close", "send_text", "receive"))
    return found


@pytest.mark.parametrize("send_fails", [False, True], ids=["send works", "send fails"])
@pytest.mark.parametrize("script", list(SCRIPTS), ids=list(SCRIPTS))
def test_every_short_sequence_of_calls_matches_starlette(script: str, send_fails: bool) -> None:
    async def main() -> None:
        for calls in sequences():
            expected = await run(WebSocket, SCRIPTS[script], list(calls), send_fails)
            got = await run(LeanWebSocket, SCRIPTS[script], list(calls), send_fails)
            assert got == expected, calls

    anyio.run(main)


def test_it_is_a_starlette_websocket_with_its_states() -> None:
    async def receive() -> Message:
        return CONNECT

    async def send(message: Message) -> None:
        pass

    ws = LeanWebSocket({"type": "websocket", "path": "/", "headers": []}, receive, send)
    assert isinstance(ws, WebSocket)
    assert ws.client_state is WebSocketState.CONNECTING
    assert ws.application_state is WebSocketState.CONNECTING
    assert ws.url.path == "/"


def test_a_session_runs_through_the_fast_calls() -> None:
    """The common session: the values returned and the messages sent."""
    sent: list[Message] = []
    incoming = iter(
        [
            CONNECT,
            {"type": "websocket.receive", "text": "a"},
            {"type": "websocket.receive", "bytes": b"b"},
            {"type": "websocket.disconnect", "code": 1001, "reason": "bye"},
        ]
    )

    async def receive() -> Message:
        return next(incoming)

    async def send(message: Message) -> None:
        sent.append(message)

    async def main() -> None:
        ws = LeanWebSocket({"type": "websocket", "path": "/", "headers": []}, receive, send)
        await ws.accept()
        await ws.send_text(await ws.receive_text())
        await ws.send_bytes(await ws.receive_bytes())
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
        assert (info.value.code, info.value.reason) == (1001, "bye")
        assert ws.client_state is WebSocketState.DISCONNECTED
        assert ws.application_state is WebSocketState.CONNECTED

    anyio.run(main)
    assert sent == [
        {"type": "websocket.accept", "subprotocol": None, "headers": []},
        {"type": "websocket.send", "text": "a"},
        {"type": "websocket.send", "bytes": b"b"},
    ]
