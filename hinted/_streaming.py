"""Generator handlers: each yielded item is streamed as it comes.

By default items go out as JSON Lines (``application/jsonl``), one JSON document per
line, each validated and serialised by the item type of the return annotation
(``AsyncIterator[ChatEntry]``). With ``response_class=EventSourceResponse`` they go
out as server-sent events.
"""

from __future__ import annotations

import collections.abc
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from typing import Any, TypeGuard, get_args, get_origin

from starlette.concurrency import iterate_in_threadpool
from starlette.responses import Response, StreamingResponse

from hinted._encoding import ResponseEncoder
from hinted.sse import EventSourceResponse

JSON_LINES = "application/jsonl"

_ITERATOR_ORIGINS = (
    collections.abc.Iterator,
    collections.abc.Iterable,
    collections.abc.Generator,
    collections.abc.AsyncIterator,
    collections.abc.AsyncIterable,
    collections.abc.AsyncGenerator,
)


def stream_item_type(annotation: Any) -> Any:
    """``AsyncIterator[ChatEntry]`` -> ``ChatEntry``; None when the items are untyped."""
    if get_origin(annotation) in _ITERATOR_ORIGINS:
        args = get_args(annotation)
        if args and args[0] is not Any:
            return args[0]
    return None


def streamer(response_class: type[Response], item_type: Any) -> Callable[[Any, int], Response]:
    """A function turning a handler's generator into the response that streams it."""
    if _is_event_source_class(response_class):
        event_class = response_class

        def events(source: Any, status_code: int) -> Response:
            return event_class(source, status_code=status_code)

        return events
    encoder = ResponseEncoder(item_type)

    def json_lines(source: Any, status_code: int) -> Response:
        return StreamingResponse(
            _lines(source, encoder), status_code=status_code, media_type=JSON_LINES
        )

    return json_lines


def _is_event_source_class(response_class: object) -> TypeGuard[type[EventSourceResponse]]:
    # Checks for a class first, as before the annotation said type[Response]: a response
    # "class" that is not one (a factory function) still streams JSON lines.
    return isinstance(response_class, type) and issubclass(response_class, EventSourceResponse)


async def _lines(
    source: AsyncIterable[Any] | Iterable[Any], encoder: ResponseEncoder
) -> AsyncIterator[bytes]:
    items = source if isinstance(source, AsyncIterable) else iterate_in_threadpool(source)
    async for item in items:
        yield encoder.to_bytes(item) + b"\n"


__all__ = ["JSON_LINES", "stream_item_type", "streamer"]
