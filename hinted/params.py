"""Markers that say where a handler parameter comes from.

``Path``, ``Query``, ``Header``, ``Cookie``, ``Body``, ``Form`` and ``File`` are the classes
behind the functions of the same names in :mod:`hinted.param_functions`; ``Depends`` and
``Security`` mark dependencies. They carry options only: the signature analysis
(:mod:`hinted._signature`) reads them once, at startup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any, ClassVar, TypedDict

from pydantic import Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from typing_extensions import Unpack


class ParamSource(StrEnum):
    """Where a parameter's value is read from."""

    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"
    BODY = "body"
    FORM = "form"


class FieldOptions(TypedDict, total=False):
    """Options shared by every parameter marker (FastAPI's names and meanings)."""

    default_factory: Callable[[], Any] | None
    alias: str | None
    alias_priority: int | None
    validation_alias: str | None
    serialization_alias: str | None
    title: str | None
    description: str | None
    gt: float | None
    ge: float | None
    lt: float | None
    le: float | None
    min_length: int | None
    max_length: int | None
    pattern: str | None
    regex: str | None
    discriminator: str | None
    strict: bool | None
    multiple_of: float | None
    allow_inf_nan: bool | None
    max_digits: int | None
    decimal_places: int | None
    examples: list[Any] | None
    example: Any
    openapi_examples: dict[str, Any] | None
    deprecated: bool | None
    include_in_schema: bool
    json_schema_extra: dict[str, Any] | None


# Options that shape validation and JSON Schema; everything else is the framework's.
_PYDANTIC_OPTIONS = (
    "default_factory",
    "title",
    "description",
    "gt",
    "ge",
    "lt",
    "le",
    "min_length",
    "max_length",
    "pattern",
    "discriminator",
    "strict",
    "multiple_of",
    "allow_inf_nan",
    "max_digits",
    "decimal_places",
    "examples",
    "json_schema_extra",
)


class Param:
    """Base marker: a value read from one part of the request.

    ``default`` is ``...`` (or left out) for a required parameter.
    """

    source: ClassVar[ParamSource]

    def __init__(self, default: Any = PydanticUndefined, **options: Unpack[FieldOptions]) -> None:
        self.default = PydanticUndefined if default is ... else default
        regex = options.get("regex")
        if regex is not None and options.get("pattern") is None:
            options["pattern"] = regex
        example = options.get("example")
        if example is not None and options.get("examples") is None:
            options["examples"] = [example]
        self.alias: str | None = options.get("validation_alias") or options.get("alias")
        self.include_in_schema: bool = options.get("include_in_schema", True)
        self.deprecated: bool | None = options.get("deprecated")
        self.openapi_examples: dict[str, Any] | None = options.get("openapi_examples")
        self.description: str | None = options.get("description")
        self.examples: list[Any] | None = options.get("examples")
        self._pydantic: dict[str, Any] = {
            name: options[name]  # type: ignore[literal-required]
            for name in _PYDANTIC_OPTIONS
            if options.get(name) is not None
        }

    @property
    def required(self) -> bool:
        """True when the parameter has neither a default nor a default factory."""
        return self.default is PydanticUndefined and "default_factory" not in self._pydantic

    def default_factory(self) -> Callable[[], Any] | None:
        """The ``default_factory`` option, if one was given."""
        factory: Callable[[], Any] | None = self._pydantic.get("default_factory")
        return factory

    def field_info(self, *, alias: Any = None, use_default: bool = True) -> FieldInfo:
        """The pydantic field for this marker, optionally with a validation alias."""
        options: dict[str, Any] = dict(self._pydantic)
        if alias is not None:
            options["validation_alias"] = alias
        if use_default and self.default is not PydanticUndefined:
            options["default"] = self.default
        if not use_default:
            options.pop("default_factory", None)
        info: FieldInfo = Field(**options)
        return info

    def __repr__(self) -> str:
        return f"{type(self).__name__}({'' if self.required else repr(self.default)})"


class Path(Param):
    """A value from the URL path, such as ``{item_id}`` in ``/items/{item_id}``."""

    source = ParamSource.PATH

    def __init__(self, default: Any = ..., **options: Unpack[FieldOptions]) -> None:
        super().__init__(..., **options)


class Query(Param):
    """A value from the query string; a ``list[...]`` type collects repeated keys."""

    source = ParamSource.QUERY


class Header(Param):
    """A request header. ``x_token`` reads ``x-token`` unless ``convert_underscores=False``."""

    source = ParamSource.HEADER

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        convert_underscores: bool = True,
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(default, **options)
        self.convert_underscores = convert_underscores


class Cookie(Param):
    """A cookie sent by the client."""

    source = ParamSource.COOKIE


class Body(Param):
    """A JSON body value. Several body parameters, or ``embed=True``, are keyed by name."""

    source = ParamSource.BODY

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        embed: bool | None = None,
        media_type: str = "application/json",
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(default, **options)
        self.embed = embed
        self.media_type = media_type


class Form(Body):
    """A field of a form body (urlencoded or multipart)."""

    source = ParamSource.FORM

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        media_type: str = "application/x-www-form-urlencoded",
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(default, embed=True, media_type=media_type, **options)


class File(Form):
    """An uploaded file of a multipart body (``bytes`` or ``UploadFile``)."""

    def __init__(
        self,
        default: Any = PydanticUndefined,
        *,
        media_type: str = "multipart/form-data",
        **options: Unpack[FieldOptions],
    ) -> None:
        super().__init__(default, media_type=media_type, **options)


class Depends:
    """A dependency: the value of ``dependency(...)``, itself resolved from the request.

    ``use_cache`` (default) calls a dependency shared by several parts of one request
    only once. ``Depends()`` with no callable uses the parameter's annotated class.
    """

    def __init__(
        self,
        dependency: Callable[..., Any] | None = None,
        *,
        use_cache: bool = True,
        scope: str | None = None,
    ) -> None:
        self.dependency = dependency
        self.use_cache = use_cache
        self.scope = scope

    def __repr__(self) -> str:
        name = getattr(self.dependency, "__name__", type(self.dependency).__name__)
        cache = "" if self.use_cache else ", use_cache=False"
        return f"{type(self).__name__}({name}{cache})"


class Security(Depends):
    """A dependency that also states the OAuth2 scopes it requires."""

    def __init__(
        self,
        dependency: Callable[..., Any] | None = None,
        *,
        scopes: Sequence[str] | None = None,
        use_cache: bool = True,
    ) -> None:
        super().__init__(dependency, use_cache=use_cache)
        self.scopes = list(scopes or [])


__all__ = [
    "Body",
    "Cookie",
    "Depends",
    "FieldOptions",
    "File",
    "Form",
    "Header",
    "Param",
    "ParamSource",
    "Path",
    "Query",
    "Security",
]
