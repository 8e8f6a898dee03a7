"""The AsyncAPI docs page: AsyncAPI's React component, served by the app itself.

The page loads the standalone bundle and stylesheet of ``@asyncapi/react-component``
from the pinned assets (``hinted/docs/assets.json``, fetched by ``python -m
hinted._assets``) and the document from the app: no other host is contacted.

    page = get_asyncapi_html(asyncapi_url="/asyncapi.json", title="Chat - AsyncAPI")
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from starlette.responses import HTMLResponse

from hinted.openapi.docs import docs_asset_url

ASYNCAPI_PACKAGE = "@asyncapi/react-component"
ASYNCAPI_JS_URL = docs_asset_url(ASYNCAPI_PACKAGE, "asyncapi-standalone.js")
ASYNCAPI_CSS_URL = docs_asset_url(ASYNCAPI_PACKAGE, "default.min.css")

asyncapi_default_config: Mapping[str, Any] = MappingProxyType(
    {"show": {"sidebar": True, "info": True, "operations": True, "messages": True}}
)
"""The component's settings every page starts from; ``config`` is merged over them."""


def _script_json(value: Any) -> str:
    """JSON that cannot close the ``<script>`` element it is written into."""
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def get_asyncapi_html(
    *,
    asyncapi_url: str,
    title: str,
    asyncapi_js_url: str = ASYNCAPI_JS_URL,
    asyncapi_css_url: str = ASYNCAPI_CSS_URL,
    config: Mapping[str, Any] | None = None,
) -> HTMLResponse:
    """The page rendering the AsyncAPI document at ``asyncapi_url``."""
    settings = {**asyncapi_default_config, **(config or {})}
    schema = {"url": asyncapi_url, "options": {"method": "GET", "mode": "same-origin"}}
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{html.escape(asyncapi_css_url, quote=True)}">
</head>
<body>
<noscript>The AsyncAPI page needs JavaScript.</noscript>
<div id="asyncapi"></div>
<script src="{html.escape(asyncapi_js_url, quote=True)}"></script>
<script>
AsyncApiStandalone.render(
  {{schema: {_script_json(schema)}, config: {_script_json(settings)}}},
  document.getElementById("asyncapi")
);
</script>
</body>
</html>
"""
    return HTMLResponse(page)


__all__ = ["ASYNCAPI_CSS_URL", "ASYNCAPI_JS_URL", "asyncapi_default_config", "get_asyncapi_html"]
