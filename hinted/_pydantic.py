"""The one module that builds pydantic validators and serializers for the framework.

Everything here runs at startup, except :func:`request_errors`, which shapes a
``ValidationError`` into FastAPI's error dictionaries on the (rare) error path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, NotRequired

import pydantic_core
from pydantic import AliasPath, ConfigDict, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from hinted.params import Param


class FieldSpec:
    """One value to validate: where it is read (``path``) and what it must be."""

    __slots__ = ("annotation", "key", "marker", "path")

    def __init__(self, key: str, annotation: Any, marker: Param, path: Sequence[str]) -> None:
        self.key = key  # the name of the value in the validated dictionary
        self.annotation = annotation
        self.marker = marker
        self.path = tuple(path)  # e.g. ("query", "limit") or ("header", "x-token")


def typed_dict_adapter(name: str, fields: Sequence[FieldSpec]) -> TypeAdapter[dict[str, Any]]:
    """A validator for a dictionary of inputs, keyed by source then wire name.

    The output is flat, keyed by :attr:`FieldSpec.key`, and pydantic's own error
    locations read like ``("query", "limit")`` because each field's validation
    alias is its path.
    """
    annotations: dict[str, Any] = {}
    for spec in fields:
        alias: AliasPath | str
        if len(spec.path) > 1:
            alias = AliasPath(*spec.path)
        elif len(spec.path) == 1:
            alias = spec.path[0]
        else:
            raise ValueError(f"field {spec.key!r} has no path to read it from")
        info = spec.marker.field_info(alias=alias)
        annotated: Any = Annotated[spec.annotation, info]
        annotations[spec.key] = annotated if spec.marker.required else NotRequired[annotated]
    make_typed_dict: Any = TypedDict
    typed_dict: Any = make_typed_dict(name, annotations)
    typed_dict.__pydantic_config__ = ConfigDict(arbitrary_types_allowed=True)
    adapter: TypeAdapter[dict[str, Any]] = TypeAdapter(typed_dict)
    return adapter


def value_adapter(annotation: Any, marker: Param | None = None) -> TypeAdapter[Any]:
    """A validator for one value, such as a whole JSON body."""
    if marker is not None:
        # Evaluated outside the subscript: type checkers do not narrow ``marker`` there.
        info = marker.field_info(use_default=False)
        annotation = Annotated[annotation, info]
    return TypeAdapter(annotation)


def request_errors(
    exc: ValidationError, prefix: tuple[str, ...] = (), *, parameter_depth: int = 0
) -> list[dict[str, Any]]:
    """FastAPI-shaped errors: ``{"type", "loc", "msg", "input", "ctx"?}``.

    A parameter that was not sent (a ``missing`` error whose location is at most
    ``parameter_depth`` long, such as ``("query", "q")``) reports ``input: null``, where
    pydantic would report every value of the request; a field missing inside a value
    that was sent keeps the enclosing object, as pydantic reports it. Malformed JSON
    reports ``input: {}`` rather than echoing the raw body.
    """
    # errors() builds new dictionaries on every call: they are ours to change.
    errors: list[dict[str, Any]] = exc.errors(include_url=False)  # type: ignore[assignment]
    for error in errors:
        kind = error["type"]
        if kind == "missing" and len(error["loc"]) <= parameter_depth:
            error["input"] = None
        elif kind == "json_invalid":
            error["input"] = {}
        if prefix:
            error["loc"] = (*prefix, *error["loc"])
    return errors


def missing_error(loc: tuple[str, ...]) -> dict[str, Any]:
    """The error for a required value that was not sent at all."""
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def errors_to_json(errors: Any) -> bytes:
    """Serialise error dictionaries; exceptions in ``ctx`` become their message."""
    try:
        return pydantic_core.to_json(errors)  # without a fallback: a third faster
    except pydantic_core.PydanticSerializationError:
        return pydantic_core.to_json(errors, fallback=str)


__all__ = [
    "FieldSpec",
    "ValidationError",
    "errors_to_json",
    "missing_error",
    "request_errors",
    "typed_dict_adapter",
    "value_adapter",
]
