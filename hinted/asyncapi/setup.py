"""Registers an app's AsyncAPI routes: the document and its page.

``App(asyncapi_url=None)`` turns both off, ``asyncapi_docs_url=None`` only the page.
Both are hidden from the OpenAPI document. The document names the server it was
fetched from (host and ``ws``/``wss``), so the page shows where to connect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount

from hinted.openapi.setup import root_path_of
from hinted.responses import JSONResponse

if TYPE_CHECKING:
    from hinted.app import App


def setup_asyncapi(app: App) -> None:
    """Add ``/asyncapi.json`` and ``/asyncapi`` (or the app's URLs for them) to ``app``."""
    if not app.asyncapi_url:
        return
    from hinted.openapi.docs import DOCS_STATIC_PREFIX, docs_static_app

    asyncapi_url = app.asyncapi_url

    async def asyncapi(request: Request) -> Response:
        return JSONResponse(document_for(app, request))

    app.add_route(asyncapi_url, asyncapi, include_in_schema=False, name="asyncapi")
    if not app.asyncapi_docs_url:
        return
    if not any(isinstance(r, Mount) and r.path == DOCS_STATIC_PREFIX for r in app.routes):
        app.mount(DOCS_STATIC_PREFIX, docs_static_app(), name="hinted-static")

    async def asyncapi_docs(request: Request) -> HTMLResponse:
        from hinted.asyncapi.docs import ASYNCAPI_PACKAGE, get_asyncapi_html
        from hinted.openapi.docs import docs_asset_url

        root = root_path_of(app, request)
        prefix = root + DOCS_STATIC_PREFIX
        return get_asyncapi_html(
            asyncapi_url=root + asyncapi_url,
            title=f"{app.title} - AsyncAPI",
            asyncapi_js_url=docs_asset_url(
                ASYNCAPI_PACKAGE, "asyncapi-standalone.js", prefix=prefix
            ),
            asyncapi_css_url=docs_asset_url(ASYNCAPI_PACKAGE, "default.min.css", prefix=prefix),
        )

    app.add_route(
        app.asyncapi_docs_url, asyncapi_docs, include_in_schema=False, name="asyncapi_docs"
    )


def document_for(app: App, request: Request) -> dict[str, Any]:
    """``app.asyncapi()`` with the server the request reached, unless it names servers."""
    document = app.asyncapi()
    if "servers" in document or "host" not in request.headers:
        return document
    server: dict[str, Any] = {
        "host": request.headers["host"],
        "protocol": "wss" if request.url.scheme == "https" else "ws",
    }
    root = root_path_of(app, request)
    if root:
        server["pathname"] = root
    result: dict[str, Any] = {}
    for key, value in document.items():
        result[key] = value
        if key == "info":
            result["servers"] = {"app": server}
    return result


__all__ = ["document_for", "setup_asyncapi"]
