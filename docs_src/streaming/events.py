import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from hinted import App, Header
from hinted.sse import EventSourceResponse, ServerSentEvent

app = App()
closed: list[str] = []  # which streams ended because the client left


@app.get("/rooms/{room}/events", response_class=EventSourceResponse)
async def room_events(
    room: str,
    last_event_id: Annotated[int, Header(alias="Last-Event-ID")] = 0,
) -> AsyncIterator[ServerSentEvent]:
    # A reconnecting browser sends the last id it saw: resume after it.
    for n in range(last_event_id + 1, last_event_id + 4):
        yield ServerSentEvent(data={"room": room, "n": n}, event="message", id=str(n))


@app.get("/clock", response_class=EventSourceResponse)  # documented as text/event-stream
async def clock() -> EventSourceResponse:
    async def ticks() -> AsyncIterator[ServerSentEvent]:
        n = 0
        try:
            while True:
                n += 1
                yield ServerSentEvent(data={"tick": n})
                await asyncio.sleep(1)
        finally:
            closed.append("clock")  # the client went away: clean up here

    # A ": ping" comment every 15 s while idle; reconnect after 2 s.
    return EventSourceResponse(ticks(), ping=15, retry=2000)
