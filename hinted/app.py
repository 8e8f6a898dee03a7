"""``App``: the application. Routes, lifespan, middleware, exception handlers, docs.

```python
from hinted import App

app = App(title="Chat")

@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"message": "Hello, world"}
```

Serve it with ``hinted run module:app`` (uvicorn) or any ASGI server.
"""

from __future__ import annotations

import collections
import contextlib
import inspect
import traceback
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
from starlette.datastructures import State, URLPath
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount, NoMatchFound
from starlette.websockets import WebSocket
from typing_extensions import Unpack

from hinted import exception_handlers as handlers
from hinted import params
from hinted._dependency_overrides import DependencyOverrides
from hinted._encoding import ResponseEncoder
from hinted._execution import Endpoint, answered_via, mark_started
from hinted._narrowing import is_awaitable
from hinted._plan import EndpointPlan, build_plan
from hinted._pydantic import errors_to_json
from hinted._signature import CallKind
from hinted._streaming import stream_item_type, streamer
from hinted._websocket_execution import WebSocketEndpoint
from hinted.datastructures import DefaultPlaceholder
from hinted.exceptions import (
    LimitExceeded,
    RequestValidationError,
    WebSocketException,
    WebSocketRequestValidationError,
)
from hinted.limits import Limits
from hinted.middleware.functions import HANDOVER_KEY, FunctionMiddleware, ResponseHandover
from hinted.responses import JSONResponse
from hinted.routing.dispatch import Dispatcher
from hinted.routing.router import APIRouter, BaseRoute
from hinted.routing.routes import APIRoute, APIWebSocketRoute, RouteOptions
from hinted.types import ASGIApp, DecoratedCallable, Receive, Scope, Send

if TYPE_CHECKING:
    from hinted.asyncapi.channels import AsyncAPIChannel

AppType = TypeVar("AppType", bound="App")
ExceptionHandler = Callable[[Any, Any], Any]
Lifespan = Callable[[Any], contextlib.AbstractAsyncContextManager[Any]]

_FAST_JSON_CLASSES: tuple[type[Response], ...] = (JSONResponse,)


class App:
    """An ASGI application built from typed handler functions.

    Keyword arguments keep FastAPI's names and meanings (``title``, ``version``,
    ``openapi_url``, ``docs_url``, ``lifespan``, ``exception_handlers``…).
    ``problem_details=True`` answers every error as RFC 9457 ``application/problem+json``.
    ``limits=Limits(...)`` sets how much a request may send (:mod:`hinted.limits`);
    a route's own ``limits=`` replaces them for that route; ``app.limit_hits`` counts
    the requests refused for each limit.
    ``asyncapi_url`` and ``asyncapi_docs_url`` serve the AsyncAPI document of the
    WebSocket routes and its page; ``asyncapi_channels`` adds pub/sub channels to it
    (:mod:`hinted.asyncapi`).
    """

    def __init__(
        self,
        *,
        debug: bool = False,
        routes: list[BaseRoute] | None = None,
        title: str = "hinted",
        summary: str | None = None,
        description: str = "",
        version: str = "0.1.0",
        openapi_url: str | None = "/openapi.json",
        openapi_tags: list[dict[str, Any]] | None = None,
        servers: list[dict[str, Any]] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        default_response_class: type[Response] = JSONResponse,
        redirect_slashes: bool = True,
        docs_url: str | None = "/docs",
        redoc_url: str | None = "/redoc",
        swagger_ui_oauth2_redirect_url: str | None = "/docs/oauth2-redirect",
        swagger_ui_init_oauth: dict[str, Any] | None = None,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: Mapping[Any, ExceptionHandler] | None = None,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Lifespan | None = None,
        terms_of_service: str | None = None,
        contact: dict[str, Any] | None = None,
        license_info: dict[str, Any] | None = None,
        root_path: str = "",
        root_path_in_servers: bool = True,
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[Any] | None = None,
        webhooks: APIRouter | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        swagger_ui_parameters: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] | None = None,
        separate_input_output_schemas: bool = True,
        problem_details: bool = False,
        thread_pool_size: int | None = None,
        limits: Limits | None = None,
        asyncapi_url: str | None = "/asyncapi.json",
        asyncapi_docs_url: str | None = "/asyncapi",
        asyncapi_channels: Sequence[AsyncAPIChannel] | None = None,
        **extra: Any,
    ) -> None:
        self.debug = debug
        self.title = title
        self.summary = summary
        self.description = description
        self.version = version
        self.openapi_url = openapi_url
        self.openapi_tags = openapi_tags
        self.servers: list[dict[str, Any]] = list(servers or [])
        self.docs_url = docs_url
        self.redoc_url = redoc_url
        self.swagger_ui_oauth2_redirect_url = swagger_ui_oauth2_redirect_url
        self.swagger_ui_init_oauth = swagger_ui_init_oauth
        self.swagger_ui_parameters = swagger_ui_parameters
        self.terms_of_service = terms_of_service
        self.contact = contact
        self.license_info = license_info
        self.root_path = root_path
        self.root_path_in_servers = root_path_in_servers
        self.webhooks = webhooks or APIRouter()
        self.separate_input_output_schemas = separate_input_output_schemas
        self.problem_details = problem_details
        if thread_pool_size is not None and thread_pool_size < 1:
            raise ValueError("thread_pool_size must be at least 1")
        self.thread_pool_size = thread_pool_size
        self.limits = limits or Limits()
        # How many requests went past each limit, by name ("max_body_size": 3).
        self.limit_hits: collections.Counter[str] = collections.Counter()
        self._limiter: anyio.CapacityLimiter | None = None
        self.extra = extra
        self.default_response_class = default_response_class
        self.openapi_schema: dict[str, Any] | None = None
        self.openapi_version = "3.1.0"
        self.asyncapi_url = asyncapi_url
        self.asyncapi_docs_url = asyncapi_docs_url
        self.asyncapi_channels: list[AsyncAPIChannel] = list(asyncapi_channels or [])
        self.asyncapi_schema: dict[str, Any] | None = None
        self.state = State()
        self.router = APIRouter(
            routes=routes,
            dependencies=dependencies,
            responses=responses,
            callbacks=callbacks,
            redirect_slashes=redirect_slashes,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            generate_unique_id_function=generate_unique_id_function,
        )
        self._overrides = DependencyOverrides()
        self.user_middleware: list[Middleware] = list(middleware or [])
        self.exception_handlers: dict[Any, ExceptionHandler] = self._default_handlers()
        self.exception_handlers.update(exception_handlers or {})
        self._on_startup = list(on_startup or [])
        self._on_shutdown = list(on_shutdown or [])
        self._lifespan = lifespan
        self._stack: ASGIApp | None = None
        self._in_flight = 0  # HTTP requests and WebSockets being served
        self._dispatcher: Dispatcher | None = None
        # The dispatcher, while it answers HTTP requests on its own: no middleware and
        # no route or override changed since it was built.
        self._router_only: Dispatcher | None = None
        self._stale = True  # routes or overrides changed since the last build
        # Plans built without overrides, which the OpenAPI document reuses.
        self._route_plans: dict[APIRoute, EndpointPlan] = {}
        self.router.listeners.append(self._routes_changed)
        self._overrides.listeners.append(self._mark_stale)
        self._setup_docs()

    # -- configuration ------------------------------------------------------------------

    def _default_handlers(self) -> dict[Any, ExceptionHandler]:
        if self.problem_details:
            return {
                StarletteHTTPException: handlers.problem_http_exception_handler,
                RequestValidationError: handlers.problem_validation_exception_handler,
                WebSocketRequestValidationError: (
                    handlers.websocket_request_validation_exception_handler
                ),
            }
        return {
            StarletteHTTPException: handlers.http_exception_handler,
            RequestValidationError: handlers.request_validation_exception_handler,
            WebSocketRequestValidationError: (
                handlers.websocket_request_validation_exception_handler
            ),
        }

    def _setup_docs(self) -> None:
        from hinted.asyncapi.setup import setup_asyncapi
        from hinted.openapi.setup import setup_docs

        setup_docs(self)
        setup_asyncapi(self)

    @property
    def routes(self) -> list[BaseRoute]:
        """Every route of the app, in registration order."""
        return self.router.routes

    @property
    def dependency_overrides(self) -> DependencyOverrides:
        """Replace a dependency in tests: ``app.dependency_overrides[get_db] = fake_db``."""
        return self._overrides

    @dependency_overrides.setter
    def dependency_overrides(self, value: Mapping[Any, Any]) -> None:
        self._overrides.clear()
        self._overrides.update(value)

    def thread_limiter(self) -> anyio.CapacityLimiter | None:
        """The limiter of this app's sync handlers and dependencies (None: anyio's default).

        Created on first use, inside the running event loop.
        """
        if self.thread_pool_size is None:
            return None
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.thread_pool_size)
        return self._limiter

    def _mark_stale(self) -> None:
        self._stale = True
        self._router_only = None

    def _routes_changed(self) -> None:
        self._mark_stale()
        self.openapi_schema = None  # documents routes added after it was first built

    def add_middleware(self, middleware_class: Any, *args: Any, **kwargs: Any) -> None:
        """Wrap the app in ASGI middleware; the last added runs first."""
        if self._stack is not None:
            raise RuntimeError("Cannot add middleware after an application has started")
        self.user_middleware.insert(0, Middleware(middleware_class, *args, **kwargs))

    def middleware(self, middleware_type: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """``@app.middleware("http")``: a function ``(request, call_next) -> response``."""
        if middleware_type != "http":
            raise ValueError('Only "http" middleware functions are supported')

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_middleware(FunctionMiddleware, dispatch=func)
            return func

        return decorator

    def add_exception_handler(self, key: int | type[Exception], handler: ExceptionHandler) -> None:
        """Answer exceptions of class ``key`` (or HTTP errors of status ``key``)."""
        self.exception_handlers[key] = handler

    def exception_handler(
        self, key: int | type[Exception]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Decorator form of :meth:`add_exception_handler`."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            self.add_exception_handler(key, func)
            return func

        return decorator

    def on_event(self, event_type: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Legacy startup/shutdown hooks; prefer ``lifespan``."""

        def decorator(func: DecoratedCallable) -> DecoratedCallable:
            (self._on_startup if event_type == "startup" else self._on_shutdown).append(func)
            return func

        return decorator

    # -- routes (delegated to the root router) ------------------------------------------

    def include_router(self, router: APIRouter, **options: Any) -> None:
        """Add ``router``'s routes under ``prefix`` with extra tags and dependencies."""
        self.router.include_router(router, **options)

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Sequence[str] | None = None,
        **options: Unpack[RouteOptions],
    ) -> APIRoute:
        """Register ``endpoint`` for ``methods`` on ``path``."""
        return self.router.add_api_route(path, endpoint, methods=methods, **options)

    def api_route(
        self, path: str, *, methods: Sequence[str] | None = None, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a handler for several methods."""
        return self.router.api_route(path, methods=methods, **options)

    def get(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a GET handler."""
        return self.router.get(path, **options)

    def post(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a POST handler."""
        return self.router.post(path, **options)

    def put(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a PUT handler."""
        return self.router.put(path, **options)

    def patch(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a PATCH handler."""
        return self.router.patch(path, **options)

    def delete(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a DELETE handler."""
        return self.router.delete(path, **options)

    def head(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a HEAD handler."""
        return self.router.head(path, **options)

    def options(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register an OPTIONS handler."""
        return self.router.options(path, **options)

    def trace(
        self, path: str, **options: Unpack[RouteOptions]
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a TRACE handler."""
        return self.router.trace(path, **options)

    def websocket(
        self,
        path: str,
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> Callable[[DecoratedCallable], DecoratedCallable]:
        """Register a WebSocket handler."""
        return self.router.websocket(path, name, dependencies=dependencies)

    def add_api_websocket_route(
        self, path: str, endpoint: Callable[..., Any], name: str | None = None
    ) -> APIWebSocketRoute:
        """Register a WebSocket handler without the decorator."""
        return self.router.add_api_websocket_route(path, endpoint, name)

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Register a Starlette-style endpoint (``request -> Response``)."""
        self.router.add_route(path, endpoint, methods, name, include_in_schema)

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve any ASGI app under ``path``: ``app.mount("/static", StaticFiles(...))``."""
        self.router.mount(path, app, name)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """The path of the route called ``name``, with ``path_params`` filled in."""
        for route in self.router.routes:
            if isinstance(route, Mount):
                with contextlib.suppress(NoMatchFound):
                    return route.url_path_for(name, **path_params)
            elif route.name == name:
                template = route.template
                if template is not None and set(path_params) == set(template.param_names):
                    return URLPath(template.format(**path_params), protocol="http")
        raise NoMatchFound(name, path_params)

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document of this app, built once from the routes' plans."""
        if self.openapi_schema is None:
            from hinted.openapi.utils import get_openapi

            self.openapi_schema = get_openapi(
                title=self.title,
                version=self.version,
                openapi_version=self.openapi_version,
                summary=self.summary,
                description=self.description,
                terms_of_service=self.terms_of_service,
                contact=self.contact,
                license_info=self.license_info,
                routes=self.routes,
                webhooks=self.webhooks.routes,
                tags=self.openapi_tags,
                servers=self.servers,
                separate_input_output_schemas=self.separate_input_output_schemas,
                problem_details=self.problem_details,
                default_response_class=self.default_response_class,
                plans=self._route_plans,
            )
        return self.openapi_schema

    def asyncapi(self) -> dict[str, Any]:
        """The AsyncAPI 3.0 document of the WebSocket routes and ``asyncapi_channels``."""
        if self.asyncapi_schema is None:
            from hinted.asyncapi.generator import get_asyncapi

            self.asyncapi_schema = get_asyncapi(
                title=self.title,
                version=self.version,
                description=self.description,
                routes=self.routes,
                channels=self.asyncapi_channels,
            )
        return self.asyncapi_schema

    # -- building -----------------------------------------------------------------------

    def _endpoint(self, route: APIRoute | APIWebSocketRoute) -> Endpoint:
        plan = build_plan(
            route.endpoint,
            path_params=route.path_params,
            dependencies=route.dependencies,
            overrides=self._overrides,
            signature=route.signature,
        )
        if isinstance(route, APIRoute) and not self._overrides:
            self._route_plans[route] = plan
        if isinstance(route, APIWebSocketRoute):
            socket = WebSocketEndpoint(self, plan, ResponseEncoder(None), 200, Response, False)
            socket.limits = self.limits  # header and message limits of handshakes and frames
            return socket
        response_class = route.response_class
        if isinstance(response_class, DefaultPlaceholder):
            response_class = response_class.value or self.default_response_class
        encoder = ResponseEncoder(
            route.response_model,
            include=route.response_model_include,
            exclude=route.response_model_exclude,
            by_alias=route.response_model_by_alias,
            exclude_unset=route.response_model_exclude_unset,
            exclude_defaults=route.response_model_exclude_defaults,
            exclude_none=route.response_model_exclude_none,
        )
        status_code = route.status_code or getattr(response_class, "status_code", None) or 200
        fast = response_class in _FAST_JSON_CLASSES
        endpoint = Endpoint(self, plan, encoder, status_code, response_class, fast)
        endpoint.limits = route.limits or self.limits
        if plan.endpoint.kind in (CallKind.STREAM, CallKind.SYNC_STREAM):
            item_type = stream_item_type(route.signature.return_annotation)
            endpoint.set_stream(streamer(response_class, item_type))
        return endpoint

    def build(self) -> None:
        """Compile routes into plans and the dispatcher; done at startup or first request."""
        self._stale = False
        self._dispatcher = Dispatcher(
            self, self.router.routes, self._endpoint, self.router.redirect_slashes
        )
        self._router_only = None if self.user_middleware else self._dispatcher
        if self._stack is None:
            app: ASGIApp = self._dispatch
            if self.user_middleware:
                # Endpoints answer their own errors; this catches the middleware's.
                app = _MiddlewareErrors(app, self)
                for entry in reversed(self.user_middleware):
                    app = entry.cls(app, *entry.args, **entry.kwargs)
                app = _MiddlewareErrors(app, self)
            self._stack = app

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._stale:
            self.build()
        dispatcher = self._dispatcher
        assert dispatcher is not None
        await dispatcher(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self
        query = scope.get("query_string")
        if query and not query.isascii():
            scope["query_string"] = _utf8_query(query)
        if self.root_path and not scope.get("root_path") and "path" in scope:
            _apply_root_path(scope, self.root_path)
        router = self._router_only
        kind = scope["type"]
        if router is not None and (kind == "http" or kind == "websocket"):
            # No middleware and the routes as built: straight to the endpoint.
            handler = router.route(scope)
            self._in_flight += 1
            try:
                await handler(scope, receive, send)
            finally:
                self._in_flight -= 1
            return
        if kind == "lifespan":
            await self._lifespan_protocol(scope, receive, send)
            return
        if self._stack is None:
            self.build()
        stack = self._stack
        assert stack is not None
        self._in_flight += 1
        try:
            await stack(scope, receive, send)
        finally:
            self._in_flight -= 1

    # -- exceptions ---------------------------------------------------------------------

    def _lookup_handler(self, exc: Exception) -> ExceptionHandler | None:
        handlers_ = self.exception_handlers
        if isinstance(exc, StarletteHTTPException) and exc.status_code in handlers_:
            return handlers_[exc.status_code]
        for cls in type(exc).__mro__:
            if cls in handlers_:
                return handlers_[cls]
        return None

    async def handle_exception(
        self, exc: Exception, scope: Scope, receive: Receive, send: Send, connection: Any
    ) -> None:
        """Answer ``exc`` with its registered handler, or with a 500 and re-raise it.

        An exception raised after the response started cannot be answered: it is
        re-raised for the server to log.
        """
        if answered_via(exc, send):
            raise exc
        if isinstance(exc, LimitExceeded):
            self.limit_hits[exc.limit] += 1
        if isinstance(exc, ClientDisconnect) and ClientDisconnect not in self.exception_handlers:
            return  # the client left mid-request: nobody to answer, nothing went wrong here
        if scope["type"] == "websocket" and isinstance(exc, WebSocketException):
            websocket = connection or WebSocket(scope, receive, send)
            await websocket.close(code=exc.code, reason=exc.reason or "")
            return
        handler = self._lookup_handler(exc)
        if handler is None or handler is self.exception_handlers.get(Exception):
            if scope["type"] == "http":
                await self.answer_server_error(exc, scope, receive, send)
            raise exc
        if handler is handlers.request_validation_exception_handler and scope["type"] == "http":
            # The common 422, sent without building a Request and a Response.
            assert isinstance(exc, RequestValidationError)
            body = b'{"detail":' + errors_to_json(exc.errors()) + b"}"
            await _send_json(send, 422, body, scope)
            return
        if connection is None:
            connection = (
                Request(scope, receive, send)
                if scope["type"] == "http"
                else WebSocket(scope, receive, send)
            )
        try:
            response = handler(connection, exc)
            if inspect.isawaitable(response):
                response = await response
        except Exception as failure:
            # A handler that fails is a server error like any other: a JSON 500.
            if scope["type"] == "http":
                await self.answer_server_error(failure, scope, receive, send)
            raise
        if response is not None:
            await response(scope, receive, send)

    async def answer_server_error(
        self, exc: Exception, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Send a 500 for ``exc``: the app's 500 handler, or JSON that gives nothing away.

        With ``debug=True`` the JSON carries the traceback.
        """
        mark_started(exc, send)
        handler = self.exception_handlers.get(500) or self.exception_handlers.get(Exception)
        if handler is not None:
            response = handler(Request(scope, receive, send), exc)
            if is_awaitable(response):
                response = await response
            await response(scope, receive, send)
            return
        if self.debug:
            body = errors_to_json(
                {
                    "detail": "Internal Server Error",
                    "error": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exception(exc),
                }
            )
            content_type = b"application/json"
        else:
            body, content_type = handlers.internal_error_body(self.problem_details)
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 500, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    # -- lifespan -----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _lifespan_context(self) -> AsyncGenerator[Any, None]:
        for hook in self._on_startup:
            result = hook()
            if inspect.isawaitable(result):
                await result
        if self._lifespan is not None:
            async with self._lifespan(self) as state:
                yield state
        else:
            yield None
        for hook in self._on_shutdown:
            result = hook()
            if inspect.isawaitable(result):
                await result

    drain_timeout: float = 5.0
    """Seconds the lifespan shutdown waits for requests still running (see ``_drain``)."""

    async def _drain(self) -> None:
        """Let the requests still running end before the lifespan shutdown.

        Servers send the shutdown once their connections are closed, but a request
        the server cancelled (past uvicorn's graceful timeout) may still be running its
        cleanup, such as a database rollback, which must not find the engine disposed.
        """
        with anyio.move_on_after(self.drain_timeout):
            while self._in_flight:
                await anyio.sleep(0.01)

    async def _lifespan_protocol(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False
        await receive()
        try:
            async with self._lifespan_context() as state:
                if state is not None:
                    scope["state"].update(state)
                self.build()
                await send({"type": "lifespan.startup.complete"})
                started = True
                await receive()
                await self._drain()
        except BaseException:
            text = traceback.format_exc()
            kind = "lifespan.shutdown.failed" if started else "lifespan.startup.failed"
            await send({"type": kind, "message": text})
            raise
        await send({"type": "lifespan.shutdown.complete"})


def _apply_root_path(scope: Scope, root_path: str) -> None:
    """Serve under ``App(root_path=)`` as under ``uvicorn --root-path``.

    Servers send ``root_path: ""`` when they were given none. The app's prefix then
    goes into ``root_path`` and in front of ``path`` (which, as ASGI servers send it,
    includes the root path), unless the proxy left it there: routing, mounts and
    ``url_for`` all see one consistent scope.
    """
    root_path = root_path.rstrip("/")
    scope["root_path"] = root_path
    path: str = scope["path"]
    if path != root_path and not path.startswith(root_path + "/"):
        scope["path"] = root_path + path
        raw_path = scope.get("raw_path")
        if raw_path is not None:
            scope["raw_path"] = root_path.encode("latin-1") + raw_path


def _utf8_query(query: bytes) -> bytes:
    """``query`` with every byte that is not part of valid UTF-8 percent-escaped.

    Starlette decodes the query string as UTF-8 to build ``request.url``; raw bytes
    from a lenient server would make every use of the URL fail with a 500.
    """
    try:
        query.decode()
    except UnicodeDecodeError:
        text = query.decode("utf-8", "surrogateescape")
        return "".join(
            f"%{ord(char) - 0xDC00:02X}" if "\udc80" <= char <= "\udcff" else char for char in text
        ).encode()
    return query


async def _send_json(send: Send, status: int, body: bytes, scope: Scope) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


class _MiddlewareErrors:
    """Answers, with a 500, an exception that user middleware raised before responding."""

    def __init__(self, app: ASGIApp, owner: App) -> None:
        self.app = app
        self.owner = owner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        handover: ResponseHandover | None = scope.get(HANDOVER_KEY)
        if handover is not None and handover.send is send:
            handover.send = tracking_send  # this guard only watches: hand over through it
        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if not started:
                await self.owner.answer_server_error(exc, scope, receive, send)
            raise


__all__ = ["App", "AppType"]
