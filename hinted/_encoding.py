"""Response encoders: a handler's return value -> JSON bytes, built once per route.

With a response model (``response_model=`` or the return annotation) the value is
validated against it, which filters out fields the model does not declare, then
serialised by pydantic-core in one call. Without one, pydantic-core serialises the
value as it is (dicts, lists, models, dataclasses, datetimes, UUIDs…).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Union, get_args, get_origin

import pydantic_core
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.responses import Response

from hinted._pydantic import request_errors
from hinted.exceptions import ResponseValidationError

IncEx = Any


class ResponseEncoder:
    """Encode return values of one route, as bytes or as JSON-compatible data."""

    __slots__ = ("_adapter", "_exact", "_options")

    def __init__(
        self,
        model: Any,
        *,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        by_alias: bool = True,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
    ) -> None:
        self._adapter: TypeAdapter[Any] | None = None if model is None else TypeAdapter(model)
        # A returned instance of exactly the model class needs no re-validation.
        self._exact: type[Any] | None = model if isinstance(model, type) else None
        options: dict[str, Any] = {
            "include": include,
            "exclude": exclude,
            "by_alias": by_alias,
            "exclude_unset": exclude_unset,
            "exclude_defaults": exclude_defaults,
            "exclude_none": exclude_none,
        }
        self._options = options

    @property
    def has_model(self) -> bool:
        return self._adapter is not None

    def _validated(self, value: Any) -> Any:
        adapter = self._adapter
        assert adapter is not None
        if type(value) is self._exact:
            return value
        exact = self._exact
        if isinstance(value, BaseModel) and not (exact is not None and isinstance(value, exact)):
            # Another model: keep what the handler set explicitly, as FastAPI does.
            value = value.model_dump(by_alias=True, exclude_unset=self._options["exclude_unset"])
        try:
            return adapter.validate_python(value, from_attributes=True)
        except ValidationError as exc:
            raise ResponseValidationError(request_errors(exc, ("response",)), body=value) from exc

    def bytes_function(self) -> Callable[[Any], bytes]:
        """The fastest callable doing :meth:`to_bytes`: pydantic-core's own when it can."""
        if self._adapter is None and not self._options["exclude_none"]:
            return pydantic_core.to_json
        return self.to_bytes

    def to_bytes(self, value: Any) -> bytes:
        """The JSON body for ``value``."""
        adapter = self._adapter
        if adapter is None:
            return pydantic_core.to_json(value, exclude_none=self._options["exclude_none"])
        return adapter.dump_json(self._validated(value), **self._options)

    def to_jsonable(self, value: Any) -> Any:
        """``value`` as JSON-compatible Python data, for a custom response class."""
        adapter = self._adapter
        if adapter is None:
            if isinstance(value, (str, bytes)):
                return value
            return pydantic_core.to_jsonable_python(value)
        return adapter.dump_python(self._validated(value), mode="json", **self._options)


def response_model_from_annotation(annotation: Any) -> Any:
    """The model implied by a handler's return annotation, or None when it implies none."""
    if annotation is inspect.Signature.empty or annotation is None or annotation is Any:
        return None
    if annotation is type(None):
        return None
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType) and any(
        _is_response_type(arg) for arg in get_args(annotation)
    ):
        return None
    if _is_response_type(annotation):
        return None
    if origin in (Iterator, AsyncIterator) or _is_iterator_class(origin):
        return None
    return annotation


def _is_iterator_class(origin: object) -> bool:
    # A function of its own: narrowed by the ``in`` tests above, ``origin`` would include
    # ``type[Union]``, which pyright does not accept in issubclass().
    return isinstance(origin, type) and issubclass(origin, (Iterator, AsyncIterator))


def _is_response_type(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Response)


__all__ = ["ResponseEncoder", "response_model_from_annotation"]
