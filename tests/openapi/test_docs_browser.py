"""The docs pages in a real browser: headless Chromium against a real uvicorn server.

Every request a page makes is recorded; anything not addressed to the server on
127.0.0.1 is aborted and fails the test, so the pages are proven to work offline.
Needs Debian's ``/usr/bin/chromium`` and the vendored docs assets
(``python -m hinted._assets``); Playwright drives the system browser, no download.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlsplit

import pytest
from pydantic import BaseModel, Field

from hinted import App, Query
from hinted._assets import assets_present
from tests._live import CHROMIUM, CHROMIUM_ARGS, serve

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.skipif(not assets_present(), reason="run `python -m hinted._assets` first"),
    pytest.mark.timeout(180),
]


class Greeting(BaseModel):
    """What the server says back."""

    message: str = Field(description="The greeting itself")
    shout: bool = Field(description="Whether it was shouted")


def docs_app() -> App:
    app = App(
        title="Browser demo",
        openapi_tags=[{"name": "greetings", "description": "Hi"}],
        # hinted turns "Try it out" on by default; off, the test clicks it as a user would.
        swagger_ui_parameters={"tryItOutEnabled": False},
    )

    @app.get("/greet", tags=["greetings"], summary="Greet someone")
    def greet(
        name: Annotated[str, Query(description="Who to greet", max_length=30)],
        shout: bool = False,
    ) -> Greeting:
        """Say hello to ``name``."""
        message = f"Hello, {name}!"
        return Greeting(message=message.upper() if shout else message, shout=shout)

    @app.post("/echo", tags=["greetings"], status_code=201)
    def echo(greeting: Greeting) -> Greeting:
        return greeting

    return app


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """A uvicorn server for the demo app in a thread, stopped after the module's tests."""
    with serve(docs_app(), ws="none") as url:  # the docs need no WebSocket
        yield url


@dataclass
class Traffic:
    """What a page did: every URL it requested, what was blocked, what went wrong."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def check(self, *, known: tuple[str, ...] = ()) -> None:
        """Fail on any request that left 127.0.0.1 (but ``known`` ones) and any error.

        A blocked request shows up as a "Failed to load resource" console error too.
        """
        assert self.requests, "the page made no request at all"
        blocked = [url for url in self.blocked if url not in known]
        assert not blocked, f"requests left 127.0.0.1: {blocked}"
        errors = self.errors
        if known and len(blocked) < len(self.blocked):
            errors = [e for e in errors if not e.startswith("Failed to load resource")]
        assert not errors, f"errors in the page: {errors}"


def _local(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return f"{parts.scheme}://{parts.netloc}" == origin


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[tuple[Any, Traffic]]:
    """A fresh page whose traffic is recorded; requests elsewhere are aborted."""
    context = browser.new_context()
    traffic = Traffic()

    def route(route: Any) -> None:
        url = route.request.url
        if _local(url, base_url):
            route.continue_()
        else:
            traffic.blocked.append(url)
            route.abort()

    context.route("**/*", route)
    new_page = context.new_page()
    new_page.on("request", lambda request: traffic.requests.append(request.url))
    new_page.on(
        "console",
        lambda message: traffic.errors.append(message.text) if message.type == "error" else None,
    )
    new_page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    yield new_page, traffic
    context.close()


def test_swagger_ui_renders_the_operations(page: tuple[Any, Traffic], base_url: str) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{base_url}/docs")
    browser_page.wait_for_selector(".opblock", timeout=30_000)
    summaries = browser_page.locator(".opblock-summary-path").all_inner_texts()
    assert [text.strip().replace("\u200b", "") for text in summaries] == ["/greet", "/echo"]
    assert browser_page.locator(".opblock-tag").first.inner_text().startswith("greetings")
    traffic.check()
    assert any(url.endswith("/openapi.json") for url in traffic.requests)
    assert any("/_hinted/static/swagger-ui-dist/" in url for url in traffic.requests)


def test_swagger_ui_try_it_out_shows_the_real_response(
    page: tuple[Any, Traffic], base_url: str
) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{base_url}/docs")
    operation = browser_page.locator(".opblock-get").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator('input[placeholder="name"]').fill("browser")
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre").first
    body.wait_for(timeout=30_000)
    text = body.inner_text()
    assert '"message": "Hello, browser!"' in text
    assert '"shout": false' in text
    status = operation.locator(".live-responses-table .response .response-col_status").first
    assert status.inner_text().strip() == "200"
    traffic.check()
    assert any(url.startswith(f"{base_url}/greet?name=browser") for url in traffic.requests)


REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
"""ReDoc 2.5.4 draws its side-menu logo from its CDN, whatever the page says."""


def test_redoc_renders_the_operations_and_schemas(page: tuple[Any, Traffic], base_url: str) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{base_url}/redoc")
    heading = browser_page.get_by_role("heading", name="Greet someone")
    heading.wait_for(timeout=30_000)
    content = browser_page.locator(".api-content").inner_text()
    assert "Browser demo" in content
    assert "Who to greet" in content
    assert "The greeting itself" in content
    assert "greetings" in browser_page.locator(".menu-content").inner_text()
    traffic.check(known=(REDOC_LOGO,))
    assert any("/_hinted/static/redoc/" in url for url in traffic.requests)


def test_redoc_makes_no_request_beyond_the_app(page: tuple[Any, Traffic], base_url: str) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{base_url}/redoc")
    browser_page.get_by_role("heading", name="Greet someone").wait_for(timeout=30_000)
    browser_page.wait_for_load_state("networkidle")
    traffic.check()


def test_the_oauth2_redirect_page_loads_locally(page: tuple[Any, Traffic], base_url: str) -> None:
    browser_page, traffic = page
    answer = browser_page.goto(f"{base_url}/docs/oauth2-redirect")
    assert answer is not None and answer.status == 200
    assert not traffic.blocked
