"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright, no download).

Test modules skip themselves with ``needs_chromium`` when the browser is missing.
"""

from collections.abc import Iterator
from typing import Any

import pytest

from tests._live import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Per module, not per session: Playwright's sync API keeps an event loop running
    # on this thread while it is open, and other tests need to start their own.
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser profile per test: no cookies or preflight cache carried over."""
    context = browser.new_context()
    try:
        yield context
    finally:
        context.close()
