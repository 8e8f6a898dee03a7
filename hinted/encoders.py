"""``jsonable_encoder``: turn any value into plain JSON-compatible Python data.

pydantic-core does the walking; this module only maps FastAPI's options onto it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pydantic_core

from hinted._narrowing import is_dict

IncEx = set[int] | set[str] | dict[int, Any] | dict[str, Any]


def jsonable_encoder(
    obj: Any,
    include: IncEx | None = None,
    exclude: IncEx | None = None,
    by_alias: bool = True,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
    custom_encoder: dict[Any, Callable[[Any], Any]] | None = None,
    sqlalchemy_safe: bool = True,
) -> Any:
    """Convert ``obj`` (models, dataclasses, datetimes, UUIDs, sets, enums…) to JSON data.

    ```python
    jsonable_encoder(ChatEntry(message="hi", recipient="dave"))
    # {'version': '3.1', 'message': 'hi', 'recipient': 'dave', 'author': None, 'timestamp': None}
    ```
    """
    fallback: Callable[[Any], Any] = _plain_object
    if custom_encoder:
        encoders = custom_encoder

        def custom_fallback(value: Any) -> Any:
            for cls in type(value).__mro__:
                if cls in encoders:
                    return encoders[cls](value)
            return _plain_object(value)

        fallback = custom_fallback

        for cls, encode in encoders.items():
            if isinstance(obj, cls):
                return jsonable_encoder(encode(obj))
    if hasattr(obj, "__pydantic_serializer__") and (include is not None or exclude is not None):
        return obj.model_dump(
            mode="json",
            include=include,
            exclude=exclude,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            fallback=fallback,
        )
    if is_dict(obj) and (include is not None or exclude is not None):
        keys: set[Any] = set(obj) if include is None else set(include) & set(obj)
        keys -= set(exclude or ())
        obj = {key: value for key, value in obj.items() if key in keys}
    return pydantic_core.to_jsonable_python(
        obj,
        by_alias=by_alias,
        exclude_none=exclude_none,
        fallback=fallback,
    )


def _plain_object(value: Any) -> Any:
    """Encode an object pydantic-core does not know by its attributes, as FastAPI does."""
    try:
        return pydantic_core.to_jsonable_python(dict(value))
    except (TypeError, ValueError):
        pass
    if hasattr(value, "__dict__"):
        instance: object = value  # vars(Any) matches two overloads: pyright calls it Unknown
        attributes = vars(instance)
        return pydantic_core.to_jsonable_python(
            {k: v for k, v in attributes.items() if not k.startswith("_")}, fallback=_plain_object
        )
    raise ValueError(f"Object of type {type(value).__name__} is not JSON serializable")


__all__ = ["jsonable_encoder"]
