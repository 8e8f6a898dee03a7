"""GraphiQL in a real browser: headless Chromium against a real uvicorn server.

Every HTTP request the page makes is recorded and anything not addressed to the
server on 127.0.0.1 is aborted and fails the test; WebSocket connections (GraphiQL's
subscriptions) must go to 127.0.0.1 too. Needs Debian's ``/usr/bin/chromium`` and the
vendored assets (``python -m hinted._assets``); Playwright drives the system browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from hinted import App
from hinted._assets import assets_present
from hinted.channels import Channels
from hinted.graphql import GraphQL
from hinted.testclient import TestClient
from tests._live import CHROMIUM, CHROMIUM_ARGS, serve
from tests.graphql.schemas import graphene_schema

sync_api = pytest.importorskip("playwright.sync_api")
needs_assets = pytest.mark.skipif(
    not assets_present(), reason="run `python -m hinted._assets` first"
)


def in_browser(test: Callable[..., None]) -> Callable[..., None]:
    """Mark a test that drives Chromium: skipped without it or the assets."""
    for mark in (
        pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
        needs_assets,
        pytest.mark.timeout(180),
    ):
        test = mark(test)
    return test


def graphiql_app() -> App:
    channels = Channels()
    app = App(lifespan=channels.lifespan)
    app.mount("/graphql", GraphQL(graphene_schema, channels=channels))
    return app


def test_the_page_references_only_its_own_assets() -> None:
    with TestClient(graphiql_app()) as client:
        page = client.get("/graphql", headers={"accept": "text/html"}).text
        urls = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert sorted(urls) == [
            "/graphql/_graphiql/graphiql/graphiql.min.css",
            "/graphql/_graphiql/graphiql/graphiql.min.js",
            "/graphql/_graphiql/react-dom/react-dom.production.min.js",
            "/graphql/_graphiql/react/react.production.min.js",
        ]
        assert "://" not in page  # no absolute URL anywhere in the page
        if assets_present():
            for url in urls:
                assert client.get(url).status_code == 200, url
        # Nothing else of the vendored folder is served from here.
        assert client.get("/graphql/_graphiql/redoc/redoc.standalone.js").status_code == 404
        assert client.get("/graphql/_graphiql/../assets.json").status_code == 404


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """A uvicorn server in a thread, stopped after the module's tests."""
    with serve(graphiql_app()) as url:
        yield url


@dataclass
class Traffic:
    """What a page did: every URL it requested, what was blocked, what went wrong."""

    requests: list[str] = field(default_factory=list)
    sockets: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.requests, "the page made no request at all"
        assert not self.blocked, f"requests left 127.0.0.1: {self.blocked}"
        off_host = [url for url in self.sockets if urlsplit(url).hostname != "127.0.0.1"]
        assert not off_host, f"WebSockets left 127.0.0.1: {off_host}"
        assert not self.errors, f"errors in the page: {self.errors}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[tuple[Any, Traffic]]:
    context = browser.new_context()
    traffic = Traffic()

    def route(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or f"{parts.scheme}://{parts.netloc}" == base_url:
            route.continue_()
        else:
            traffic.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    new_page = context.new_page()
    new_page.on("request", lambda request: traffic.requests.append(request.url))
    new_page.on("websocket", lambda socket: traffic.sockets.append(socket.url))
    new_page.on(
        "console",
        lambda message: traffic.errors.append(message.text) if message.type == "error" else None,
    )
    new_page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    yield new_page, traffic
    context.close()


def _run_query(browser_page: Any, document: str) -> Any:
    """Type ``document`` into the editor, run it, and return the response pane."""
    editor = browser_page.locator(".graphiql-query-editor .CodeMirror").first
    editor.wait_for(timeout=30_000)
    editor.click()
    browser_page.keyboard.press("Control+A")
    browser_page.keyboard.press("Delete")
    browser_page.keyboard.insert_text(document)
    browser_page.locator(".graphiql-execute-button").click()
    return browser_page.locator(".graphiql-response .CodeMirror-code").first


@in_browser
def test_graphiql_renders_and_runs_a_typed_query(page: tuple[Any, Traffic], base_url: str) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{base_url}/graphql")
    response = _run_query(browser_page, '{ hello(name: "browser") items(limit: 2) { name } }')
    sync_api.expect(response).to_contain_text('"hello": "Hello, browser!"', timeout=30_000)
    sync_api.expect(response).to_contain_text('"name": "item 0.2"')
    traffic.check()
    assert any("/graphql/_graphiql/graphiql/graphiql.min.js" in url for url in traffic.requests)


@in_browser
def test_graphiql_docs_come_from_introspection(page: tuple[Any, Traffic], base_url: str) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{base_url}/graphql")
    browser_page.get_by_role("button", name=re.compile("documentation", re.I)).first.click()
    explorer = browser_page.locator(".graphiql-doc-explorer")
    sync_api.expect(explorer).to_contain_text("Query", timeout=30_000)
    explorer.get_by_text("Query", exact=True).first.click()
    sync_api.expect(explorer).to_contain_text("items")
    traffic.check()


@in_browser
def test_graphiql_runs_a_subscription_over_websocket(
    page: tuple[Any, Traffic], base_url: str
) -> None:
    browser_page, traffic = page
    # Opened from a link that carries the document (GraphiQL picks the transport from
    # the parsed document; typing and running at once can outpace its parser).
    browser_page.goto(f"{base_url}/graphql?query=subscription%20%7B%20count(to%3A%203)%20%7D")
    editor = browser_page.locator(".graphiql-query-editor .CodeMirror").first
    sync_api.expect(editor).to_contain_text("count(to: 3)", timeout=30_000)
    browser_page.locator(".graphiql-execute-button").click()
    response = browser_page.locator(".graphiql-response .CodeMirror-code").first
    sync_api.expect(response).to_contain_text('"count": 3', timeout=30_000)
    traffic.check()
    assert traffic.sockets and traffic.sockets[0].startswith("ws://127.0.0.1:")
