"""``Path()``, ``Query()``, ``Body()``… as functions typed to return ``Any``.

Type checkers then accept ``limit: int = Query(10, le=100)`` as a default of the
annotated type, as they do with FastAPI's functions of the same names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic_core import PydanticUndefined
from typing_extensions import Unpack

from hinted import params
from hinted.params import FieldOptions


def Path(default: Any = ..., **options: Unpack[FieldOptions]) -> Any:
    """A path parameter (always required)."""
    return params.Path(default, **options)


def Query(default: Any = PydanticUndefined, **options: Unpack[FieldOptions]) -> Any:
    """A query-string parameter."""
    return params.Query(default, **options)


def Header(
    default: Any = PydanticUndefined,
    *,
    convert_underscores: bool = True,
    **options: Unpack[FieldOptions],
) -> Any:
    """A header; underscores in the name become hyphens unless told otherwise."""
    return params.Header(default, convert_underscores=convert_underscores, **options)


def Cookie(default: Any = PydanticUndefined, **options: Unpack[FieldOptions]) -> Any:
    """A cookie."""
    return params.Cookie(default, **options)


def Body(
    default: Any = PydanticUndefined,
    *,
    embed: bool | None = None,
    media_type: str = "application/json",
    **options: Unpack[FieldOptions],
) -> Any:
    """A value of the JSON body."""
    return params.Body(default, embed=embed, media_type=media_type, **options)


def Form(
    default: Any = PydanticUndefined,
    *,
    media_type: str = "application/x-www-form-urlencoded",
    **options: Unpack[FieldOptions],
) -> Any:
    """A form field."""
    return params.Form(default, media_type=media_type, **options)


def File(
    default: Any = PydanticUndefined,
    *,
    media_type: str = "multipart/form-data",
    **options: Unpack[FieldOptions],
) -> Any:
    """An uploaded file."""
    return params.File(default, media_type=media_type, **options)


def Depends(
    dependency: Callable[..., Any] | None = None,
    *,
    use_cache: bool = True,
    scope: str | None = None,
) -> Any:
    """A dependency, resolved once per request (unless ``use_cache=False``)."""
    return params.Depends(dependency, use_cache=use_cache, scope=scope)


def Security(
    dependency: Callable[..., Any] | None = None,
    *,
    scopes: Sequence[str] | None = None,
    use_cache: bool = True,
) -> Any:
    """A dependency that requires OAuth2 ``scopes``."""
    return params.Security(dependency, scopes=scopes, use_cache=use_cache)


__all__ = ["Body", "Cookie", "Depends", "File", "Form", "Header", "Path", "Query", "Security"]
