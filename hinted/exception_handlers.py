"""The default exception handlers: every error the framework produces is JSON.

Each handler takes ``(request, exc)`` and returns a response, as in FastAPI, so they can
be reused inside your own handlers. ``App(problem_details=True)`` swaps them for the
RFC 9457 variants (``application/problem+json``).
"""

from __future__ import annotations

import http
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from hinted._pydantic import errors_to_json
from hinted.exceptions import (
    LimitExceeded,
    RequestValidationError,
    WebSocketRequestValidationError,
)
from hinted.responses import JSONResponse, ProblemJSONResponse

_NO_BODY = frozenset({204, 205, 304})


def _no_body(status_code: int) -> bool:
    return status_code < 200 or status_code in _NO_BODY


async def http_exception_handler(request: Request, exc: StarletteHTTPException) -> Response:
    """``{"detail": exc.detail}`` with the exception's status and headers.

    An exceeded request limit also names the limit: ``{"detail": ..., "limit": ...}``.
    """
    headers = getattr(exc, "headers", None)
    if _no_body(exc.status_code):
        return Response(status_code=exc.status_code, headers=headers)
    content = {"detail": exc.detail, **_members(exc)}
    return JSONResponse(content, status_code=exc.status_code, headers=headers)


def _members(exc: StarletteHTTPException) -> dict[str, Any]:
    """What an error carries beside its detail, for the JSON and problem bodies alike."""
    if isinstance(exc, LimitExceeded):
        return {"limit": exc.limit}
    return {}


async def request_validation_exception_handler(
    request: Request, exc: RequestValidationError
) -> Response:
    """422 with ``{"detail": [{"type", "loc", "msg", "input", "ctx"?}, ...]}``."""
    body = b'{"detail":' + errors_to_json(exc.errors()) + b"}"
    return Response(body, status_code=422, media_type="application/json")


async def websocket_request_validation_exception_handler(
    websocket: WebSocket, exc: WebSocketRequestValidationError
) -> None:
    """Close the WebSocket with 1008 (policy violation) and the errors as the reason."""
    await websocket.close(code=1008, reason=_close_reason(exc.errors()))


def _close_reason(errors: Any) -> str:
    """A JSON reason within the 123 bytes a close frame allows: as many errors as fit."""
    brief = [{"type": e["type"], "loc": list(e["loc"])} for e in errors]
    while brief:
        reason = errors_to_json({"detail": brief}).decode()
        if len(reason.encode()) <= 123:
            return reason
        brief.pop()
    return '{"detail":"Invalid request"}'


# RFC 9110 renamed these; Python's own phrases follow only from 3.13 on, and a
# problem's title must not depend on the Python version the server runs.
_RFC9110_TITLES = {
    413: "Content Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
}


def _phrase(status_code: int) -> str:
    """Python's reason phrase, which Starlette uses as an HTTPException's default detail."""
    try:
        return http.HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def _title(status_code: int) -> str:
    return _RFC9110_TITLES.get(status_code) or _phrase(status_code)


def problem(status_code: int, detail: Any = None, **members: Any) -> dict[str, Any]:
    """An RFC 9457 problem document for ``status_code``."""
    document: dict[str, Any] = {
        "type": "about:blank",
        "title": _title(status_code),
        "status": status_code,
    }
    if detail is not None:
        document["detail"] = detail
    document.update(members)
    return document


async def problem_http_exception_handler(request: Request, exc: StarletteHTTPException) -> Response:
    """An HTTP error as ``application/problem+json``."""
    headers = getattr(exc, "headers", None)
    if _no_body(exc.status_code):
        return Response(status_code=exc.status_code, headers=headers)
    default = (_title(exc.status_code), _phrase(exc.status_code))
    detail = None if exc.detail in default else exc.detail
    return ProblemJSONResponse(
        problem(exc.status_code, detail, **_members(exc)),
        status_code=exc.status_code,
        headers=headers,
    )


async def problem_validation_exception_handler(
    request: Request, exc: RequestValidationError
) -> Response:
    """Validation errors as ``application/problem+json``, listed under ``errors``."""
    document = problem(422, "The request is not valid", errors=list(exc.errors()))
    return Response(
        errors_to_json(document), status_code=422, media_type="application/problem+json"
    )


def internal_error_body(problem_details: bool) -> tuple[bytes, bytes]:
    """The body and content type of a 500 that gives nothing away."""
    if problem_details:
        return errors_to_json(problem(500)), b"application/problem+json"
    return b'{"detail":"Internal Server Error"}', b"application/json"


__all__ = [
    "http_exception_handler",
    "internal_error_body",
    "problem",
    "problem_http_exception_handler",
    "problem_validation_exception_handler",
    "request_validation_exception_handler",
    "websocket_request_validation_exception_handler",
]
