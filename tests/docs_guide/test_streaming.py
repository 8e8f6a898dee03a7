"""docs/guide/streaming.md: JSON Lines, StreamingResponse, server-sent events."""

import json

from hinted.testclient import TestClient
from tests.docs_guide._examples import load, read_stream


def test_json_lines_from_a_generator_handler() -> None:
    client = TestClient(load("streaming", "jsonl").app)
    response = client.get("/messages/export?count=2")
    assert response.headers["content-type"] == "application/jsonl"
    assert [json.loads(line) for line in response.text.splitlines()] == [
        {"message": "message 0", "recipient": "bob"},
        {"message": "message 1", "recipient": "bob"},
    ]
    assert client.get("/messages/export?count=lots").status_code == 422


def test_a_streaming_response_from_a_sync_generator() -> None:
    response = TestClient(load("streaming", "jsonl").app).get("/messages.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == "message,recipient\nmessage 0,bob\nmessage 1,bob\nmessage 2,bob\n"


def test_events_resume_after_last_event_id() -> None:
    client = TestClient(load("streaming", "events").app)
    first = client.get("/rooms/lobby/events")
    assert first.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert first.headers["cache-control"] == "no-cache"
    assert first.text == (
        'event: message\nid: 1\ndata: {"room":"lobby","n":1}\n\n'
        'event: message\nid: 2\ndata: {"room":"lobby","n":2}\n\n'
        'event: message\nid: 3\ndata: {"room":"lobby","n":3}\n\n'
    )
    resumed = client.get("/rooms/lobby/events", headers={"Last-Event-ID": "3"})
    assert [line for line in resumed.text.splitlines() if line.startswith("id:")] == [
        "id: 4",
        "id: 5",
        "id: 6",
    ]


def test_the_clock_sets_retry_and_stops_when_the_client_leaves() -> None:
    module = load("streaming", "events")
    status, _, chunks = read_stream(module.app, "/clock", chunks=2)
    assert status == 200
    assert chunks == [b"retry: 2000\n\n", b'data: {"tick":1}\n\n']
    assert module.closed == ["clock"]
