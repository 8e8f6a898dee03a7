"""The guide's Flask-to-hinted comparison: both apps, the same requests, side by side.

``docs_src/flask_vs_hinted/flask_app.py`` is the chat API written the Flask way
(``request.args``, ``request.get_json``, jsonschema, ``jsonify``);
``docs_src/flask_vs_hinted/hinted_app.py`` is the same API in hinted. Where they agree
the tests say so; where they differ (HTML or JSON errors, manual or automatic
validation, documentation) each test shows both answers, as the page does.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hinted.testclient import TestClient

pytest.importorskip("flask")
pytest.importorskip("jsonschema")

FOLDER = Path(__file__).resolve().parents[2] / "docs_src" / "flask_vs_hinted"
HELLO = {"message": "Hello", "recipient": "Dave"}


def load(name: str) -> ModuleType:
    """A fresh copy of ``docs_src/flask_vs_hinted/<name>.py`` (empty message list)."""
    spec = importlib.util.spec_from_file_location(f"_flask_vs_hinted_{name}", FOLDER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class Answer:
    """Status, content type and body of a response, from either test client."""

    def __init__(self, status: int, content_type: str, body: bytes) -> None:
        self.status = status
        self.content_type = content_type.split(";")[0]
        self.text = body.decode()

    def json(self) -> Any:
        import json

        return json.loads(self.text)


class Apps:
    """Sends one request to both apps."""

    def __init__(self) -> None:
        self.flask = load("flask_app").app.test_client()
        self.hinted = TestClient(load("hinted_app").app)

    def send(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[Answer, Answer]:
        headers = {"Content-Type": content_type} if content_type else {}
        if json is not None:
            flask_response = self.flask.open(url, method=method, json=json)
            hinted_response = self.hinted.request(method, url, json=json)
        else:
            flask_response = self.flask.open(url, method=method, data=body, headers=headers)
            hinted_response = self.hinted.request(method, url, content=body, headers=headers)
        return (
            Answer(
                flask_response.status_code, flask_response.content_type or "", flask_response.data
            ),
            Answer(
                hinted_response.status_code,
                hinted_response.headers.get("content-type", ""),
                hinted_response.content,
            ),
        )


@pytest.fixture
def apps() -> Iterator[Apps]:
    yield Apps()


def test_a_valid_message_is_stored_by_both(apps: Apps) -> None:
    flask, hinted = apps.send("POST", "/messages", json=HELLO)
    expected = {**HELLO, "version": "3.1", "author": None, "timestamp": None, "id": 1}
    assert (flask.status, flask.json()) == (201, expected)
    assert (hinted.status, hinted.json()) == (201, expected)
    flask, hinted = apps.send("GET", "/messages/1")
    assert flask.json() == hinted.json() == expected
    flask, hinted = apps.send("GET", "/messages?offset=0&limit=5")
    assert flask.json() == hinted.json() == [expected]


def test_a_missing_field_jsonschema_message_or_pydantic_errors(apps: Apps) -> None:
    flask, hinted = apps.send("POST", "/messages", json={"message": "Hello"})
    assert (flask.status, flask.json()) == (
        422,
        {"error": "JSON Schema Validation Error", "message": "'recipient' is a required property"},
    )
    assert (hinted.status, hinted.json()) == (
        422,
        {
            "detail": [
                {
                    "type": "missing",
                    "loc": ["body", "recipient"],
                    "msg": "Field required",
                    "input": {"message": "Hello"},
                }
            ]
        },
    )


def test_a_wrong_type_and_a_wrong_version(apps: Apps) -> None:
    flask, hinted = apps.send("POST", "/messages", json={**HELLO, "timestamp": "noon"})
    assert flask.json()["message"] == "'noon' is not of type 'number', 'null'"
    assert hinted.json()["detail"][0]["loc"] == ["body", "timestamp"]
    flask, hinted = apps.send("POST", "/messages", json={**HELLO, "version": "2.0"})
    assert (flask.status, hinted.status) == (422, 422)
    assert flask.json()["message"] == "'3.1' was expected"
    assert hinted.json()["detail"][0]["loc"] == ["body", "version"]


def test_query_parameters_checked_by_hand_or_by_the_signature(apps: Apps) -> None:
    # Flask's `type=int` falls back to the default on "ten": the mistake goes unnoticed.
    flask, hinted = apps.send("GET", "/messages?limit=ten")
    assert (flask.status, flask.json()) == (200, [])
    assert hinted.status == 422
    assert hinted.json()["detail"][0]["loc"] == ["query", "limit"]
    flask, hinted = apps.send("GET", "/messages?limit=0")
    assert (flask.status, flask.json()) == (
        400,
        {"error": "offset must be >= 0, limit between 1 and 100"},
    )
    assert hinted.status == 422
    assert hinted.json()["detail"][0]["msg"] == "Input should be greater than or equal to 1"


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [("GET", "/messages/3", 404), ("GET", "/nowhere", 404), ("DELETE", "/messages/1", 405)],
)
def test_errors_html_pages_or_json(apps: Apps, method: str, url: str, status: int) -> None:
    flask, hinted = apps.send(method, url)
    assert (flask.status, hinted.status) == (status, status)
    assert flask.content_type == "text/html"
    assert flask.text.startswith("<!doctype html>")
    assert hinted.content_type == "application/json"
    assert "detail" in hinted.json()


def test_not_found_says_which_message(apps: Apps) -> None:
    _, hinted = apps.send("GET", "/messages/3")
    assert hinted.json() == {"detail": "Message 3 not found"}


def test_broken_json(apps: Apps) -> None:
    flask, hinted = apps.send(
        "POST", "/messages", body=b'{"message": ', content_type="application/json"
    )
    assert (flask.status, flask.content_type) == (400, "text/html")
    assert "<h1>Bad Request</h1>" in flask.text
    assert (hinted.status, hinted.content_type) == (422, "application/json")
    assert hinted.json()["detail"][0]["type"] == "json_invalid"


def test_not_json_at_all(apps: Apps) -> None:
    body = b'{"message": "Hello", "recipient": "Dave"}'
    flask, hinted = apps.send("POST", "/messages", body=body, content_type="text/plain")
    assert (flask.status, flask.content_type) == (415, "text/html")
    assert (hinted.status, hinted.content_type) == (415, "application/json")


def test_documentation_written_for_you_or_by_you(apps: Apps) -> None:
    flask, hinted = apps.send("GET", "/openapi.json")
    assert flask.status == 404
    document = hinted.json()
    schema = document["components"]["schemas"]["ChatEntry"]
    assert schema["required"] == ["message", "recipient"]
    assert schema["properties"]["timestamp"]["description"] == "Unix timestamp"
    assert set(document["paths"]) == {"/messages", "/messages/{message_id}"}


def test_handlers_are_plain_functions_in_hinted() -> None:
    module = load("hinted_app")
    entry = module.ChatEntry(message="Hello", recipient="Dave")
    stored = module.create_message(entry)
    assert stored.id == 1
    assert module.read_message(1) == stored
