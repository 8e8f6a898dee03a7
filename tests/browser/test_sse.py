"""Server-sent events in a real browser: EventSource, reconnection, Last-Event-ID.

The endpoint sends three events with ids, then ends the stream. The browser's
EventSource reconnects by itself after ``retry`` milliseconds, sending the last id
it saw in ``Last-Event-ID``; the endpoint resumes after it. After the sixth event it
answers 204, which tells EventSource to stop for good.
"""

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import pytest

from hinted import App, Header, Response
from hinted.responses import HTMLResponse
from hinted.sse import EventSourceResponse, ServerSentEvent
from tests.browser._servers import needs_chromium, serve

pytestmark = [needs_chromium, pytest.mark.timeout(60)]

LAST_ID = 6

PAGE = """<!doctype html>
<title>events</title>
<script>
  window.received = [];
  window.errors = 0;
  const source = new EventSource(%r);
  window.source = source;
  source.addEventListener("message", (event) => {
    window.received.push({id: event.lastEventId, data: JSON.parse(event.data)});
  });
  source.addEventListener("error", () => {
    window.errors += 1;
    window.state = source.readyState;  // 0: reconnecting, 2: closed for good
  });
</script>
"""


@dataclasses.dataclass
class Connections:
    """What the event endpoints saw, in order."""

    last_event_ids: list[str | None] = dataclasses.field(default_factory=list)
    ticks_closed: list[int] = dataclasses.field(default_factory=list)


def events_app(seen: Connections) -> App:
    app = App()

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return PAGE % "/messages/stream"

    @app.get("/endless", response_class=HTMLResponse)
    def endless_page() -> str:
        return PAGE % "/ticks"

    @app.get("/messages/stream", response_model=None)
    async def message_stream(
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    ) -> Response:
        seen.last_event_ids.append(last_event_id)
        after = int(last_event_id or 0)
        if after >= LAST_ID:
            return Response(status_code=204)  # no more: EventSource stops reconnecting

        async def events() -> AsyncIterator[ServerSentEvent]:
            for n in range(after + 1, after + 4):
                await asyncio.sleep(0.03)  # pings go out meanwhile; the page ignores them
                yield ServerSentEvent(data={"n": n, "text": f"message {n}"}, id=str(n))

        return EventSourceResponse(events(), ping=0.01, retry=50)

    @app.get("/ticks", response_class=EventSourceResponse)
    async def ticks() -> AsyncIterator[ServerSentEvent]:
        n = 0
        try:
            while True:
                n += 1
                yield ServerSentEvent(data={"n": n}, id=str(n))
                await asyncio.sleep(0.02)
        finally:
            seen.ticks_closed.append(n)  # the client left: the generator is closed

    return app


@pytest.fixture
def server() -> Iterator[tuple[str, Connections]]:
    seen = Connections()
    with serve(events_app(seen)) as origin:
        yield origin, seen


def test_event_source_reconnects_with_last_event_id_and_resumes(
    context: Any, server: tuple[str, Connections]
) -> None:
    origin, seen = server
    page = context.new_page()
    page.goto(origin + "/")
    page.wait_for_function("window.state === 2", timeout=20_000)

    received = page.evaluate("window.received")
    assert [event["id"] for event in received] == ["1", "2", "3", "4", "5", "6"]
    assert [event["data"] for event in received] == [
        {"n": n, "text": f"message {n}"} for n in range(1, 7)
    ]
    # First connection without the header, then resumed after 3, then after 6 (204).
    assert seen.last_event_ids == [None, "3", "6"]
    # Each end of stream is an error event: two reconnections, then closed for good.
    assert page.evaluate("window.errors") == 3


def test_closing_the_event_source_stops_the_server_side_generator(
    context: Any, server: tuple[str, Connections]
) -> None:
    origin, seen = server
    page = context.new_page()
    page.goto(origin + "/endless")
    page.wait_for_function("window.received.length >= 3", timeout=10_000)
    page.evaluate("window.source.close()")
    deadline = time.monotonic() + 10
    while not seen.ticks_closed and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(seen.ticks_closed) == 1, "the generator was not closed after the client left"
    assert seen.ticks_closed[0] >= 3
