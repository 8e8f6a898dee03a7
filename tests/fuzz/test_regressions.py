"""Bugs the fuzzers found, each pinned by the request that showed it."""

from __future__ import annotations

from hinted import App
from tests.core._asgi import raw_request


def test_slash_redirect_with_a_non_utf8_query_string() -> None:
    # Was: UnicodeDecodeError from Starlette's URL, escaping the app (no answer).
    app = App()

    @app.get("/messages")
    async def messages() -> list[str]:
        return []

    response = raw_request(app, "GET", "/messages/", query_string=b"a=\x80&b=%ff c")
    assert response.status == 307
    assert response.header(b"location") == b"http://testserver/messages?a=%80&b=%ff%20c"
