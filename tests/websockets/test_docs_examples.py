"""docs/guide/websockets.md: each example in docs_src/websockets does what the page says.

The frames and close codes asserted here are the ones the page shows.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from hinted.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "docs_src" / "websockets"
PAGE = ROOT / "docs" / "guide" / "websockets.md"


def load(module: str) -> ModuleType:
    """Import ``docs_src/websockets/<module>.py`` afresh, as a reader runs it."""
    names = {path.stem for path in FOLDER.glob("*.py")}
    for name in names:
        sys.modules.pop(name, None)
    sys.path.insert(0, str(FOLDER))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(FOLDER))
        for name in names:
            sys.modules.pop(name, None)


@pytest.fixture
def typed() -> Iterator[TestClient]:
    with TestClient(load("typed").app) as client:
        yield client


def page_json(start: str) -> Any:
    """The first ``json`` block after the line ``start`` on the guide page."""
    text = PAGE.read_text(encoding="utf-8")
    after = text[text.index(start) :]
    block = after.split("```json\n", 1)[1].split("```", 1)[0]
    return json.loads(block)


def test_typed_moves_come_back_placed(typed: TestClient) -> None:
    with typed.websocket_connect("/games/1?player=ada") as ws:
        ws.send_text('{"x": 1, "y": 2}')
        assert ws.receive_json() == page_json("A valid move comes back placed:")
        ws.send_bytes(b'{"x": 0, "y": 0}')
        assert ws.receive_json()["x"] == 0


def test_the_error_frame_on_the_page(typed: TestClient) -> None:
    with typed.websocket_connect("/games/1?player=ada") as ws:
        ws.send_text('{"x": 5}')
        assert ws.receive_json() == page_json("A move off the board is answered")
        ws.send_text('{"x": 1, "y": 1}')
        assert ws.receive_json()["kind"] == "placed"


def test_three_bad_frames_close_with_1007(typed: TestClient) -> None:
    with typed.websocket_connect("/games/1?player=ada") as ws:
        for frame in ("not json", "[]", "x" * 2000):
            ws.send_text(frame)
            assert ws.receive_json()["type"] == "error"
        assert ws.receive() == {
            "type": "websocket.close",
            "code": 1007,
            "reason": "Too many invalid messages",
        }


def test_handshake_errors_close_with_1008_and_the_reason_on_the_page(typed: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as info, typed.websocket_connect("/games/x?player=a"):
        pass
    assert info.value.code == 1008
    assert json.loads(info.value.reason) == page_json("the reason is JSON")


def test_a_plain_websocket_still_works(typed: TestClient) -> None:
    with typed.websocket_connect("/echo") as ws:
        ws.send_text("not even JSON")
        assert ws.receive_text() == "not even JSON"


def test_rooms_deliver_posts_and_socket_notes_to_their_room() -> None:
    with TestClient(load("rooms").app) as client:
        with (
            client.websocket_connect("/rooms/red") as red,
            client.websocket_connect("/rooms/blue") as blue,
        ):
            response = client.post("/notes", json={"room": "red", "text": "hello red"})
            assert response.status_code == 202
            assert red.receive_json() == {"room": "red", "text": "hello red"}
            blue.send_json({"room": "blue", "text": "from blue"})
            assert blue.receive_json() == {"room": "blue", "text": "from blue"}
            red.send_json({"room": "blue", "text": "red to blue"})
            assert blue.receive_json() == {"room": "blue", "text": "red to blue"}
            client.post("/notes", json={"room": "red", "text": "second"})
            assert red.receive_json()["text"] == "second"  # red never got its own note
        document = client.get("/asyncapi.json").json()
        assert set(document["channels"]) == {"join", "notes__room_"}


def test_the_bridge_example() -> None:
    with (
        TestClient(load("bridge").app) as client,
        client.websocket_connect("/shouts") as one,
        client.websocket_connect("/shouts") as two,
    ):
        one.send_text('{"text": "hey"}')
        assert one.receive_json() == {"text": "hey"}
        assert two.receive_json() == {"text": "hey"}


def test_the_asyncapi_excerpt_on_the_page_is_what_typed_serves(typed: TestClient) -> None:
    document = typed.get("/asyncapi.json").json()
    excerpt = page_json("The `play` route becomes")
    assert document["channels"]["play"] == excerpt["channels"]["play"]
    assert document["operations"]["play.receive"] == excerpt["operations"]["play.receive"]


@pytest.mark.timeout(300)
def test_mypy_sees_the_message_types(tmp_path: Path) -> None:
    """``async for`` yields ``In``, ``send`` takes ``Out``: mypy checks both."""
    source = tmp_path / "check.py"
    source.write_text(
        "from typed import GameSocket, Move, Placed\n"
        "async def handler(ws: GameSocket) -> None:\n"
        "    async for move in ws:\n"
        "        reveal_type(move)\n"
        "        reveal_type(await ws.receive())\n"
        "        await ws.send(Placed(x=move.x, y=move.y, player='a'))\n"
        "        await ws.send(move)\n"
    )
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--cache-dir",
        str(tmp_path / ".mypy_cache"),
        "--config-file",
        str(ROOT / "pyproject.toml"),
        str(source),
    ]
    env = {"MYPYPATH": f"{FOLDER}:{ROOT}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
    lines = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if ": " in line]
    assert lines == [
        'note: Revealed type is "typed.Move"',
        'note: Revealed type is "typed.Move"',
        'error: Argument 1 to "send" of "TypedWebSocket" has incompatible type "Move"; '
        'expected "Placed"  [arg-type]',
    ], result.stdout + result.stderr
