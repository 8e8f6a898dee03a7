"""docs/guide/logging.md: one JSON line per request, request ids on every line."""

import json
import logging
from collections.abc import Iterator

import pytest

from hinted.testclient import TestClient
from tests.docs_guide._examples import load


@pytest.fixture
def root_logger() -> Iterator[None]:
    """configure_logging() replaces the root handlers: put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_with_the_request_id(
    root_logger: None, capsys: pytest.CaptureFixture[str]
) -> None:
    app = load("logging").app
    response = TestClient(app).post("/rooms/lobby/messages", headers={"X-Request-ID": "r-7"})
    assert response.status_code == 201
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    ours = [line for line in lines if line["logger"] in ("chat", "hinted.access")]
    handler_line, access_line = ours
    assert handler_line["message"] == "message posted"
    assert handler_line["room"] == "lobby"
    assert handler_line["request_id"] == "r-7"
    assert access_line["message"].startswith("POST /rooms/lobby/messages 201 ")
    assert access_line["method"] == "POST"
    assert access_line["path"] == "/rooms/lobby/messages"
    assert access_line["status"] == 201
    assert access_line["request_id"] == "r-7"
    assert isinstance(access_line["duration_ms"], float)
    assert set(access_line) == {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
    }
