"""The Swagger UI and ReDoc pages: local assets only, escaping, parameters."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.testclient import TestClient

from hinted._assets import asset_path, assets_present
from hinted.openapi.docs import (
    DOCS_STATIC_PREFIX,
    docs_asset_url,
    docs_static_app,
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
    swagger_ui_default_parameters,
)

HOSTILE = "</script><script>alert(1)</script><!--\u2028'\"&"


class Page(HTMLParser):
    """What a browser would load from a page: URLs, title, inline scripts."""

    def __init__(self, response: HTMLResponse) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.title = ""
        self.scripts: list[str] = []
        self._in: str | None = None
        self.text = bytes(response.body).decode()
        self.feed(self.text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "spec-url") and value is not None:
                self.urls.append(value)
        self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script" and data.strip():
            self.scripts.append(data)

    def swagger_config(self) -> dict[str, Any]:
        (script,) = self.scripts
        line = next(line for line in script.splitlines() if line.startswith("const config = "))
        config: dict[str, Any] = json.loads(line.removeprefix("const config = ").rstrip(";"))
        return config


def local_asset(url: str) -> Path:
    """The vendored file behind a default URL; fails for a URL the lock does not cover."""
    assert url.startswith(DOCS_STATIC_PREFIX + "/"), url
    package, _, file = url.removeprefix(DOCS_STATIC_PREFIX + "/").partition("/")
    return asset_path(package, file)


def swagger(**kwargs: Any) -> Page:
    return Page(get_swagger_ui_html(**{"openapi_url": "/openapi.json", "title": "API", **kwargs}))


def redoc(**kwargs: Any) -> Page:
    return Page(get_redoc_html(**{"openapi_url": "/openapi.json", "title": "API", **kwargs}))


# -- no other host ----------------------------------------------------------------------


def test_swagger_page_loads_only_local_assets() -> None:
    page = swagger()
    assert "://" not in page.text
    assert [url.rsplit("/", 1)[-1] for url in page.urls] == [
        "swagger-ui.css",
        "favicon-32x32.png",
        "swagger-ui-bundle.js",
    ]
    for url in page.urls:
        local_asset(url)


def test_redoc_page_loads_only_local_assets() -> None:
    page = redoc()
    assert "://" not in page.text
    assert page.urls[0].endswith("/favicon-32x32.png")
    assert page.urls[1] == "/openapi.json"
    assert page.urls[2].endswith("/redoc/redoc.standalone.js")
    for url in (page.urls[0], page.urls[2]):
        local_asset(url)


def test_redoc_loads_google_fonts_only_when_asked() -> None:
    assert "fonts.googleapis.com" in redoc(with_google_fonts=True).text
    assert "fonts.googleapis.com" not in redoc().text


def test_oauth2_redirect_page_runs_the_pinned_script() -> None:
    page = Page(get_swagger_ui_oauth2_redirect_html())
    assert "://" not in page.text
    assert page.urls == [docs_asset_url("swagger-ui-dist", "oauth2-redirect.js")]
    assert local_asset(page.urls[0]).name == "oauth2-redirect.js"


def test_asset_urls_follow_a_prefix() -> None:
    url = docs_asset_url("redoc", "redoc.standalone.js", prefix="/api/_hinted/static/")
    assert url == "/api/_hinted/static/redoc/redoc.standalone.js"
    page = swagger(swagger_js_url=docs_asset_url("swagger-ui-dist", "x.js", prefix="/api"))
    assert "/api/swagger-ui-dist/x.js" in page.urls


# -- escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize("build", [swagger, redoc])
def test_title_is_text_not_markup(build: Any) -> None:
    page = build(title=HOSTILE)
    assert page.title == HOSTILE
    assert page.tags.count("script") == (2 if build is swagger else 1)
    assert "alert(1)</script>" not in page.text


def test_swagger_values_cannot_leave_the_script() -> None:
    page = swagger(
        openapi_url=HOSTILE,
        oauth2_redirect_url=HOSTILE,
        init_oauth={"clientId": HOSTILE},
        swagger_ui_parameters={"docExpansion": HOSTILE},
    )
    assert page.tags.count("script") == 2
    assert "</script><script>" not in page.text
    assert "<!--" not in page.text
    config = page.swagger_config()
    assert config["url"] == HOSTILE
    assert config["docExpansion"] == HOSTILE


def test_redoc_spec_url_is_an_escaped_attribute() -> None:
    page = redoc(openapi_url=HOSTILE)
    assert page.urls[1] == HOSTILE
    assert page.tags.count("script") == 1


# -- parameters -------------------------------------------------------------------------


def test_swagger_defaults_match_fastapi_with_try_it_out() -> None:
    config = swagger().swagger_config()
    assert config == {"url": "/openapi.json", **swagger_ui_default_parameters}
    assert config["dom_id"] == "#swagger-ui"
    assert config["layout"] == "BaseLayout"
    assert config["deepLinking"] is True
    assert config["showExtensions"] is True
    assert config["showCommonExtensions"] is True
    assert config["tryItOutEnabled"] is True
    assert config["validatorUrl"] is None


def test_swagger_parameters_override_and_extend_the_defaults() -> None:
    parameters = {"deepLinking": False, "syntaxHighlight": {"theme": "obsidian"}}
    config = swagger(swagger_ui_parameters=parameters).swagger_config()
    assert config["deepLinking"] is False
    assert config["syntaxHighlight"] == {"theme": "obsidian"}
    assert config["layout"] == "BaseLayout"


def test_swagger_oauth_settings() -> None:
    page = swagger(oauth2_redirect_url="/docs/oauth2-redirect", init_oauth={"clientId": "app"})
    (script,) = page.scripts
    assert 'new URL("/docs/oauth2-redirect", window.location.href)' in script
    assert 'ui.initOAuth({"clientId": "app"});' in script
    plain = swagger().scripts[0]
    assert "oauth2RedirectUrl" not in plain
    assert "initOAuth" not in plain


# -- serving the assets -----------------------------------------------------------------


def test_static_app_serves_the_vendored_assets() -> None:
    assert assets_present(), "run `python3 scripts/dev.py assets` first"
    app = Starlette(routes=[Mount(DOCS_STATIC_PREFIX, app=docs_static_app())])
    with TestClient(app) as client:
        for url in [*swagger().urls, redoc().urls[2]]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.content == local_asset(url).read_bytes()
        assert "javascript" in client.get(redoc().urls[2]).headers["content-type"]
        assert client.get(f"{DOCS_STATIC_PREFIX}/../_assets.py").status_code == 404


def test_static_app_builds_without_assets(tmp_path: Path) -> None:
    docs_static_app(tmp_path / "missing")
