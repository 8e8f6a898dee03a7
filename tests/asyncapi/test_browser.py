"""The AsyncAPI page in a real browser: headless Chromium against a real uvicorn server.

Every request the page makes is recorded; one not addressed to the server on
127.0.0.1 is aborted and fails the test. Needs Debian's ``/usr/bin/chromium`` and the
vendored assets (``python -m hinted._assets``); Playwright drives the system browser,
it downloads none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from hinted._assets import assets_present
from tests._live import CHROMIUM, CHROMIUM_ARGS, serve
from tests.asyncapi.test_document import make_app

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.skipif(not assets_present(), reason="run `python -m hinted._assets` first"),
    pytest.mark.timeout(180),
]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(make_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_the_page_shows_every_operation_and_stays_on_the_app(browser: Any, base_url: str) -> None:
    origin = f"{urlsplit(base_url).scheme}://{urlsplit(base_url).netloc}"
    requests: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if (
            parts.scheme in ("data", "blob", "about")
            or f"{parts.scheme}://{parts.netloc}" == origin
        ):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context = browser.new_context()
    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base_url}/asyncapi")

        document = make_app().asyncapi()
        for key, operation in document["operations"].items():
            element = page.locator(f'[id="operation-{operation["action"]}-{key}"]')
            element.wait_for(timeout=30_000)
            assert element.is_visible(), key
        assert page.locator("#operations").is_visible()
        text = page.locator("#asyncapi").inner_text().replace("\xa0", " ")
        assert "Rooms 2.0.0" in text
        for address in (
            "/ws/rooms/{room}",
            "/ws/paint/{color}",
            "/v1/echo/{number}",
            "room:{room}",
        ):
            assert address in text
        for message in ("ChatEntry", "Joined", "Left", "ErrorFrame"):
            assert message in text
        assert "ws://127.0.0.1:" in text  # the server the document was fetched from
        page.wait_for_load_state("networkidle")
    finally:
        context.close()

    assert not blocked, f"requests left 127.0.0.1: {blocked}"
    assert not errors, f"errors in the page: {errors}"
    assert all(url.startswith(origin) for url in requests)
    assert f"{base_url}/asyncapi.json" in requests
    assert any("/_hinted/static/@asyncapi/react-component/" in url for url in requests)
