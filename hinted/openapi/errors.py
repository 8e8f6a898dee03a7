"""The bodies of the 422 answers, described as types for the document.

These mirror what :mod:`hinted.exception_handlers` sends: FastAPI's
``{"detail": [{"loc", "msg", "type", "input", "ctx"}]}`` by default, or an RFC 9457
problem document listing the same errors under ``errors`` when the app runs with
``problem_details=True``. They go through the same schema pass as the app's own
models, so an app model with the same name does not clash with them.
"""

from __future__ import annotations

from typing import Annotated, Any, NotRequired

from pydantic import Field, TypeAdapter
from typing_extensions import TypedDict


class ValidationError(TypedDict):
    """One validation error: where it is (loc), its kind (type) and a message."""

    loc: Annotated[list[str | int], Field(title="Location")]
    msg: Annotated[str, Field(title="Message")]
    type: Annotated[str, Field(title="Error Type")]
    input: NotRequired[Annotated[Any, Field(title="Input")]]
    ctx: NotRequired[Annotated[dict[str, Any], Field(title="Context")]]


class HTTPValidationError(TypedDict):
    """The body of a 422 answer: the list of validation errors."""

    detail: NotRequired[Annotated[list[ValidationError], Field(title="Detail")]]


class ValidationProblem(TypedDict):
    """An RFC 9457 problem document for a 422 answer, with the validation errors."""

    type: Annotated[str, Field(title="Type")]
    title: Annotated[str, Field(title="Title")]
    status: Annotated[int, Field(title="Status")]
    detail: NotRequired[Annotated[str, Field(title="Detail")]]
    errors: Annotated[list[ValidationError], Field(title="Errors")]


VALIDATION_ERROR_BODY: TypeAdapter[HTTPValidationError] = TypeAdapter(HTTPValidationError)
VALIDATION_PROBLEM_BODY: TypeAdapter[ValidationProblem] = TypeAdapter(ValidationProblem)

__all__ = [
    "VALIDATION_ERROR_BODY",
    "VALIDATION_PROBLEM_BODY",
    "HTTPValidationError",
    "ValidationError",
    "ValidationProblem",
]
