"""Streaming: StreamingResponse, JSON Lines from generator handlers, server-sent events."""

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

from pydantic import BaseModel

from hinted import App, Header
from hinted.responses import StreamingResponse
from hinted.sse import EventSourceResponse, ServerSentEvent
from hinted.testclient import TestClient


class Entry(BaseModel):
    message: str


class SecretEntry(Entry):
    secret: str


def parse_events(text: str) -> list[dict[str, str]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            name, _, value = line.partition(": ")
            fields[name] = fields[name] + "\n" + value if name in fields else value
        events.append(fields)
    return events


def make_app(closed: list[str]) -> App:
    app = App()

    @app.get("/sync-stream")
    def sync_stream() -> StreamingResponse:
        return StreamingResponse((f"{i}," for i in range(3)), media_type="text/plain")

    @app.get("/async-stream")
    async def async_stream() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for i in range(3):
                yield f"{i};".encode()

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/entries")
    async def entries(count: int = 3) -> AsyncIterator[Entry]:
        for i in range(count):
            yield SecretEntry(message=f"m{i}", secret="do not leak")

    @app.get("/numbers")
    def numbers() -> Iterator[dict[str, int]]:
        for i in range(3):
            yield {"n": i}

    @app.get("/events", response_class=EventSourceResponse)
    async def events(
        last_event_id: Annotated[int, Header(alias="Last-Event-ID")] = 0,
    ) -> AsyncIterator[ServerSentEvent]:
        try:
            for n in range(last_event_id + 1, last_event_id + 4):
                yield ServerSentEvent(data={"n": n}, id=str(n), event="tick")
        finally:
            closed.append("events")

    @app.get("/plain-events", response_class=EventSourceResponse)
    def plain_events() -> Iterator[Any]:
        yield "line one\nline two"
        yield {"json": True}

    @app.get("/slow-events")
    async def slow_events() -> EventSourceResponse:
        async def source() -> AsyncIterator[ServerSentEvent]:
            await asyncio.sleep(0.25)
            yield ServerSentEvent(data="late")

        return EventSourceResponse(source(), ping=0.05, retry=3000)

    @app.get("/endless", response_class=EventSourceResponse)
    async def endless() -> AsyncIterator[ServerSentEvent]:
        try:
            n = 0
            while True:
                n += 1
                yield ServerSentEvent(data=n)
                await asyncio.sleep(0.01)
        finally:
            closed.append("endless")

    return app


def test_streaming_responses_from_sync_and_async_generators() -> None:
    client = TestClient(make_app([]))
    assert client.get("/sync-stream").text == "0,1,2,"
    assert client.get("/async-stream").text == "0;1;2;"


def test_generator_handlers_stream_json_lines_filtered_by_the_item_type() -> None:
    client = TestClient(make_app([]))
    response = client.get("/entries?count=2")
    assert response.headers["content-type"] == "application/jsonl"
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines == [{"message": "m0"}, {"message": "m1"}]
    sync_lines = client.get("/numbers").text.splitlines()
    assert [json.loads(line) for line in sync_lines] == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_generator_handler_parameters_are_validated_before_streaming() -> None:
    response = TestClient(make_app([])).get("/entries?count=many")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "count"]


def test_server_sent_events_with_ids_names_and_resume_from_last_event_id() -> None:
    closed: list[str] = []
    client = TestClient(make_app(closed))
    response = client.get("/events")
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    events = parse_events(response.text)
    assert [e["id"] for e in events] == ["1", "2", "3"]
    assert events[0] == {"event": "tick", "id": "1", "data": '{"n":1}'}
    resumed = parse_events(client.get("/events", headers={"Last-Event-ID": "3"}).text)
    assert [e["id"] for e in resumed] == ["4", "5", "6"]
    assert closed == ["events", "events"]


def test_plain_values_become_data_lines() -> None:
    events = parse_events(TestClient(make_app([])).get("/plain-events").text)
    assert events == [{"data": "line one\nline two"}, {"data": '{"json":true}'}]


def test_keep_alive_pings_while_no_event_is_due_and_retry_hint() -> None:
    text = TestClient(make_app([])).get("/slow-events").text
    assert text.startswith("retry: 3000\n\n")
    assert text.count(": ping\n\n") >= 2
    assert text.endswith("data: late\n\n")


def test_the_stream_stops_when_the_client_disconnects() -> None:
    closed: list[str] = []
    app = make_app(closed)
    sent: list[dict[str, Any]] = []

    async def main() -> None:
        disconnected = asyncio.Event()
        requested = False

        async def receive() -> dict[str, Any]:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await disconnected.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if len(sent) >= 5:
                disconnected.set()

        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/endless",
            "raw_path": b"/endless",
            "root_path": "",
            "query_string": b"",
            "headers": [],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
        }
        await asyncio.wait_for(app(scope, receive, send), timeout=5)

    asyncio.run(main())
    assert closed == ["endless"]
    assert sent[0]["status"] == 200
