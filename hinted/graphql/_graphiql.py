"""The GraphiQL page, with its scripts and styles served by the GraphQL app itself.

The assets are GraphiQL 4.1.2's UMD build and React/ReactDOM 18.3.1, pinned in
``hinted/docs/assets.json`` and fetched by the same build step as Swagger UI and
ReDoc (``python -m hinted._assets``). GraphiQL 5 ships only ES modules; 4.1.2 is the
last release with a UMD build (a script defining a ``GraphiQL`` global), which needs
React and ReactDOM as globals, and React 18.3.1 is the last React with UMD builds.
THIRD_PARTY.md records the versions and licences.

The page loads nothing from another host: the assets live under the app's own
mount (``<mount>/_graphiql/<package>/<file>``); GraphiQL's fonts are inlined in its
CSS. The GraphQL endpoint and the WebSocket URL for subscriptions are derived from
the page's own address, so the page works behind any prefix.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from hinted._assets import VENDOR_DIR

ASSET_PREFIX = "/_graphiql"
"""Where, under the GraphQL app's mount, the GraphiQL assets are served."""

GRAPHIQL_ASSETS: frozenset[tuple[str, str]] = frozenset(
    {
        ("graphiql", "graphiql.min.js"),
        ("graphiql", "graphiql.min.css"),
        ("react", "react.production.min.js"),
        ("react-dom", "react-dom.production.min.js"),
    }
)
"""The (npm package, file) pairs the page needs, out of ``hinted/docs/assets.json``."""

DEFAULT_QUERY = """\
# Welcome to GraphiQL.
#
# Type a query here; Ctrl-Enter runs it. The Docs button shows the schema.
#
# {
#   __typename
# }
"""


def asset_file(package: str, file: str) -> Path | None:
    """The vendored file for a GraphiQL asset URL, or ``None`` if it is not one."""
    if (package, file) not in GRAPHIQL_ASSETS:
        return None
    return VENDOR_DIR / package / file


def _script_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def graphiql_html(
    *,
    endpoint: str,
    title: str = "GraphiQL",
    subscriptions: bool = True,
    default_query: str = DEFAULT_QUERY,
) -> str:
    """The GraphiQL page for the GraphQL endpoint at path ``endpoint``.

    ``endpoint`` is the mount's path (``request.scope["root_path"]``); the assets
    are under it. A ``?query=...`` (and ``variables``, ``operationName``) in the
    page's URL opens in the editor.
    """
    base = endpoint.rstrip("/")
    assets = f"{base}{ASSET_PREFIX}"
    config = {
        "endpoint": base or "/",
        "subscriptions": subscriptions,
        "defaultQuery": default_query,
    }

    def url(package: str, file: str) -> str:
        return html.escape(f"{assets}/{package}/{file}", quote=True)

    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{url("graphiql", "graphiql.min.css")}">
<style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="{url("react", "react.production.min.js")}"></script>
<script src="{url("react-dom", "react-dom.production.min.js")}"></script>
<script src="{url("graphiql", "graphiql.min.js")}"></script>
<script>
const config = {_script_json(config)};
const endpoint = new URL(config.endpoint, window.location.href);
const socket = new URL(endpoint.href);
socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";
const fetcher = GraphiQL.createFetcher({{
  url: endpoint.href,
  subscriptionUrl: config.subscriptions ? socket.href : undefined,
}});
const search = new URLSearchParams(window.location.search);
const props = {{ fetcher, defaultQuery: config.defaultQuery }};
if (search.has("query")) props.query = search.get("query");
if (search.has("variables")) props.variables = search.get("variables");
if (search.has("operationName")) props.operationName = search.get("operationName");
ReactDOM.createRoot(document.getElementById("graphiql"))
  .render(React.createElement(GraphiQL, props));
</script>
</body>
</html>
"""


__all__ = ["ASSET_PREFIX", "DEFAULT_QUERY", "GRAPHIQL_ASSETS", "asset_file", "graphiql_html"]
