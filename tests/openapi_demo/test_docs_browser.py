"""The demo's docs pages in headless Chromium, against the demo served by uvicorn.

Every request the browser makes is recorded; any not addressed to the demo on
127.0.0.1 is aborted and fails the test. Needs Debian's ``/usr/bin/chromium`` and the
vendored docs assets (``python -m hinted._assets``); Playwright drives the system
browser, it downloads nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from hinted._assets import assets_present
from tests._live import CHROMIUM, CHROMIUM_ARGS
from tests.openapi_demo.conftest import Demo

TIMEOUT_MS = 30_000

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
    pytest.mark.skipif(not assets_present(), reason="run `python -m hinted._assets` first"),
    pytest.mark.timeout(180),
]

DEMO_OPERATIONS = {
    ("POST", "/messages"),
    ("GET", "/messages"),
    ("GET", "/messages/{message_id}"),
    ("DELETE", "/messages/{message_id}"),
    ("GET", "/health"),
}


@dataclass
class Traffic:
    """Every URL the page asked for, and those that were not for the demo (aborted)."""

    origin: str
    requests: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def check(self) -> None:
        assert self.requests, "the page made no request at all"
        assert not self.left, f"requests left 127.0.0.1: {self.left}"
        assert not self.errors, f"errors in the page: {self.errors}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, demo: Demo) -> Iterator[tuple[Any, Traffic]]:
    """A fresh page (own context) whose every request is recorded; foreign ones aborted."""
    context = browser.new_context()
    traffic = Traffic(origin=demo.base_url)

    def route(route: Any) -> None:
        url = route.request.url
        traffic.requests.append(url)
        if traffic.is_local(url):
            route.continue_()
        else:
            traffic.left.append(url)
            route.abort()

    context.route("**/*", route)
    # Requests that bypass routing (a service worker's, say) are still seen here.
    context.on(
        "request",
        lambda request: None if traffic.is_local(request.url) else traffic.left.append(request.url),
    )
    new_page = context.new_page()
    new_page.on(
        "console",
        lambda message: traffic.errors.append(message.text) if message.type == "error" else None,
    )
    new_page.on("pageerror", lambda error: traffic.errors.append(str(error)))
    yield new_page, traffic
    context.close()


def _text(value: str) -> str:
    return value.replace("\u200b", "").strip()


def test_swagger_ui_lists_the_demo_operations(page: tuple[Any, Traffic], demo: Demo) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{demo.base_url}/docs")
    browser_page.wait_for_selector(".opblock", timeout=TIMEOUT_MS)
    blocks = browser_page.locator(".opblock")
    shown = {
        (
            _text(blocks.nth(i).locator(".opblock-summary-method").inner_text()),
            _text(blocks.nth(i).locator(".opblock-summary-path").inner_text()),
        )
        for i in range(blocks.count())
    }
    assert shown >= DEMO_OPERATIONS
    tags = [_text(t) for t in browser_page.locator(".opblock-tag").all_inner_texts()]
    assert any(t.startswith("messages") and "Send and read chat messages." in t for t in tags)
    assert any(t.startswith("admin") for t in tags)
    summaries = browser_page.locator(".opblock-summary-description").all_inner_texts()
    assert {"Send a message", "Delete a message"} <= {_text(s) for s in summaries}
    # The API key scheme puts an "Authorize" button on the page.
    assert browser_page.get_by_role("button", name=re.compile("Authorize")).count() >= 1
    traffic.check()
    assert any(urlsplit(url).path == "/openapi.json" for url in traffic.requests)


def test_swagger_ui_try_it_out_posts_a_message(page: tuple[Any, Traffic], demo: Demo) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{demo.base_url}/docs")
    operation = browser_page.locator(".opblock-post").filter(
        has=browser_page.locator(".opblock-summary-path", has_text=re.compile(r"^/messages$"))
    )
    operation.locator(".opblock-summary").click()
    operation.locator(".opblock-body").wait_for(timeout=TIMEOUT_MS)
    try_it_out = operation.get_by_role("button", name="Try it out")
    if try_it_out.count():  # hinted turns try-it-out on by default; a user may not have
        try_it_out.click()
    body = operation.locator("textarea.body-param__text")
    body.wait_for(timeout=TIMEOUT_MS)
    entry = {"message": "Sent from Swagger UI", "recipient": "Browser", "author": "Chromium"}
    body.fill(json.dumps(entry))
    operation.get_by_role("button", name="Execute").click()

    status = operation.locator(".live-responses-table .response .response-col_status").first
    status.wait_for(timeout=TIMEOUT_MS)
    assert _text(status.inner_text()) == "201"
    shown = operation.locator(".live-responses-table .response-col_description pre").first
    stored = json.loads(shown.inner_text())
    assert {key: stored[key] for key in entry} == entry
    assert stored["version"] == "3.1"
    assert isinstance(stored["id"], int)
    traffic.check()
    posts = [url for url in traffic.requests if urlsplit(url).path == "/messages"]
    assert posts, traffic.requests
    # The message really is stored.
    fetched = httpx.get(f"{demo.base_url}/messages/{stored['id']}", timeout=10)
    assert fetched.json() == stored


def test_redoc_renders_chat_entry_with_its_field_descriptions(
    page: tuple[Any, Traffic], demo: Demo
) -> None:
    browser_page, traffic = page
    browser_page.goto(f"{demo.base_url}/redoc")
    browser_page.get_by_role("heading", name="Send a message").wait_for(timeout=TIMEOUT_MS)
    browser_page.wait_for_load_state("networkidle")
    content = browser_page.locator(".api-content").inner_text()
    assert "Chat" in content
    for description in (
        "Protocol version",
        "Message body",
        "Receiver of message",
        "Sender of message",
        "Unix timestamp; the server fills in the time of receipt when omitted",
    ):
        assert description in content, description
    menu = browser_page.locator(".menu-content").inner_text()
    assert "messages" in menu and "admin" in menu
    traffic.check()
