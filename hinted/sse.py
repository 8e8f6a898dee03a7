"""Server-sent events: a stream of events a browser's ``EventSource`` reads.

Return an :class:`EventSourceResponse`, or write the handler as a generator and
declare ``response_class=EventSourceResponse``; each yielded value becomes one event
(a :class:`ServerSentEvent` as it is, anything else as its JSON ``data``):

```python
@app.get("/ticks", response_class=EventSourceResponse)
async def ticks(last_event_id: Annotated[int, Header(alias="Last-Event-ID")] = 0):
    for n in range(last_event_id + 1, last_event_id + 100):
        yield ServerSentEvent(data={"n": n}, id=str(n))
        await asyncio.sleep(1)
```

While no event is due, a comment line (``: ping``) goes out every ``ping`` seconds
so that proxies keep the connection open. The stream stops when the client leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from typing import Any

import anyio
import pydantic_core
from starlette.background import BackgroundTask
from starlette.concurrency import iterate_in_threadpool
from starlette.responses import StreamingResponse

PING = b": ping\n\n"


@dataclasses.dataclass(slots=True)
class ServerSentEvent:
    """One event: ``data`` (text as is, anything else as JSON), optional name and id.

    ``retry`` tells the browser how many milliseconds to wait before reconnecting;
    ``comment`` sends a comment line, which clients ignore.
    """

    data: Any = None
    event: str | None = None
    id: str | None = None
    retry: int | None = None
    comment: str | None = None

    def encode(self) -> bytes:
        """The event in the ``text/event-stream`` wire format."""
        lines: list[str] = []
        if self.comment is not None:
            lines.extend(f": {line}" for line in self.comment.splitlines() or [""])
        if self.event is not None:
            lines.append(f"event: {_single_line(self.event, 'event')}")
        if self.id is not None:
            lines.append(f"id: {_single_line(self.id, 'id')}")
        if self.retry is not None:
            lines.append(f"retry: {int(self.retry)}")
        if self.data is not None:
            text = self.data if isinstance(self.data, str) else _json(self.data)
            lines.extend(f"data: {line}" for line in text.splitlines() or [""])
        return ("\n".join(lines) + "\n\n").encode("utf-8")


def _single_line(value: str, field: str) -> str:
    if "\n" in value or "\r" in value or "\0" in value:
        raise ValueError(f"An event {field} cannot contain a newline or NUL")
    return value


def _json(value: Any) -> str:
    return pydantic_core.to_json(value).decode("utf-8")


def encode_event(item: Any) -> bytes:
    """Encode a yielded value: events as they are, other values as JSON data."""
    if isinstance(item, ServerSentEvent):
        return item.encode()
    if isinstance(item, bytes):
        item = item.decode("utf-8")
    return ServerSentEvent(data=item).encode()


class EventSourceResponse(StreamingResponse):
    """A ``text/event-stream`` response from an iterable of events (sync or async)."""

    media_type = "text/event-stream"

    def __init__(
        self,
        content: AsyncIterable[Any] | Iterable[Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        *,
        ping: float | None = 15.0,
        retry: int | None = None,
    ) -> None:
        source: AsyncIterable[Any] = (
            content if isinstance(content, AsyncIterable) else iterate_in_threadpool(content)
        )
        merged = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **(headers or {})}
        super().__init__(
            _event_stream(source, ping, retry),
            status_code=status_code,
            headers=merged,
            media_type=media_type or self.media_type,
            background=background,
        )


async def _event_stream(
    source: AsyncIterable[Any], ping: float | None, retry: int | None
) -> AsyncIterator[bytes]:
    if retry is not None:
        yield ServerSentEvent(retry=retry).encode()
    iterator = source.__aiter__()
    pending: asyncio.Future[Any] | None = None
    try:
        while True:
            pending = asyncio.ensure_future(iterator.__anext__())
            while True:
                done, _ = await asyncio.wait({pending}, timeout=ping)
                if done:
                    break
                yield PING
            try:
                item = pending.result()
            except StopAsyncIteration:
                return
            finally:
                pending = None
            yield encode_event(item)
    finally:
        # Shielded: the client may be gone and the stream's scope cancelled.
        with anyio.CancelScope(shield=True):
            if pending is not None:
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
            closer = getattr(iterator, "aclose", None)
            if closer is not None:
                await closer()


__all__ = ["EventSourceResponse", "ServerSentEvent", "encode_event"]
