"""Route objects: what a decorator records about one handler.

A route is a description, shared by every app that includes it; the executable
:class:`~hinted._execution.Endpoint` is built from it per app, at startup.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypedDict

from starlette.datastructures import URLPath
from starlette.responses import Response
from starlette.routing import NoMatchFound, request_response
from typing_extensions import Unpack

from hinted import params
from hinted._encoding import response_model_from_annotation
from hinted._signature import CallSignature, analyse
from hinted.datastructures import DefaultPlaceholder
from hinted.limits import Limits
from hinted.routing.compiler import PathTemplate
from hinted.types import ASGIApp


class RouteOptions(TypedDict, total=False):
    """Options of a route decorator (``@app.get(path, **options)``), FastAPI's names."""

    response_model: Any
    status_code: int | None
    tags: list[str] | None
    dependencies: Sequence[params.Depends] | None
    summary: str | None
    description: str | None
    response_description: str
    responses: dict[int | str, dict[str, Any]] | None
    deprecated: bool | None
    operation_id: str | None
    response_model_include: Any
    response_model_exclude: Any
    response_model_by_alias: bool
    response_model_exclude_unset: bool
    response_model_exclude_defaults: bool
    response_model_exclude_none: bool
    include_in_schema: bool
    response_class: type[Response] | DefaultPlaceholder
    name: str | None
    callbacks: list[Any] | None
    openapi_extra: dict[str, Any] | None
    generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder
    limits: Limits | None
    """This route's request limits, in place of the app's (:class:`~hinted.limits.Limits`)."""


_UNSET: Any = DefaultPlaceholder(None)


def generate_unique_id(route: APIRoute) -> str:
    """FastAPI's default operation id: the function name, path and method."""
    operation_id = f"{route.name}{route.path_format}"
    operation_id = re.sub(r"\W", "_", operation_id)
    methods = sorted(route.methods - {"HEAD"}) or sorted(route.methods)
    return f"{operation_id}_{methods[0].lower()}"


def _path_for(
    route: APIRoute | APIWebSocketRoute | RawRoute,
    name: str,
    path_params: dict[str, Any],
    protocol: Literal["http", "websocket"] = "http",
) -> URLPath:
    """Starlette's ``url_path_for`` protocol, so a ``Mount`` can look inside a hinted app."""
    template = route.template
    if template is None or name != route.name or set(path_params) != set(template.param_names):
        raise NoMatchFound(name, path_params)
    return URLPath(template.format(**path_params), protocol=protocol)


_PATH_CONVERTOR = re.compile(r"\{([^{}:]+):[^{}]*\}")
_PATH_PARAM = re.compile(r"\{([^{}:]+)")


def _parse_template(path: str) -> PathTemplate | None:
    """The matcher of a served path; None for what OpenAPI allows but no server matches.

    Webhook names (``"new-subscription"``) and callback expressions
    (``"{$request.body#/callback_url}"``) are documented only.
    """
    try:
        return PathTemplate.parse(path)
    except ValueError:
        if path.startswith("/") and "$" not in path:
            raise
        return None


class APIRoute:
    """An HTTP route: path, methods, handler and how to document and answer it."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Sequence[str] | None = None,
        **options: Unpack[RouteOptions],
    ) -> None:
        self.path = path
        self.endpoint = endpoint
        self.template = _parse_template(path)
        self.path_format = _PATH_CONVERTOR.sub(r"{\1}", path)
        self.methods: set[str] = {m.upper() for m in (methods or ["GET"])}
        self.name: str = options.get("name") or str(getattr(endpoint, "__name__", "endpoint"))
        self.tags: list[str] = list(options.get("tags") or [])
        self.dependencies: list[params.Depends] = list(options.get("dependencies") or [])
        self.summary = options.get("summary")
        doc = inspect.getdoc(endpoint) or None
        description = options.get("description") or doc
        self.description: str | None = description.split("\f")[0].strip() if description else None
        self.response_description: str = options.get("response_description", "Successful Response")
        self.responses: dict[int | str, dict[str, Any]] = dict(options.get("responses") or {})
        self.deprecated = options.get("deprecated")
        self.operation_id = options.get("operation_id")
        self.include_in_schema: bool = options.get("include_in_schema", True)
        self.response_class: type[Response] | DefaultPlaceholder = options.get(
            "response_class", _UNSET
        )
        self.callbacks = options.get("callbacks")
        self.openapi_extra = options.get("openapi_extra")
        self.status_code: int | None = options.get("status_code")
        self.response_model_include = options.get("response_model_include")
        self.response_model_exclude = options.get("response_model_exclude")
        self.response_model_by_alias: bool = options.get("response_model_by_alias", True)
        self.response_model_exclude_unset: bool = options.get("response_model_exclude_unset", False)
        self.response_model_exclude_defaults: bool = options.get(
            "response_model_exclude_defaults", False
        )
        self.response_model_exclude_none: bool = options.get("response_model_exclude_none", False)
        self.generate_unique_id_function = options.get(
            "generate_unique_id_function", DefaultPlaceholder(generate_unique_id)
        )
        self.limits: Limits | None = options.get("limits")
        self.signature: CallSignature = analyse(endpoint, path_params=self.path_params)
        explicit = options.get("response_model", _UNSET)
        if isinstance(explicit, DefaultPlaceholder):
            self.response_model: Any = response_model_from_annotation(
                self.signature.return_annotation
            )
        else:
            self.response_model = explicit
        unique_id = self.generate_unique_id_function
        if isinstance(unique_id, DefaultPlaceholder):
            unique_id = unique_id.value
        self.unique_id: str = self.operation_id or unique_id(self)

    @property
    def path_params(self) -> frozenset[str]:
        if self.template is None:  # a webhook or callback: documented, never served
            return frozenset(_PATH_PARAM.findall(self.path))
        return frozenset(self.template.param_names)

    def options(self) -> RouteOptions:
        """This route's options, to copy it under another prefix."""
        return RouteOptions(
            response_model=self.response_model,
            status_code=self.status_code,
            tags=list(self.tags),
            dependencies=list(self.dependencies),
            summary=self.summary,
            description=self.description,
            response_description=self.response_description,
            responses=dict(self.responses),
            deprecated=self.deprecated,
            operation_id=self.operation_id,
            response_model_include=self.response_model_include,
            response_model_exclude=self.response_model_exclude,
            response_model_by_alias=self.response_model_by_alias,
            response_model_exclude_unset=self.response_model_exclude_unset,
            response_model_exclude_defaults=self.response_model_exclude_defaults,
            response_model_exclude_none=self.response_model_exclude_none,
            include_in_schema=self.include_in_schema,
            response_class=self.response_class,
            name=self.name,
            callbacks=self.callbacks,
            openapi_extra=self.openapi_extra,
            generate_unique_id_function=self.generate_unique_id_function,
            limits=self.limits,
        )

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """This route's path if it is called ``name`` and takes exactly ``path_params``."""
        return _path_for(self, name, path_params)

    def __repr__(self) -> str:
        return f"APIRoute(path={self.path!r}, name={self.name!r}, methods={sorted(self.methods)})"


class APIWebSocketRoute:
    """A WebSocket route: its path parameters, query and headers validated like HTTP ones."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> None:
        self.path = path
        self.path_format = path
        self.endpoint = endpoint
        self.template = PathTemplate.parse(path)
        self.name: str = name or str(getattr(endpoint, "__name__", "websocket"))
        self.dependencies: list[params.Depends] = list(dependencies or [])
        self.signature = analyse(endpoint, path_params=self.path_params)

    @property
    def path_params(self) -> frozenset[str]:
        return frozenset(self.template.param_names)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """This route's path if it is called ``name`` and takes exactly ``path_params``."""
        return _path_for(self, name, path_params, "websocket")

    def __repr__(self) -> str:
        return f"APIWebSocketRoute(path={self.path!r}, name={self.name!r})"


class RawRoute:
    """A Starlette-style route: ``endpoint(request) -> Response``, or any ASGI app."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        self.path = path
        self.path_format = path
        self.endpoint = endpoint
        self.template = PathTemplate.parse(path)
        self.methods: set[str] = {m.upper() for m in (methods or ["GET"])}
        self.name: str = name or str(getattr(endpoint, "__name__", "route"))
        self.include_in_schema = include_in_schema
        is_function = inspect.isfunction(endpoint) or inspect.ismethod(endpoint)
        self.app: ASGIApp = request_response(endpoint) if is_function else endpoint

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """This route's path if it is called ``name`` and takes exactly ``path_params``."""
        return _path_for(self, name, path_params)


__all__ = [
    "APIRoute",
    "APIWebSocketRoute",
    "RawRoute",
    "RouteOptions",
    "generate_unique_id",
]
