"""Dispatch: the innermost ASGI app of an App, built from its routes at startup.

One dictionary lookup finds a static route; the segment tree finds the others
(:mod:`hinted.routing.compiler`). Unknown paths answer 404, known paths with an
unknown method 405 with an ``Allow`` header, both as JSON through the app's
exception handlers; ``redirect_slashes`` retries with the trailing slash toggled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_from_bytes

from starlette._utils import get_route_path
from starlette.responses import RedirectResponse
from starlette.routing import Mount
from starlette.websockets import WebSocketClose

from hinted._execution import call_marking_start
from hinted.exceptions import HTTPException
from hinted.routing.compiler import CompiledRouter, compile_routes
from hinted.routing.routes import APIRoute, APIWebSocketRoute, RawRoute
from hinted.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from hinted.app import App
    from hinted.routing.router import BaseRoute

Handler = Callable[[Scope, Receive, Send], Any]
_QUERY_SAFE = "!$&'()*+,;=:@/?%"  # what RFC 3986 allows in a query, escapes kept


class Dispatcher:
    """Finds the endpoint for a request and calls it."""

    def __init__(
        self,
        app: App,
        routes: list[BaseRoute],
        make_endpoint: Callable[[APIRoute | APIWebSocketRoute], Handler],
        redirect_slashes: bool,
    ) -> None:
        self.app = app
        self.redirect_slashes = redirect_slashes
        http: list[tuple[str, list[str], Handler]] = []
        websocket: list[tuple[str, list[str], Handler]] = []
        mounts: list[tuple[str, Mount]] = []
        for route in routes:
            if isinstance(route, APIRoute):
                methods = set(route.methods)
                if "GET" in methods:
                    methods.add("HEAD")
                http.append((route.path, sorted(methods), make_endpoint(route)))
            elif isinstance(route, APIWebSocketRoute):
                websocket.append((route.path, ["WEBSOCKET"], make_endpoint(route)))
            elif isinstance(route, RawRoute):
                methods = set(route.methods)
                if "GET" in methods:
                    methods.add("HEAD")
                http.append((route.path, sorted(methods), self._guarded(route.app)))
            else:
                mounts.append((route.path, route))
        self.http: CompiledRouter[Handler, Mount] = compile_routes(http, mounts)
        self.websocket: CompiledRouter[Handler, Mount] = compile_routes(websocket, mounts)
        self._static_http = self.http.static
        # Static WebSocket paths -> endpoint: their only method is "WEBSOCKET".
        self._static_websocket: dict[str, Handler] = {
            path: by_method["WEBSOCKET"]
            for path, by_method in self.websocket.static.items()
            if "WEBSOCKET" in by_method
        }

    def _guarded(self, app: ASGIApp) -> Handler:
        """Wrap a foreign ASGI app so that its errors reach the app's exception handlers."""

        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            try:
                await call_marking_start(app, scope, receive, send)
            except Exception as exc:
                await self.app.handle_exception(exc, scope, receive, send, None)

        return guarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self.answer_http(scope, receive, send)
        elif kind == "websocket":
            await self._websocket(scope, receive, send)

    def find_http(self, scope: Scope) -> Handler | None:
        """The endpoint of an HTTP request's route, its path parameters set in ``scope``.

        ``None`` when no route takes the request: :meth:`answer_http` then finds the
        mount, the redirect, or the 404 or 405.
        """
        path = get_route_path(scope) if scope.get("root_path") else scope["path"]
        by_method = self._static_http.get(path)
        if by_method is not None:
            endpoint = by_method.get(scope["method"])
            if endpoint is not None:
                scope["path_params"] = {}
                return endpoint
        match = self.http.match(path, scope["method"])
        if match is not None and match.endpoint is not None:
            scope["path_params"] = match.path_params
            return match.endpoint
        return None

    def route(self, scope: Scope) -> Handler:
        """What answers an HTTP request or a WebSocket: its route's endpoint (path
        parameters set in ``scope``), else the answer for what no route takes."""
        if scope["type"] == "http":
            endpoint = self.find_http(scope)
            return self.answer_unrouted if endpoint is None else endpoint
        endpoint = self.find_websocket(scope)
        return self.answer_unrouted_websocket if endpoint is None else endpoint

    async def answer_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request: its route, a mount, a redirect, 404 or 405."""
        await self.route(scope)(scope, receive, send)

    async def answer_unrouted(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer an HTTP request no route takes: a mount, a redirect, 404 or 405."""
        path = get_route_path(scope) if scope.get("root_path") else scope["path"]
        match = self.http.match(path, scope["method"])
        if match is None:
            mounted = self.http.match_mount(path)
            if mounted is not None:
                await self._mounted(mounted, scope, receive, send)
                return
            if self.redirect_slashes and path != "/" and self._redirect(scope, path):
                await self._send_redirect(scope, receive, send, path)
                return
            error = HTTPException(404, "Not Found")
        else:
            error = HTTPException(405, "Method Not Allowed", {"Allow": ", ".join(match.allowed)})
        await self.app.handle_exception(error, scope, receive, send, None)

    def _redirect(self, scope: Scope, path: str) -> bool:
        other = path[:-1] if path.endswith("/") else path + "/"
        return self.http.match(other, scope["method"]) is not None

    async def _send_redirect(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        from starlette.datastructures import URL

        # Starlette decodes the query string as UTF-8; any other bytes go escaped.
        query = quote_from_bytes(scope.get("query_string", b""), safe=_QUERY_SAFE).encode()
        url = URL(scope={**scope, "query_string": query})
        new_path = url.path[:-1] if url.path.endswith("/") else url.path + "/"
        response = RedirectResponse(url=str(url.replace(path=new_path)))
        await response(scope, receive, send)

    async def _mounted(self, mounted: Any, scope: Scope, receive: Receive, send: Send) -> None:
        root_path = scope.get("root_path", "")
        # As under Starlette's Router: url_for inside a mounted app resolves names
        # against the outermost app, so its URLs carry the mount's prefix.
        scope.setdefault("router", self.app)
        path_params = dict(scope.get("path_params", {}))
        path_params.update(getattr(mounted, "path_params", {}) or {})
        scope.update(
            {
                "path_params": path_params,
                "app_root_path": scope.get("app_root_path", root_path),
                "root_path": root_path + mounted.matched_prefix,
                "endpoint": mounted.mount.app,
            }
        )
        await self._guarded(mounted.mount.app)(scope, receive, send)

    def find_websocket(self, scope: Scope) -> Handler | None:
        """The endpoint of a WebSocket's route, its path parameters set in ``scope``.

        ``None`` when no route takes it: :meth:`answer_unrouted_websocket` then finds
        the mount, or closes the connection.
        """
        path = get_route_path(scope) if scope.get("root_path") else scope["path"]
        endpoint = self._static_websocket.get(path)
        if endpoint is not None:
            scope["path_params"] = {}
            return endpoint
        match = self.websocket.match(path, "WEBSOCKET")
        if match is not None and match.endpoint is not None:
            scope["path_params"] = match.path_params
            return match.endpoint
        return None

    async def answer_unrouted_websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a WebSocket no route takes: a mount's, or closed before accept."""
        path = get_route_path(scope) if scope.get("root_path") else scope["path"]
        mounted = self.websocket.match_mount(path)
        if mounted is not None:
            await self._mounted(mounted, scope, receive, send)
            return
        await WebSocketClose()(scope, receive, send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.route(scope)(scope, receive, send)


__all__ = ["Dispatcher"]
