"""Exceptions that hinted raises or turns into responses.

```
Exception
 +-- starlette HTTPException
 |    +-- HTTPException ............ an HTTP error answer: {"detail": ...}, status, headers
 |         +-- LimitExceeded ........ the request went past one of its Limits: 413, 414, 431, 400
 |         +-- InsufficientStorage .. no room left to store an upload: 507
 +-- starlette WebSocketException
 |    +-- WebSocketException ....... close a WebSocket with a code and reason
 +-- HintedError ................... misuse of the framework (raised at startup)
 +-- ValidationException
      +-- RequestValidationError ... bad input: 422 with field-by-field errors
      +-- WebSocketRequestValidationError
      +-- ResponseValidationError .. a handler returned what its response model refuses: 500
```
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.exceptions import WebSocketException as StarletteWebSocketException


class HTTPException(StarletteHTTPException):
    """Raise it in a handler or dependency to answer with an HTTP error.

    ```python
    raise HTTPException(status_code=404, detail="Message not found")
    ```
    ``detail`` may be any JSON-serialisable value; ``headers`` are added to the answer.
    """

    def __init__(
        self,
        status_code: int,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=detail, headers=headers)
        if detail is not None:
            self.detail = detail


class LimitExceeded(HTTPException):
    """The request went past one of its :class:`~hinted.limits.Limits`.

    Answered as ``{"detail": "...", "limit": "max_file_size"}``: ``limit`` names the
    limit, ``maximum`` holds its value. The status depends on the limit: 413 for the
    body, 414 for the query string, 431 for headers and cookies, 400 for JSON depth.
    """

    def __init__(self, limit: str, maximum: int, detail: str, status_code: int = 413) -> None:
        super().__init__(status_code, detail)
        self.limit = limit
        self.maximum = maximum


class InsufficientStorage(HTTPException):
    """The server ran out of disk space (or quota) while storing an upload (507)."""

    def __init__(
        self, detail: str = "Insufficient storage: no room left to store the upload"
    ) -> None:
        super().__init__(507, detail)


class WebSocketException(StarletteWebSocketException):
    """Raise it in a WebSocket handler to close the connection with ``code`` and ``reason``."""


class HintedError(RuntimeError):
    """The framework was used in a way it cannot support; raised at startup."""


FastAPIError = HintedError


class ValidationException(Exception):
    """Base of the validation errors: carries pydantic-shaped error dictionaries."""

    def __init__(self, errors: Sequence[Any]) -> None:
        self._errors = errors

    def errors(self) -> Sequence[Any]:
        """The list of ``{"type", "loc", "msg", "input", "ctx"?}`` dictionaries."""
        return self._errors

    def __str__(self) -> str:
        lines = [f"{len(self._errors)} validation error{'s' if len(self._errors) != 1 else ''}:"]
        lines.extend(f"  {error}" for error in self._errors)
        return "\n".join(lines)


class RequestValidationError(ValidationException):
    """The request's path, query, headers, cookies or body did not validate (422)."""

    def __init__(self, errors: Sequence[Any], *, body: Any = None) -> None:
        super().__init__(errors)
        self.body = body


class WebSocketRequestValidationError(ValidationException):
    """A WebSocket's handshake parameters did not validate (closed with 1008)."""


class ResponseValidationError(ValidationException):
    """A handler's return value did not fit its response model (a server error, 500)."""

    def __init__(self, errors: Sequence[Any], *, body: Any = None) -> None:
        super().__init__(errors)
        self.body = body


__all__ = [
    "FastAPIError",
    "HTTPException",
    "HintedError",
    "InsufficientStorage",
    "LimitExceeded",
    "RequestValidationError",
    "ResponseValidationError",
    "ValidationException",
    "WebSocketException",
    "WebSocketRequestValidationError",
]
