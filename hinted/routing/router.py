"""``APIRouter``: a group of routes with shared prefix, tags, dependencies and responses.

```python
router = APIRouter(prefix="/messages", tags=["messages"])

@router.get("/{message_id}")
async def read_message(message_id: int) -> ChatEntry: ...

app.include_router(router)
```
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.responses import Response
from starlette.routing import Mount
from typing_extensions import Unpack

from hinted import params
from hinted.datastructures import DefaultPlaceholder
from hinted.routing.routes import APIRoute, APIWebSocketRoute, RawRoute, RouteOptions
from hinted.types import ASGIApp, DecoratedCallable

BaseRoute = APIRoute | APIWebSocketRoute | RawRoute | Mount


class APIRouter:
    """Routes and the defaults they share; include it in an app or another router."""

    def __init__(
        self,
        *,
        prefix: str = "",
        tags: list[str] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        default_response_class: type[Response] | None = None,
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[Any] | None = None,
        routes: list[BaseRoute] | None = None,
        redirect_slashes: bool = True,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] | None = None,
    ) -> None:
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError("A router prefix must start with '/' and not end with '/'")
        self.prefix = prefix
        self.tags: list[str] = list(tags or [])
        self.dependencies: list[params.Depends] = list(dependencies or [])
        self.default_response_class = default_response_class
        self.responses: dict[int | str, dict[str, Any]] = dict(responses or {})
        self.callbacks = callbacks
        self.routes: list[BaseRoute] = list(routes or [])
        self.redirect_slashes = redirect_slashes
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.generate_unique_id_function = generate_unique_id_function
        self.version = 0  # bumped on every change
        self.listeners: list[Callable[[], None]] = []  # told of every change (apps rebuild)

    def _changed(self) -> None:
        self.version += 1
        for listener in self.listeners:
            listener()

    # -- registering routes -------------------------------------------------------------

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Sequence[str] | None = None,
        **options: Unpack[RouteOptions],
    ) -> APIRoute:
        """Register ``endpoint`` for ``methods`` on ``self.prefix + path``."""
        options["tags"] = [*self.tags, *(options.get("tags") or [])]
        options["dependencies"] = [*self.dependencies, *(options.get("dependencies") or [])]
        options["responses"] = {**self.responses, **(options.get("responses") or {})}
        if self.deprecated is not None and options.get("deprecated") is None:
            options["deprecated"] = self.deprecated
        if not self.include_in_schema:
            options["include_in_schema"] = False
        if self.default_response_class is not None and isinstance(
            options.get("response_class", DefaultPlaceholder(None)), DefaultPlaceholder
        ):
            options["response_class"] = DefaultPlaceholder(self.default_response_class)
        if self.generate_unique_id_function is not None and "generate_unique_id_function" not in (
            options
        ):
            options["generate_unique_id_function"] = self.generate_unique_id_function
        route = APIRoute(self.prefix + path, endpoint, methods=methods, **options)
        self.routes.append(route)
        self._changed()
        return route

    def api_route(
        self, path: str, *, methods: Sequence[str] | None = None, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator form of :meth:`add_api_route`."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_api_route(path, func, methods=methods, **options)
            return func

        return decorator

    def get(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a GET handler (HEAD is answered too, without a body)."""
        return self.api_route(path, methods=["GET"], **options)

    def post(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a POST handler."""
        return self.api_route(path, methods=["POST"], **options)

    def put(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a PUT handler."""
        return self.api_route(path, methods=["PUT"], **options)

    def patch(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a PATCH handler."""
        return self.api_route(path, methods=["PATCH"], **options)

    def delete(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a DELETE handler."""
        return self.api_route(path, methods=["DELETE"], **options)

    def head(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a HEAD handler."""
        return self.api_route(path, methods=["HEAD"], **options)

    def options(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register an OPTIONS handler."""
        return self.api_route(path, methods=["OPTIONS"], **options)

    def trace(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a TRACE handler."""
        return self.api_route(path, methods=["TRACE"], **options)

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> APIWebSocketRoute:
        """Register a WebSocket handler on ``self.prefix + path``."""
        route = APIWebSocketRoute(
            self.prefix + path,
            endpoint,
            name=name,
            dependencies=[*self.dependencies, *(dependencies or [])],
        )
        self.routes.append(route)
        self._changed()
        return route

    def websocket(
        self,
        path: str,
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a WebSocket handler: ``async def chat(websocket: WebSocket): ...``."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_api_websocket_route(path, func, name, dependencies=dependencies)
            return func

        return decorator

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> RawRoute:
        """Register a Starlette-style endpoint (``request -> Response``) or ASGI app."""
        route = RawRoute(
            self.prefix + path,
            endpoint,
            methods=methods,
            name=name,
            include_in_schema=include_in_schema,
        )
        self.routes.append(route)
        self._changed()
        return route

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve any ASGI app (``StaticFiles``, another framework's app) under ``path``."""
        self.routes.append(Mount(self.prefix + path, app=app, name=name))
        self._changed()

    # -- nesting ------------------------------------------------------------------------

    def include_router(
        self,
        router: APIRouter,
        *,
        prefix: str = "",
        tags: list[str] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        responses: dict[int | str, dict[str, Any]] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        default_response_class: type[Response] | None = None,
        callbacks: list[Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] | None = None,
    ) -> None:
        """Copy ``router``'s routes here, under ``prefix``, adding tags, dependencies…

        Routes are copied when this is called; add routes to ``router`` before including it.
        """
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError("A prefix must start with '/' and not end with '/'")
        for route in router.routes:
            if isinstance(route, APIRoute):
                self._include_api_route(
                    route,
                    prefix,
                    tags=tags,
                    dependencies=dependencies,
                    responses=responses,
                    deprecated=deprecated,
                    include_in_schema=include_in_schema,
                    default_response_class=default_response_class,
                    generate_unique_id_function=generate_unique_id_function,
                )
            elif isinstance(route, APIWebSocketRoute):
                self.add_api_websocket_route(
                    prefix + route.path,
                    route.endpoint,
                    route.name,
                    dependencies=[*(dependencies or []), *route.dependencies],
                )
            elif isinstance(route, RawRoute):
                self.add_route(
                    prefix + route.path,
                    route.endpoint,
                    methods=sorted(route.methods),
                    name=route.name,
                    include_in_schema=route.include_in_schema and include_in_schema,
                )
            else:
                self.mount(prefix + route.path, route.app, route.name)

    def _include_api_route(
        self,
        route: APIRoute,
        prefix: str,
        *,
        tags: list[str] | None,
        dependencies: Sequence[params.Depends] | None,
        responses: dict[int | str, dict[str, Any]] | None,
        deprecated: bool | None,
        include_in_schema: bool,
        default_response_class: type[Response] | None,
        generate_unique_id_function: Callable[[APIRoute], str] | None,
    ) -> None:
        options = route.options()
        options["tags"] = [*(tags or []), *route.tags]
        options["dependencies"] = [*(dependencies or []), *route.dependencies]
        options["responses"] = {**(responses or {}), **route.responses}
        if deprecated is not None and route.deprecated is None:
            options["deprecated"] = deprecated
        options["include_in_schema"] = route.include_in_schema and include_in_schema
        response_class = options.get("response_class")
        if (
            default_response_class is not None
            and isinstance(response_class, DefaultPlaceholder)
            and response_class.value is None
        ):
            options["response_class"] = DefaultPlaceholder(default_response_class)
        if generate_unique_id_function is not None and isinstance(
            route.generate_unique_id_function, DefaultPlaceholder
        ):
            options["generate_unique_id_function"] = generate_unique_id_function
        if route.operation_id is None:
            options.pop("operation_id", None)
        self.add_api_route(
            prefix + route.path, route.endpoint, methods=sorted(route.methods), **options
        )


__all__ = ["APIRouter", "BaseRoute"]
