"""Generator handlers are documented as streams: JSON Lines or server-sent events."""

from collections.abc import AsyncIterator, Iterator

from openapi_spec_validator import validate
from pydantic import BaseModel

from hinted import App
from hinted.sse import EventSourceResponse


class Entry(BaseModel):
    message: str


def make_app() -> App:
    app = App()

    @app.get("/entries")
    async def entries() -> AsyncIterator[Entry]:
        yield Entry(message="x")

    @app.get("/numbers")
    def numbers() -> Iterator[int]:
        yield 1

    @app.get("/events", response_class=EventSourceResponse)
    async def events() -> AsyncIterator[Entry]:
        yield Entry(message="x")

    return app


def test_json_lines_and_event_streams_are_documented_with_their_item_schema() -> None:
    document = make_app().openapi()
    validate(document)  # type: ignore[arg-type]
    paths = document["paths"]
    entries = paths["/entries"]["get"]["responses"]["200"]["content"]
    assert list(entries) == ["application/jsonl"]
    assert entries["application/jsonl"]["schema"] == {"$ref": "#/components/schemas/Entry"}
    numbers = paths["/numbers"]["get"]["responses"]["200"]["content"]
    assert numbers["application/jsonl"]["schema"] == {"type": "integer"}
    events = paths["/events"]["get"]["responses"]["200"]["content"]
    assert list(events) == ["text/event-stream"]
    assert events["text/event-stream"]["x-event-data"] == {"$ref": "#/components/schemas/Entry"}


def test_routes_added_after_the_document_was_built_appear_in_it() -> None:
    app = make_app()
    assert "/late" not in app.openapi()["paths"]

    @app.get("/late")
    async def late() -> dict[str, bool]:
        return {"late": True}

    assert "/late" in app.openapi()["paths"]
