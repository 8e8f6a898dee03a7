"""Swagger UI and ReDoc pages, served from the app's own pinned copies of their assets.

The builders take the same arguments as ``fastapi.openapi.docs``; the difference is
where the defaults point. Every asset URL is a path on the app itself, under
``DOCS_STATIC_PREFIX``, where ``App`` mounts ``docs_static_app()`` (the folder that
``hinted._assets`` fills from ``hinted/docs/assets.json``). No page loads anything from
another host unless asked to (``with_google_fonts=True``).

User-provided values reach the page only escaped: the title and URLs in HTML through
``html.escape``; the OpenAPI URL, Swagger UI parameters and OAuth settings as JSON that
cannot close the ``<script>`` element it sits in.

    from hinted.openapi.docs import get_swagger_ui_html

    page = get_swagger_ui_html(openapi_url="/openapi.json", title="Shop API - Swagger UI")
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

from hinted._assets import VENDOR_DIR

__all__ = [
    "DOCS_STATIC_PREFIX",
    "docs_asset_url",
    "docs_static_app",
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
    "swagger_ui_default_parameters",
]

DOCS_STATIC_PREFIX = "/_hinted/static"
"""Where ``App`` mounts ``docs_static_app()``; the default asset URLs live under it."""


def docs_asset_url(package: str, file: str, *, prefix: str = DOCS_STATIC_PREFIX) -> str:
    """The URL of a vendored asset under ``prefix`` (for an app behind a ``root_path``).

    >>> docs_asset_url("redoc", "redoc.standalone.js", prefix="/api/_hinted/static")
    '/api/_hinted/static/redoc/redoc.standalone.js'
    """
    return f"{prefix.rstrip('/')}/{package}/{file}"


def docs_static_app(directory: Path | None = None) -> StaticFiles:
    """An ASGI app serving the vendored docs assets, to mount at ``DOCS_STATIC_PREFIX``.

    The folder is checked on the first request, not here, so an app whose assets were
    never fetched still starts; ``hinted._assets.assets_present()`` tells ahead of time.
    """
    return StaticFiles(directory=directory or VENDOR_DIR, check_dir=False)


SWAGGER_JS_URL = docs_asset_url("swagger-ui-dist", "swagger-ui-bundle.js")
SWAGGER_CSS_URL = docs_asset_url("swagger-ui-dist", "swagger-ui.css")
SWAGGER_FAVICON_URL = docs_asset_url("swagger-ui-dist", "favicon-32x32.png")
SWAGGER_OAUTH2_REDIRECT_JS_URL = docs_asset_url("swagger-ui-dist", "oauth2-redirect.js")
REDOC_JS_URL = docs_asset_url("redoc", "redoc.standalone.js")
# ReDoc ships no icon; the Swagger UI one is local and better than a request to nowhere.
REDOC_FAVICON_URL = SWAGGER_FAVICON_URL
GOOGLE_FONTS_URL = (
    "https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700"
)

swagger_ui_default_parameters: Mapping[str, Any] = MappingProxyType(
    {
        # FastAPI's defaults, so existing `swagger_ui_parameters` behave the same...
        "dom_id": "#swagger-ui",
        "layout": "BaseLayout",
        "deepLinking": True,
        "showExtensions": True,
        "showCommonExtensions": True,
        # ...plus "Try it out" opened by default, and no spec upload to the public
        # validator that Swagger UI would otherwise call.
        "tryItOutEnabled": True,
        "validatorUrl": None,
    }
)
"""Swagger UI settings every page starts from; ``swagger_ui_parameters`` override them."""


def _script_json(value: Any) -> str:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--`` or U+2028 can break out."""
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def get_swagger_ui_html(
    *,
    openapi_url: str,
    title: str,
    swagger_js_url: str = SWAGGER_JS_URL,
    swagger_css_url: str = SWAGGER_CSS_URL,
    swagger_favicon_url: str = SWAGGER_FAVICON_URL,
    oauth2_redirect_url: str | None = None,
    init_oauth: Mapping[str, Any] | None = None,
    swagger_ui_parameters: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    """The Swagger UI page for the OpenAPI document at ``openapi_url``.

    ``swagger_ui_parameters`` is merged over ``swagger_ui_default_parameters`` and given
    to ``SwaggerUIBundle`` as JSON; ``init_oauth`` goes to ``ui.initOAuth``. An
    ``oauth2_redirect_url`` is resolved against the page's own location.
    """
    config = {"url": openapi_url, **swagger_ui_default_parameters, **(swagger_ui_parameters or {})}
    script = [f"const config = {_script_json(config)};"]
    if oauth2_redirect_url:
        script.append(
            "config.oauth2RedirectUrl = "
            f"new URL({_script_json(oauth2_redirect_url)}, window.location.href).href;"
        )
    script += [
        "config.presets = [",
        "  SwaggerUIBundle.presets.apis,",
        "  SwaggerUIBundle.SwaggerUIStandalonePreset,",
        "];",
        "const ui = SwaggerUIBundle(config);",
    ]
    if init_oauth:
        script.append(f"ui.initOAuth({_script_json(init_oauth)});")
    script.append("window.ui = ui;")
    body = "\n".join(script)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" type="text/css" href="{_attr(swagger_css_url)}">
<link rel="icon" href="{_attr(swagger_favicon_url)}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{_attr(swagger_js_url)}"></script>
<script>
{body}
</script>
</body>
</html>
"""
    return HTMLResponse(page)


def get_redoc_html(
    *,
    openapi_url: str,
    title: str,
    redoc_js_url: str = REDOC_JS_URL,
    redoc_favicon_url: str | None = REDOC_FAVICON_URL,
    with_google_fonts: bool = False,
) -> HTMLResponse:
    """The ReDoc page for the OpenAPI document at ``openapi_url``.

    ``with_google_fonts=True`` adds ReDoc's usual fonts from Google, the one request to
    another host these pages can make; without it ReDoc falls back to system fonts.
    """
    fonts = ""
    if with_google_fonts:
        fonts = f'<link rel="stylesheet" href="{_attr(GOOGLE_FONTS_URL)}">\n'
    icon = ""
    if redoc_favicon_url:
        icon = f'<link rel="icon" href="{_attr(redoc_favicon_url)}">\n'
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
{fonts}{icon}<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<noscript>ReDoc needs JavaScript to show this documentation.</noscript>
<redoc spec-url="{_attr(openapi_url)}"></redoc>
<script src="{_attr(redoc_js_url)}"></script>
</body>
</html>
"""
    return HTMLResponse(page)


def get_swagger_ui_oauth2_redirect_html(
    *, oauth2_redirect_js_url: str = SWAGGER_OAUTH2_REDIRECT_JS_URL
) -> HTMLResponse:
    """The page an OAuth2 provider redirects to; it hands the result back to Swagger UI.

    The script is Swagger UI's own ``oauth2-redirect.js``, from the pinned assets.
    """
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Swagger UI: OAuth2 Redirect</title>
</head>
<body>
<script src="{_attr(oauth2_redirect_js_url)}"></script>
</body>
</html>
"""
    return HTMLResponse(page)
