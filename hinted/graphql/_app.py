"""``GraphQL``: the ASGI app serving one schema over HTTP and WebSocket.

One request, from the socket to the resolvers and back:

1. :mod:`hinted.graphql._request` reads the parameters (GET, POST JSON, POST
   ``application/graphql``) or refuses the request (400, 405, 413, 415);
2. :class:`~hinted.graphql._operation.Operations` prepares the operation: parse,
   validate, operation name, variables, depth and cost limits;
3. :class:`~hinted.graphql._context.ContextPlan` resolves the context's hinted
   dependencies, as a route would;
4. the operation runs, in a worker thread when every resolver is sync;
5. the result goes out as JSON; ``yield`` dependencies finish afterwards.

WebSocket connections are handed to :mod:`hinted.graphql._websocket`
(graphql-transport-ws).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graphql import ExecutionResult, GraphQLError, OperationType
from graphql.validation import ASTValidationRule
from starlette.background import BackgroundTasks
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, Response

from hinted import params
from hinted._execution import read_body
from hinted._forms import check_content_length
from hinted.graphql._context import ContextPlan, hinted_app, http_extras, thread_limiter
from hinted.graphql._graphiql import ASSET_PREFIX, asset_file, graphiql_html
from hinted.graphql._operation import (
    Operations,
    Prepared,
    RequestError,
    format_error,
    resolver_exception,
)
from hinted.graphql._request import (
    GRAPHQL_RESPONSE_JSON,
    BadRequest,
    GraphQLParams,
    media_type,
    params_from_body,
    params_from_query_string,
    response_media_type,
    wants_html,
)
from hinted.graphql._schema import as_graphql_schema
from hinted.limits import Limits
from hinted.types import Receive, Scope, Send

if TYPE_CHECKING:
    from hinted.channels import Channels

_DEFAULT_LIMITS = Limits()


class GraphQL:
    """Serve a Graphene 3, Strawberry or graphql-core schema; mount it on an app.

    ```python
    app.mount("/graphql", GraphQL(schema, context={"db": Depends(get_session)}))
    ```

    - ``graphiql``: a browser's GET (``Accept: text/html``) gets GraphiQL.
    - ``introspection=False`` refuses ``__schema`` and ``__type`` (GraphiQL then has no docs).
    - ``max_depth`` / ``max_cost``: refuse deeper or costlier operations before they run
      (:mod:`hinted.graphql._limits` says how they are counted).
    - ``context``: keys resolvers find in ``info.context``; a ``Depends(...)`` value is
      resolved per request through hinted's dependency injection.
    - ``dependencies``: run per request for their effect (an auth check), as on a route.
    - ``context_getter``: a dependency (its own parameters are injected) whose result is
      merged into the context when it is a mapping, or is the context otherwise.
    - ``channels``: the :class:`hinted.channels.Channels` that subscriptions read; it is
      ``info.context["channels"]`` (see :func:`hinted.graphql.channel_stream`).
    - ``root_value``, ``middleware``, ``validation_rules``: passed to graphql-core.
    - ``connection_init_timeout``: seconds a WebSocket may wait before ``connection_init``.
    """

    def __init__(
        self,
        schema: Any,
        *,
        graphiql: bool = True,
        introspection: bool = True,
        max_depth: int | None = None,
        max_cost: int | None = None,
        context: Mapping[str, Any] | None = None,
        dependencies: Sequence[params.Depends] = (),
        context_getter: Callable[..., Any] | None = None,
        channels: Channels | None = None,
        root_value: Any = None,
        middleware: Sequence[Any] | None = None,
        validation_rules: Sequence[type[ASTValidationRule]] = (),
        subscriptions: bool = True,
        connection_init_timeout: float = 3.0,
        title: str = "GraphiQL",
    ) -> None:
        for name, limit in (("max_depth", max_depth), ("max_cost", max_cost)):
            if limit is not None and limit < 1:
                raise ValueError(f"{name} must be at least 1")
        self.schema = as_graphql_schema(schema)
        self.graphiql = graphiql
        self.subscriptions = subscriptions
        self.connection_init_timeout = connection_init_timeout
        self.title = title
        self.channels = channels
        self.operations = Operations(
            self.schema,
            introspection=introspection,
            max_depth=max_depth,
            max_cost=max_cost,
            root_value=root_value,
            middleware=middleware,
            validation_rules=validation_rules,
        )
        extra = dict(context or {})
        if channels is not None:
            extra.setdefault("channels", channels)
        self.context_plan = ContextPlan(extra, dependencies, context_getter)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            from hinted.graphql._websocket import serve_websocket

            await serve_websocket(self, scope, receive, send)
        elif scope["type"] == "lifespan":  # served on its own, not mounted: nothing to start
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    # -- HTTP ---------------------------------------------------------------------------

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        path = _route_path(scope)
        if path.startswith(ASSET_PREFIX + "/"):
            await _asset(path[len(ASSET_PREFIX) + 1 :], request)(scope, receive, send)
            return
        if path not in ("", "/"):
            await _errors_response(404, "Not Found")(scope, receive, send)
            return
        method = request.method
        if method not in ("GET", "POST"):
            answer = _errors_response(405, f"Method {method} is not allowed; use GET or POST.")
            answer.headers["allow"] = "GET, POST"
            await answer(scope, receive, send)
            return
        if method == "GET" and self.graphiql and wants_html(request.headers):
            page = graphiql_html(
                endpoint=scope.get("root_path", ""),
                title=self.title,
                subscriptions=self.subscriptions,
            )
            await HTMLResponse(page)(scope, receive, send)
            return
        try:
            graphql_params = await _read_params(request)
        except BadRequest as exc:
            answer = _errors_response(exc.status, exc.message)
            answer.headers.update(exc.headers)
            await answer(scope, receive, send)
            return
        except HTTPException as exc:  # a body over the size limit
            await _errors_response(exc.status_code, str(exc.detail))(scope, receive, send)
            return
        except ClientDisconnect:
            return
        await self._answer(graphql_params, request, scope, receive, send)

    async def _answer(
        self,
        graphql_params: GraphQLParams,
        request: Request,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        response_type = response_media_type(request.headers)
        try:
            prepared = self.operations.prepare(graphql_params)
            _check_method(prepared, request.method)
        except RequestError as exc:
            # application/json answers 200 whatever the GraphQL errors (the spec's rule
            # for older clients); application/graphql-response+json answers 400.
            status = 400 if response_type == GRAPHQL_RESPONSE_JSON else 200
            body = {"errors": [format_error(error) for error in exc.errors]}
            await _json(body, status, response_type)(scope, receive, send)
            return
        except BadRequest as exc:
            answer = _errors_response(exc.status, exc.message)
            answer.headers.update(exc.headers)
            await answer(scope, receive, send)
            return
        await self._execute(prepared, request, response_type, scope, receive, send)

    async def _execute(
        self,
        prepared: Prepared,
        request: Request,
        response_type: str,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        plan = self.context_plan
        extras = http_extras()
        context = plan.base(request, **extras)
        state = plan.start(scope, receive, send, request)
        error: Exception | None = None
        try:
            try:
                context_value = await plan.resolve(context, state)
            except Exception as exc:
                error = exc
                await _dependency_failed(exc, request, scope, receive, send)
                return
            limiter = thread_limiter(scope)
            result = await self.operations.execute(prepared, context_value, limiter)
            # A resolver that raised reaches the yield dependencies as a handler's
            # exception would (a session dependency rolls back), though GraphQL answered it.
            error = resolver_exception(result)
            if state.exits:
                await state.close_function_scoped(error)
            answer = _json(_result_body(result), 200, response_type)
            _merge(answer, extras["response"], extras["background"])
            await answer(scope, receive, send)
        except Exception as exc:
            error = exc
            raise
        finally:
            if state.exits:
                await state.close(error)


def _route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


async def _read_params(request: Request) -> GraphQLParams:
    if request.method == "GET":
        return params_from_query_string(request.query_params)
    app = hinted_app(request.scope)
    limits = app.limits if app is not None else _DEFAULT_LIMITS
    check_content_length(request.scope, limits.max_body_size)
    body = await read_body(request.receive, limits.max_body_size)
    # Dependencies calling request.body() see it too; Starlette has no public setter for
    # the body it caches.
    request._body = body  # pyright: ignore[reportPrivateUsage]
    return params_from_body(media_type(request.headers), body, request.query_params)


def _check_method(prepared: Prepared, method: str) -> None:
    kind = prepared.kind
    if kind is OperationType.SUBSCRIPTION:
        raise RequestError(
            [GraphQLError("Subscriptions are served over WebSocket (graphql-transport-ws).")]
        )
    if kind is OperationType.MUTATION and method == "GET":
        raise BadRequest(405, "Mutations are not allowed over GET; use POST.", {"allow": "POST"})


def _result_body(result: ExecutionResult) -> dict[str, Any]:
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [format_error(error) for error in result.errors]
    if result.extensions:
        body["extensions"] = result.extensions
    return body


def _json(body: Any, status: int, content_type: str) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(content, status, media_type=content_type)


def _errors_response(status: int, message: str) -> Response:
    return _json({"errors": [{"message": message}]}, status, "application/json")


def _merge(answer: Response, sub: Response, background: BackgroundTasks) -> None:
    """Copy headers (cookies too) a resolver set on ``info.context["response"]``."""
    for name, value in sub.raw_headers:
        if name not in (b"content-length", b"content-type"):
            answer.raw_headers.append((name, value))
    if background.tasks:
        answer.background = background


def _asset(name: str, request: Request) -> Response:
    package, _, file = name.partition("/")
    path = asset_file(package, file)
    if path is None:
        return _errors_response(404, "Not Found")
    if not path.is_file():
        return _errors_response(
            404, "The GraphiQL assets are missing: run `python -m hinted._assets`."
        )
    if request.method not in ("GET", "HEAD"):
        return _errors_response(405, "Method not allowed")
    return FileResponse(path, headers={"cache-control": "public, max-age=86400"})


async def _dependency_failed(
    exc: Exception, request: Request, scope: Scope, receive: Receive, send: Send
) -> None:
    """Answer a failed context dependency as a route would: through the app's handlers."""
    app = hinted_app(scope)
    if app is not None:
        await app.handle_exception(exc, scope, receive, send, request)
        return
    if isinstance(exc, HTTPException):
        answer = _json({"detail": exc.detail}, exc.status_code, "application/json")
        answer.headers.update(exc.headers or {})
        await answer(scope, receive, send)
        return
    raise exc


__all__ = ["GraphQL"]
