"""docs/guide/graphql.md: its examples answer as the page says."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from hinted.graphql import GRAPHQL_TRANSPORT_WS
from hinted.testclient import TestClient

FOLDER = Path(__file__).resolve().parents[2] / "docs_src" / "graphql"


def load(module: str) -> ModuleType:
    """Import ``docs_src/graphql/<module>.py`` as a reader runs it: its folder on sys.path."""
    sys.modules.pop(module, None)
    sys.path.insert(0, str(FOLDER))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(FOLDER))
        sys.modules.pop(module, None)


@pytest.fixture
def main() -> Iterator[TestClient]:
    with TestClient(load("main").app) as client:
        yield client


def test_main_context_dependencies(main: TestClient) -> None:
    answer = main.post(
        "/graphql", json={"query": "{ me books { id title } }"}, headers={"x-user": "ada"}
    )
    assert answer.json() == {
        "data": {"me": "ada", "books": [{"id": 1, "title": "Dune"}, {"id": 2, "title": "Solaris"}]}
    }


def test_main_without_a_user_is_the_rest_401(main: TestClient) -> None:
    graphql = main.post("/graphql", json={"query": "{ books { id } }"})
    rest = main.get("/books")
    assert graphql.status_code == rest.status_code == 401
    assert graphql.json() == rest.json() == {"detail": "Not authenticated"}
    assert graphql.headers["www-authenticate"] == "X-User"


def test_main_mutation_and_get_refusal(main: TestClient) -> None:
    document = 'mutation { addBook(title: "Ubik") { id title } }'
    added = main.post("/graphql", json={"query": document}, headers={"x-user": "ada"})
    assert added.json() == {"data": {"addBook": {"id": 3, "title": "Ubik"}}}
    refused = main.get("/graphql", params={"query": document}, headers={"x-user": "ada"})
    assert refused.status_code == 405


def test_strawberry_app() -> None:
    with TestClient(load("strawberry_app").app) as client:
        answer = client.get("/graphql", params={"query": "{ me books { title } }"})
    assert answer.json() == {
        "data": {"me": "anonymous", "books": [{"title": "Dune"}, {"title": "Solaris"}]}
    }


def test_orm_example() -> None:
    with TestClient(load("orm").app) as client:
        added = client.post(
            "/graphql", json={"query": 'mutation { addAuthor(name: "Le Guin") { id name } }'}
        )
        assert added.json() == {"data": {"addAuthor": {"id": "1", "name": "Le Guin"}}}
        assert client.get("/authors").json() == ["Le Guin"]
        described = client.post(
            "/graphql",
            json={"query": '{ __type(name: "Author") { fields { name description } } }'},
        )
    fields = described.json()["data"]["__type"]["fields"]
    assert {"name": "name", "description": "The author's full name"} in fields


def test_subscriptions_example() -> None:
    module = load("subscriptions")
    with (
        TestClient(module.app) as client,
        client.websocket_connect("/graphql", subprotocols=[GRAPHQL_TRANSPORT_WS]) as socket,
    ):
        socket.send_json({"type": "connection_init"})
        assert socket.receive_json() == {"type": "connection_ack"}
        document = 'subscription { messagePosted(room: "lobby") }'
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": document}})
        deadline = time.monotonic() + 5
        while module.channels.health()["subscribers"] == 0:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert client.post("/rooms/lobby/messages", params={"text": "hi"}).status_code == 202
        assert socket.receive_json() == {
            "id": "1",
            "type": "next",
            "payload": {"data": {"messagePosted": "hi"}},
        }


def test_limits_example() -> None:
    with TestClient(load("limits").app) as client:
        deep = client.post(
            "/graphql", json={"query": "{ me { friends { friends { friends { name } } } } }"}
        )
        assert deep.json()["errors"][0]["message"] == "The query is 5 levels deep; the limit is 4."
        cheap = client.post("/graphql", json={"query": "{ me { friends(first: 30) { name } } }"})
        assert len(cheap.json()["data"]["me"]["friends"]) == 30
        costly = client.post(
            "/graphql",
            json={"query": "{ me { friends(first: 30) { friends(first: 30) { name } } } }"},
        )
        assert costly.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
        hidden = client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        assert "introspection has been disabled" in hidden.json()["errors"][0]["message"]
