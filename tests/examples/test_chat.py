"""The chat service over HTTP, on SQLite and on PostgreSQL (see conftest.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from examples.chat.app import create_app
from examples.chat.db import Base
from examples.chat.migrate import alembic_config
from examples.chat.routes import current_time
from examples.chat.settings import DEMO_API_KEY, Settings
from hinted import App
from hinted.testclient import TestClient


def post(client: TestClient, **fields: Any) -> dict[str, Any]:
    """POST a message built from ``fields``; assert it was stored; return the stored entry."""
    response = client.post("/messages", json={"message": "Hello", "recipient": "Dave", **fields})
    assert response.status_code == 201, response.text
    entry: dict[str, Any] = response.json()
    return entry


def error_locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.text
    return [error["loc"] for error in response.json()["detail"]]


# -- create and read ----------------------------------------------------------------------


def test_create_stores_the_entry_and_fills_the_timestamp(client: TestClient) -> None:
    before = time.time()
    entry = post(client, author="Alice")
    after = time.time()

    assert isinstance(entry["id"], int)
    assert before <= entry["timestamp"] <= after
    assert entry == {
        "id": entry["id"],
        "version": "3.1",
        "message": "Hello",
        "recipient": "Dave",
        "author": "Alice",
        "timestamp": entry["timestamp"],
    }


def test_create_keeps_the_clients_timestamp_exactly(client: TestClient) -> None:
    entry = post(client, timestamp=1599307407.9207017, version="3.1")
    assert entry["timestamp"] == 1599307407.9207017
    assert entry["author"] is None
    assert client.get(f"/messages/{entry['id']}").json()["timestamp"] == 1599307407.9207017


def test_each_message_gets_its_own_id(client: TestClient) -> None:
    ids = [post(client)["id"] for _ in range(3)]
    assert len(set(ids)) == 3


def test_the_clock_is_a_dependency_that_tests_can_override(app: App) -> None:
    app.dependency_overrides[current_time] = lambda: 42.0
    with TestClient(app) as client:
        assert post(client)["timestamp"] == 42.0
        assert post(client, timestamp=7.0)["timestamp"] == 7.0


def test_get_by_id(client: TestClient) -> None:
    entry = post(client, message="Find me")
    response = client.get(f"/messages/{entry['id']}")
    assert response.status_code == 200
    assert response.json() == entry


def test_get_unknown_id_is_a_json_404(client: TestClient) -> None:
    response = client.get("/messages/424242")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "Message not found"}


def test_get_with_a_non_integer_id_is_a_422(client: TestClient) -> None:
    assert error_locs(client.get("/messages/abc")) == [["path", "message_id"]]


@pytest.mark.parametrize("message_id", [0, -1, 2**31, 2**63, 2**64])
def test_get_with_an_id_out_of_range_is_a_422_not_a_500(
    client: TestClient, message_id: int
) -> None:
    assert error_locs(client.get(f"/messages/{message_id}")) == [["path", "message_id"]]


def test_the_largest_id_is_a_plain_404(client: TestClient) -> None:
    assert client.get(f"/messages/{2**31 - 1}").status_code == 404


# -- deleting (API key) ---------------------------------------------------------------------

ADMIN = {"X-API-Key": DEMO_API_KEY}


def test_delete_without_a_key_is_a_401_and_deletes_nothing(client: TestClient) -> None:
    entry = post(client)
    response = client.delete(f"/messages/{entry['id']}")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "APIKey"
    assert response.json() == {"detail": "Not authenticated"}
    assert client.get(f"/messages/{entry['id']}").status_code == 200


@pytest.mark.parametrize("key", ["wrong", DEMO_API_KEY.upper(), DEMO_API_KEY + " ", "é"])
def test_delete_with_a_wrong_key_is_a_401(client: TestClient, key: str) -> None:
    entry = post(client)
    response = client.delete(f"/messages/{entry['id']}", headers={"X-API-Key": key.encode()})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "APIKey"
    assert response.json() == {"detail": "Invalid API key"}
    assert client.get(f"/messages/{entry['id']}").status_code == 200


def test_delete_with_the_key_is_a_204_and_the_message_is_gone(client: TestClient) -> None:
    entry = post(client)
    kept = post(client, message="kept")
    response = client.delete(f"/messages/{entry['id']}", headers=ADMIN)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/messages/{entry['id']}").status_code == 404
    assert client.get("/messages").json() == [kept]
    again = client.delete(f"/messages/{entry['id']}", headers=ADMIN)
    assert again.status_code == 404
    assert again.json() == {"detail": "Message not found"}


def test_the_key_comes_from_the_settings(database_url: str) -> None:
    settings = Settings(database_url=database_url, api_key="s3cret")
    with TestClient(create_app(settings)) as client:
        entry = post(client)
        path = f"/messages/{entry['id']}"
        assert client.delete(path, headers=ADMIN).status_code == 401
        assert client.delete(path, headers={"X-API-Key": "s3cret"}).status_code == 204


def test_the_key_is_read_from_the_api_key_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("API_KEY", raising=False)
    assert Settings().api_key == DEMO_API_KEY
    monkeypatch.setenv("API_KEY", "from-the-environment")
    assert Settings().api_key == "from-the-environment"


# -- listing --------------------------------------------------------------------------------


def test_list_is_newest_first_then_by_id(client: TestClient) -> None:
    first = post(client, timestamp=10.0)
    newest = post(client, timestamp=30.0)
    middle = post(client, timestamp=20.0)
    tie = post(client, timestamp=20.0)  # same timestamp as `middle`, stored later

    listed = client.get("/messages").json()
    assert [entry["id"] for entry in listed] == [newest["id"], tie["id"], middle["id"], first["id"]]
    assert listed[0] == newest


def test_list_of_an_empty_service(client: TestClient) -> None:
    response = client.get("/messages")
    assert response.status_code == 200
    assert response.json() == []


def test_list_filters_by_recipient(client: TestClient) -> None:
    to_dave = post(client, recipient="Dave", timestamp=1.0)
    post(client, recipient="Eve", timestamp=2.0)
    to_dave_again = post(client, recipient="Dave", timestamp=3.0)

    listed = client.get("/messages", params={"recipient": "Dave"}).json()
    assert [entry["id"] for entry in listed] == [to_dave_again["id"], to_dave["id"]]
    assert client.get("/messages", params={"recipient": "Nobody"}).json() == []


def test_list_since_is_inclusive(client: TestClient) -> None:
    post(client, timestamp=100.0)
    at = post(client, timestamp=200.0)
    after = post(client, timestamp=300.5)

    listed = client.get("/messages", params={"since": 200}).json()
    assert [entry["id"] for entry in listed] == [after["id"], at["id"]]
    assert client.get("/messages", params={"since": 300.6}).json() == []


def test_list_combines_filters_and_limit(client: TestClient) -> None:
    post(client, recipient="Dave", timestamp=1.0)
    post(client, recipient="Eve", timestamp=5.0)
    wanted = post(client, recipient="Dave", timestamp=6.0)
    post(client, recipient="Dave", timestamp=5.5)

    params: dict[str, Any] = {"recipient": "Dave", "since": 2, "limit": 1}
    assert client.get("/messages", params=params).json() == [wanted]


def test_list_returns_at_most_50_by_default(client: TestClient) -> None:
    for index in range(55):
        post(client, timestamp=float(index))

    default = client.get("/messages").json()
    assert len(default) == 50
    assert default[0]["timestamp"] == 54.0
    assert default[-1]["timestamp"] == 5.0
    assert len(client.get("/messages", params={"limit": 100}).json()) == 55
    assert len(client.get("/messages", params={"limit": 1}).json()) == 1


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", ""])
def test_limit_outside_1_to_100_is_a_422(client: TestClient, limit: str) -> None:
    assert error_locs(client.get("/messages", params={"limit": limit})) == [["query", "limit"]]


def test_since_must_be_a_number(client: TestClient) -> None:
    assert error_locs(client.get("/messages", params={"since": "yesterday"})) == [
        ["query", "since"]
    ]


# -- invalid bodies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "loc", "error_type"),
    [
        ({"message": "Hi"}, ["body", "recipient"], "missing"),
        ({"recipient": "Dave"}, ["body", "message"], "missing"),
        ({"message": "Hi", "recipient": "Dave", "timestamp": "abc"}, ["body", "timestamp"], None),
        ({"message": "Hi", "recipient": "Dave", "timestamp": "12"}, ["body", "timestamp"], None),
        ({"message": "Hi", "recipient": "Dave", "version": "3.2"}, ["body", "version"], None),
        ({"message": "Hi", "recipient": "Dave", "version": 3.1}, ["body", "version"], None),
        ({"message": "Hi", "recipient": "Dave", "version": None}, ["body", "version"], None),
        ({"message": ["Hi"], "recipient": "Dave"}, ["body", "message"], "string_type"),
        ({"message": "Hi", "recipient": "Dave", "author": 7}, ["body", "author"], "string_type"),
    ],
)
def test_invalid_fields_are_422s_naming_the_field(
    client: TestClient, body: dict[str, Any], loc: list[str], error_type: str | None
) -> None:
    response = client.post("/messages", json=body)
    assert error_locs(response) == [loc]
    if error_type is not None:
        assert response.json()["detail"][0]["type"] == error_type
    assert client.get("/messages").json() == []


def test_timestamp_abc_reports_a_number_error(client: TestClient) -> None:
    response = client.post(
        "/messages", json={"message": "Hi", "recipient": "Dave", "timestamp": "abc"}
    )
    [error] = response.json()["detail"]
    assert error["type"] == "float_type"
    assert error["input"] == "abc"


def test_version_other_than_3_1_is_rejected_with_the_expected_value(client: TestClient) -> None:
    response = client.post("/messages", json={"message": "Hi", "recipient": "D", "version": "2"})
    [error] = response.json()["detail"]
    assert error["type"] == "literal_error"
    assert error["loc"] == ["body", "version"]
    assert "'3.1'" in error["msg"]


def test_every_invalid_field_is_reported_at_once(client: TestClient) -> None:
    response = client.post("/messages", json={"version": "4", "timestamp": "abc"})
    assert sorted(error_locs(response)) == [
        ["body", "message"],
        ["body", "recipient"],
        ["body", "timestamp"],
        ["body", "version"],
    ]


@pytest.mark.parametrize("content", [b'{"message": "Hi", "recipient": ', b"{bad", b"[1, 2"])
def test_malformed_json_is_a_422(client: TestClient, content: bytes) -> None:
    response = client.post(
        "/messages", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "json_invalid"
    assert error["loc"][0] == "body"


def test_a_body_that_is_not_an_object_is_a_422(client: TestClient) -> None:
    response = client.post("/messages", json=["Hello", "Dave"])
    assert error_locs(response) == [["body"]]


def test_a_missing_body_is_a_422(client: TestClient) -> None:
    assert error_locs(client.post("/messages")) == [["body"]]


# -- the service around the endpoints -----------------------------------------------------


def test_health_reports_the_database(client: TestClient, settings: Settings) -> None:
    expected = "sqlite" if settings.database_url.startswith("sqlite") else "postgresql"
    assert client.get("/health").json() == {"status": "ok", "database": expected}


def test_startup_migrates_to_head_and_models_match_the_migrations(
    client: TestClient, settings: Settings
) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert context.get_current_revision() == head
            # An empty diff: every change to db.py has its migration.
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_data_survives_a_restart(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        entry = post(client, message="Still here")
    # A second start finds the database at head: the migration is not re-run.
    with TestClient(create_app(settings)) as client:
        assert client.get(f"/messages/{entry['id']}").json() == entry


def test_apps_do_not_share_state(tmp_path: Path) -> None:
    first = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}"))
    second = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}"))
    with TestClient(first) as client_a, TestClient(second) as client_b:
        post(client_a, message="only in a")
        assert len(client_a.get("/messages").json()) == 1
        assert client_b.get("/messages").json() == []


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    create = document["paths"]["/messages"]["post"]
    assert create["tags"] == ["messages"]
    assert create["summary"] == "Send a message"
    assert create["description"].startswith("Store a chat message.")
    assert "201" in create["responses"]
    assert [tag["name"] for tag in document["tags"]] == ["messages", "admin", "health"]
    limit = next(
        p for p in document["paths"]["/messages"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"]["minimum"] == 1
    assert limit["schema"]["maximum"] == 100
    assert limit["schema"]["default"] == 50
    chat_entry = document["components"]["schemas"]["ChatEntry"]
    assert chat_entry["required"] == ["message", "recipient"]
    assert chat_entry["properties"]["version"]["description"] == "Protocol version"
    assert chat_entry["properties"]["recipient"]["examples"] == ["Dave"]

    read = document["paths"]["/messages/{message_id}"]["get"]
    not_found = read["responses"]["404"]
    assert not_found["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorMessage"
    }
    assert "security" not in read

    delete = document["paths"]["/messages/{message_id}"]["delete"]
    assert delete["security"] == [{"APIKey": []}]
    assert sorted(delete["responses"]) == ["204", "401", "404", "422"]
    assert "content" not in delete["responses"]["204"]
    scheme = document["components"]["securitySchemes"]["APIKey"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-Key")
    assert "API_KEY" in scheme["description"]
