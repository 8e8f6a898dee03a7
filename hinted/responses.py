"""Response classes. ``JSONResponse`` serialises with pydantic-core, straight to bytes.

Any of these returned from a handler is sent as it is; otherwise the handler's return
value is encoded by the route's response class (``JSONResponse`` by default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pydantic_core
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)


class JSONResponse(Response):
    """JSON from any value pydantic-core can serialise: models, dataclasses, datetimes…"""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return pydantic_core.to_json(content)


class ProblemJSONResponse(JSONResponse):
    """An RFC 9457 problem details document (``application/problem+json``)."""

    media_type = "application/problem+json"


class ORJSONResponse(JSONResponse):
    """JSON rendered by ``orjson`` (which must be installed)."""

    def render(self, content: Any) -> bytes:
        import orjson

        option = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
        data: bytes = orjson.dumps(content, option=option)
        return data


class UJSONResponse(JSONResponse):
    """JSON rendered by ``ujson`` (which must be installed)."""

    def render(self, content: Any) -> bytes:
        import ujson  # type: ignore[import-not-found,import-untyped,unused-ignore]

        # ujson is untyped (and optional: absent when type checking).
        dumps = cast("Callable[..., str]", ujson.dumps)  # pyright: ignore[reportUnknownMemberType]
        return dumps(content, ensure_ascii=False).encode("utf-8")


__all__ = [
    "FileResponse",
    "HTMLResponse",
    "JSONResponse",
    "ORJSONResponse",
    "PlainTextResponse",
    "ProblemJSONResponse",
    "RedirectResponse",
    "Response",
    "StreamingResponse",
    "UJSONResponse",
]
