"""Request limits: how much of a request hinted reads before it refuses.

```python
from hinted import App
from hinted.limits import Limits

app = App(limits=Limits(max_body_size=2 * 1024 * 1024))  # every route


@app.post("/videos", limits=Limits(max_body_size=2**31, max_file_size=2**31))  # one route
async def upload(video: UploadFile) -> dict[str, int]: ...
```

Body limits are checked while the body arrives, so an oversized request is refused
after reading at most the limit, never the whole body. The query string and header
limits are checked before anything else of the request is read. An exceeded limit is
answered with a body naming it: ``{"detail": "...", "limit": "max_file_size"}``, with
the status of :data:`STATUS` (413 for the body, 414 for the query string, 431 for
headers and cookies, 400 for JSON nested too deeply), and counted in
``app.limit_hits``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

from hinted.exceptions import LimitExceeded
from hinted.types import Scope

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    """The most a request may send; the app's defaults or one route's.

    A route's ``limits=`` replaces the app's as a whole; to change one value of the
    app's limits, use ``dataclasses.replace(app.limits, max_file_size=...)``.

    The body limit caps a multipart upload as a whole too: a route that accepts
    files larger than ``max_body_size`` needs that limit raised as well.
    """

    max_body_size: int = 16 * MiB
    """Bytes of any request body (JSON, urlencoded or multipart)."""
    max_file_size: int = 1 * GiB
    """Bytes of one uploaded file."""
    max_files: int = 100
    """Uploaded files in one multipart body."""
    max_fields: int = 1000
    """Form fields (not files) in one form body."""
    max_part_size: int = 1 * MiB
    """Bytes of one form field that is not a file (name and value for urlencoded)."""
    spool_max_size: int = 1 * MiB
    """Bytes of an upload kept in memory; past this it moves to a file in ``upload_dir``."""
    upload_dir: str | Path | None = None
    """Where uploads past ``spool_max_size`` go; ``None`` is the system temp directory."""
    max_json_depth: int = 64
    """Nesting of arrays and objects in a JSON body (``[[1]]`` is 2 deep).

    pydantic's JSON parser stops past 201 levels (:data:`PARSER_MAX_DEPTH`) whatever
    this says: deeper than that is a 422.
    """
    max_query_params: int = 1000
    """Parameters in the query string (``&``-separated pieces, empty ones included)."""
    max_query_string_size: int = 8 * KiB
    """Bytes of the query string, as sent (percent-escapes count as three bytes)."""
    max_headers: int = 100
    """Request header fields."""
    max_headers_size: int = 32 * KiB
    """Bytes of all request header names and values together."""
    max_cookies: int = 200
    """Cookies in the ``Cookie`` header; counted when the route reads a cookie."""
    max_websocket_message_size: int = 1 * MiB
    """Bytes of one WebSocket message (UTF-8 for text), for the WebSocket layer (close 1009)."""

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name != "upload_dir" and (not isinstance(value, int) or value < 0):
                raise ValueError(f"Limits.{field.name} must be a non-negative int, not {value!r}")


_MESSAGES = {
    "max_body_size": "Request body too large: the limit is {} bytes",
    "max_file_size": "Uploaded file too large: the limit is {} bytes per file",
    "max_files": "Too many files: the limit is {} files",
    "max_fields": "Too many form fields: the limit is {} fields",
    "max_part_size": "Form field too large: the limit is {} bytes per field",
    "max_json_depth": "JSON body nested too deeply: the limit is {} levels",
    "max_query_params": "Too many query parameters: the limit is {} parameters",
    "max_query_string_size": "Query string too long: the limit is {} bytes",
    "max_headers": "Too many request headers: the limit is {} headers",
    "max_headers_size": "Request headers too large: the limit is {} bytes for all headers",
    "max_cookies": "Too many cookies: the limit is {} cookies",
    "max_websocket_message_size": "WebSocket message too large: the limit is {} bytes",
}

STATUS = {
    "max_json_depth": 400,  # not "too large": a short body can be deep
    "max_query_params": 414,  # RFC 9110 15.5.15: more URI than the server will interpret
    "max_query_string_size": 414,
    "max_headers": 431,  # RFC 6585 5: header fields too large, one or all together
    "max_headers_size": 431,
    "max_cookies": 431,
}
"""The HTTP status of each limit that is not answered with 413 (Content Too Large)."""


def exceeded(name: str, maximum: int) -> LimitExceeded:
    """The error for the limit called ``name``, whose value is ``maximum``."""
    return LimitExceeded(name, maximum, _MESSAGES[name].format(maximum), STATUS.get(name, 413))


def check_head(scope: Scope, limits: Limits) -> None:
    """Refuse a request whose query string or headers go past ``limits`` (414, 431)."""
    query: bytes = scope.get("query_string", b"")
    if query:
        if len(query) > limits.max_query_string_size:
            raise exceeded("max_query_string_size", limits.max_query_string_size)
        if query.count(b"&") >= limits.max_query_params:
            raise exceeded("max_query_params", limits.max_query_params)
    headers = scope["headers"]
    if len(headers) > limits.max_headers:
        raise exceeded("max_headers", limits.max_headers)
    size = 0
    for name, value in headers:
        size += len(name) + len(value)
    if size > limits.max_headers_size:
        raise exceeded("max_headers_size", limits.max_headers_size)


def check_cookies(cookie_header: str, limits: Limits) -> None:
    """Refuse a ``Cookie`` header with more than ``max_cookies`` cookies (431)."""
    if cookie_header.count(";") >= limits.max_cookies:
        raise exceeded("max_cookies", limits.max_cookies)


PARSER_MAX_DEPTH = 201
"""The deepest nesting pydantic-core's JSON parser accepts; past it, a 422 (``json_invalid``)."""

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_TO_PARENS = bytes.maketrans(b"[{]}", b"(())")


@functools.lru_cache(maxsize=16)
def _nesting(maximum: int) -> re.Pattern[bytes]:
    """Matches balanced parentheses nested at most ``maximum`` deep, in linear time.

    Each level is possessive and unambiguous, so the matcher never backtracks.
    """
    pattern = b""
    for _ in range(maximum):
        pattern = rb"(?:\(" + pattern + rb"\))*+"
    return re.compile(pattern)


def json_too_deep(body: bytes, maximum: int) -> bool:
    """True when arrays and objects in ``body``, well-formed JSON, nest deeper than ``maximum``.

    Brackets inside strings do not count. Costs a fraction of parsing the body; at or
    past :data:`PARSER_MAX_DEPTH` it answers False and leaves the depth to the parser.
    """
    if maximum >= PARSER_MAX_DEPTH or body.count(b"[") + body.count(b"{") <= maximum:
        return False
    if b"\\" in body:  # drop escaped backslashes, then escaped quotes: no string ends there
        body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    if b'"' in body:  # outside strings, inside, outside...
        body = b"".join(body.split(b'"')[::2])
    brackets = body.translate(_TO_PARENS, _NOT_BRACKETS)
    match = _nesting(maximum).match(brackets)
    return match is None or match.end() != len(brackets)


__all__ = [
    "PARSER_MAX_DEPTH",
    "STATUS",
    "GiB",
    "KiB",
    "LimitExceeded",
    "Limits",
    "MiB",
    "check_cookies",
    "check_head",
    "exceeded",
    "json_too_deep",
]
