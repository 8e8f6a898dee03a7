"""The resolver context: the connection, and values of hinted dependencies.

``GraphQL(schema, context={"db": Depends(get_session), "user": Depends(current_user)})``
resolves those dependencies for every request exactly as a route would: through the
app's dependency plans (sub-dependencies, caching, ``app.dependency_overrides``,
sync dependencies in the thread pool), and with ``yield`` dependencies finished after
the response has been sent. A resolver then reads ``info.context["db"]`` (or
``info.context.db``).

The plan is built once per app (and again when its overrides change); a request
only executes it. A dependency that raises, say ``HTTPException(401)``, is answered
by the app's exception handlers, the same response a route would send.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import anyio
from starlette.background import BackgroundTasks
from starlette.responses import Response

from hinted import params
from hinted._encoding import ResponseEncoder
from hinted._execution import Endpoint, RequestContext
from hinted._narrowing import is_mapping
from hinted._plan import Step, build_plan
from hinted._signature import SpecialKind
from hinted.concurrency import INLINE_MARKER
from hinted.exceptions import HintedError
from hinted.types import Receive, Scope, Send

if TYPE_CHECKING:
    from hinted.app import App

_GETTER = "context_getter"


class Context(dict[str, Any]):
    """What resolvers get as ``info.context``: a dict whose keys are also attributes.

    Over HTTP it holds ``request`` (the :class:`~starlette.requests.Request`),
    ``response`` (headers and cookies set on it are sent with the answer) and
    ``background`` (tasks run after the answer), then the dependency values. In a
    subscription it holds ``request`` and ``websocket`` (the same WebSocket) and
    ``connection_params`` (the ``connection_init`` payload).
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class _NoApp:
    """Stands in for a hinted ``App`` when the GraphQL app is served on its own."""

    def thread_limiter(self) -> None:
        return None


def hinted_app(scope: Scope) -> App | None:
    """The hinted ``App`` serving this request, if the GraphQL app is mounted on one."""
    from hinted.app import App

    app = scope.get("app")
    return app if isinstance(app, App) else None


def thread_limiter(scope: Scope) -> anyio.CapacityLimiter | None:
    """The app's limiter of sync code (``App(thread_pool_size=...)``), or anyio's default."""
    app = hinted_app(scope)
    return app.thread_limiter() if app is not None else None


class _ConnectionContext(RequestContext):
    """A request context whose ``Request`` is the connection given (a WebSocket too)."""

    __slots__ = ()

    def special(self, kind: SpecialKind, step: Step) -> Any:
        if kind in (SpecialKind.WEBSOCKET, SpecialKind.CONNECTION):
            return self.get_request()
        return super().special(kind, step)


class ContextPlan:
    """The context's dependencies, as one plan executed per request."""

    def __init__(
        self,
        values: Mapping[str, Any] | None,
        dependencies: Sequence[params.Depends],
        context_getter: Callable[..., Any] | None,
    ) -> None:
        values = dict(values or {})
        self.constants = {k: v for k, v in values.items() if not isinstance(v, params.Depends)}
        self.markers = {k: v for k, v in values.items() if isinstance(v, params.Depends)}
        self.dependencies = list(dependencies)
        self.context_getter = context_getter
        self.call = self._collector()
        self._endpoints: dict[tuple[int, int], Endpoint] = {}

    @property
    def empty(self) -> bool:
        """True when there is nothing to resolve per request."""
        return not (self.markers or self.dependencies or self.context_getter)

    def _collector(self) -> Callable[..., dict[str, Any]]:
        # One keyword parameter per dependency, named by position: context keys need not
        # be identifiers. The plan calls it on the loop (it only gathers its arguments).
        keys = list(self.markers)
        parameters = [
            inspect.Parameter(f"p{index}", inspect.Parameter.KEYWORD_ONLY, default=marker)
            for index, marker in enumerate(self.markers.values())
        ]
        if self.context_getter is not None:
            parameters.append(
                inspect.Parameter(
                    _GETTER,
                    inspect.Parameter.KEYWORD_ONLY,
                    default=params.Depends(self.context_getter),
                )
            )

        def collect(**resolved: Any) -> dict[str, Any]:
            values = {key: resolved[f"p{index}"] for index, key in enumerate(keys)}
            if _GETTER in resolved:
                values[_GETTER] = resolved[_GETTER]
            return values

        collect.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        setattr(collect, INLINE_MARKER, True)
        return collect

    def endpoint(self, app: App | None) -> Endpoint:
        """The executable plan for ``app`` (``None`` outside a hinted ``App``)."""
        overrides = app.dependency_overrides if app is not None else None
        key = (id(app), getattr(overrides, "version", 0))
        endpoint = self._endpoints.get(key)
        if endpoint is None:
            plan = build_plan(
                self.call,
                path_params=frozenset(),
                dependencies=self.dependencies,
                overrides=overrides,
            )
            if plan.body is not None or plan.form is not None:
                raise HintedError(
                    "A GraphQL context dependency cannot read the request body: the body "
                    "is the GraphQL request"
                )
            owner = app if app is not None else cast("App", _NoApp())
            endpoint = Endpoint(owner, plan, ResponseEncoder(None), 200, Response, False)
            self._endpoints = {key: endpoint}  # a new override set replaces the old plan
        return endpoint

    def base(self, connection: Any, **extra: Any) -> Context:
        """The context before dependencies: the connection, extras and constant values."""
        context = Context(request=connection, **extra)
        context.update(self.constants)
        return context

    def start(self, scope: Scope, receive: Receive, send: Send, connection: Any) -> RequestContext:
        """The per-request state that holds the ``yield`` dependencies until cleanup."""
        state = _ConnectionContext(scope, receive, send)
        state.request = connection
        return state

    async def resolve(self, context: Context, state: RequestContext) -> Any:
        """Run the plan; return the context resolvers will see (``context`` extended)."""
        if self.empty:
            return context
        endpoint = self.endpoint(hinted_app(state.scope))
        plan = endpoint.plan
        values = await endpoint.read_values(state.scope, state.receive, state)
        results: list[Any] = []
        for step in plan.steps:
            results.append(await endpoint.run_step(step, values, results, state))
        resolved: dict[str, Any] = await endpoint.run_step(plan.endpoint, values, results, state)
        getter_value = resolved.pop(_GETTER, None)
        context.update(resolved)
        if self.context_getter is None or getter_value is None:
            return context
        if is_mapping(getter_value):
            context.update(getter_value)
            return context
        return getter_value


def http_extras() -> dict[str, Any]:
    """The per-request objects a resolver may use over HTTP, besides the request."""
    response = Response()
    del response.headers["content-length"]
    return {"response": response, "background": BackgroundTasks()}


__all__ = ["Context", "ContextPlan", "hinted_app", "http_extras", "thread_limiter"]
