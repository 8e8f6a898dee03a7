"""Registers an app's documentation routes: the OpenAPI document and the docs UIs.

Every URL is configurable on the App (``openapi_url``, ``docs_url``, ``redoc_url``,
``swagger_ui_oauth2_redirect_url``); ``openapi_url=None`` turns all of them off.
The UIs' assets are served by the app itself, from the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from hinted.responses import JSONResponse

if TYPE_CHECKING:
    from hinted.app import App


def setup_docs(app: App) -> None:
    """Add the documentation routes to ``app`` (hidden from its own OpenAPI document)."""
    if not app.openapi_url:
        return
    from hinted.openapi.docs import DOCS_STATIC_PREFIX, docs_static_app

    openapi_url = app.openapi_url

    async def openapi(request: Request) -> Response:
        return JSONResponse(document_for(app, root_path_of(app, request)))

    app.add_route(openapi_url, openapi, include_in_schema=False, name="openapi")
    if app.docs_url or app.redoc_url:
        app.mount(DOCS_STATIC_PREFIX, docs_static_app(), name="hinted-static")
    if app.docs_url:
        _add_swagger_ui(app, openapi_url, app.docs_url)
    if app.redoc_url:
        redoc_url = app.redoc_url

        async def redoc(request: Request) -> HTMLResponse:
            from hinted.openapi.docs import docs_asset_url, get_redoc_html

            root = root_path_of(app, request)
            prefix = root + DOCS_STATIC_PREFIX
            return get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=docs_asset_url("redoc", "redoc.standalone.js", prefix=prefix),
                redoc_favicon_url=docs_asset_url(
                    "swagger-ui-dist", "favicon-32x32.png", prefix=prefix
                ),
            )

        app.add_route(redoc_url, redoc, include_in_schema=False, name="redoc")


def root_path_of(app: App, request: Request) -> str:
    """The prefix the app is served under: the server's ``root_path``, else the app's."""
    root_path = str(request.scope.get("root_path") or app.root_path or "")
    return root_path.rstrip("/")


def document_for(app: App, root_path: str) -> dict[str, Any]:
    """``app.openapi()``, with ``root_path`` as the first server when it is not listed.

    The app may be reached behind several prefixes, so the cached document is left as
    it is and the server list is added to a copy (``root_path_in_servers=False`` skips it).
    """
    document = app.openapi()
    if not root_path or not app.root_path_in_servers:
        return document
    servers: list[dict[str, Any]] = list(document.get("servers") or [])
    if any(server.get("url") == root_path for server in servers):
        return document
    result: dict[str, Any] = {}
    for key, value in document.items():
        if key == "servers":
            continue
        result[key] = value
        if key == "info":
            result["servers"] = [{"url": root_path}, *servers]
    return result


def _add_swagger_ui(app: App, openapi_url: str, docs_url: str) -> None:
    from hinted.openapi.docs import DOCS_STATIC_PREFIX

    oauth2_url = app.swagger_ui_oauth2_redirect_url

    async def swagger_ui(request: Request) -> HTMLResponse:
        from hinted.openapi.docs import docs_asset_url, get_swagger_ui_html

        root = root_path_of(app, request)
        prefix = root + DOCS_STATIC_PREFIX
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=docs_asset_url("swagger-ui-dist", "swagger-ui-bundle.js", prefix=prefix),
            swagger_css_url=docs_asset_url("swagger-ui-dist", "swagger-ui.css", prefix=prefix),
            swagger_favicon_url=docs_asset_url(
                "swagger-ui-dist", "favicon-32x32.png", prefix=prefix
            ),
            oauth2_redirect_url=root + oauth2_url if oauth2_url else None,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    app.add_route(docs_url, swagger_ui, include_in_schema=False, name="swagger_ui")
    if oauth2_url:

        async def oauth2_redirect(request: Request) -> HTMLResponse:
            from hinted.openapi.docs import docs_asset_url, get_swagger_ui_oauth2_redirect_html

            prefix = root_path_of(app, request) + DOCS_STATIC_PREFIX
            script = docs_asset_url("swagger-ui-dist", "oauth2-redirect.js", prefix=prefix)
            return get_swagger_ui_oauth2_redirect_html(oauth2_redirect_js_url=script)

        app.add_route(oauth2_url, oauth2_redirect, include_in_schema=False, name="oauth2_redirect")


__all__ = ["document_for", "root_path_of", "setup_docs"]
