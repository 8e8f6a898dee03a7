from collections.abc import Iterator

import pytest
from main import ChatEntry, MessageStore, app, create_message, get_store, read_message

from hinted import HTTPException
from hinted.testclient import TestClient


@pytest.fixture
def fresh_store() -> Iterator[MessageStore]:
    store = MessageStore()
    app.dependency_overrides[get_store] = lambda: store
    yield store
    app.dependency_overrides.clear()


def test_send_then_read(fresh_store: MessageStore) -> None:
    client = TestClient(app)
    entry = {"message": "Hello", "recipient": "Dave", "timestamp": 1599307407.5}
    response = client.post("/messages", json=entry)
    assert response.status_code == 201
    assert response.json() == {"id": 1, "timestamp": 1599307407.5}
    assert client.get("/messages/1").json() == {**entry, "author": None}


def test_unknown_message_is_404(fresh_store: MessageStore) -> None:
    response = TestClient(app).get("/messages/7")
    assert response.status_code == 404
    assert response.json() == {"detail": "Message not found"}


def test_create_message_is_a_plain_function() -> None:
    store = MessageStore()
    result = create_message(ChatEntry(message="Hello", recipient="Dave"), store=store)
    assert result["id"] == 1
    assert isinstance(store.entries[0].timestamp, float)


def test_read_message_raises_for_unknown_ids() -> None:
    with pytest.raises(HTTPException) as caught:
        read_message(3, store=MessageStore())
    assert caught.value.status_code == 404
