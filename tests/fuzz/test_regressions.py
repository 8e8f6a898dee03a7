"""Bugs the fuzzers found, each pinned by the request that showed it."""

from __future__ import annotations

from hinted import App, Request
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


def test_request_url_with_a_non_utf8_query_string() -> None:
    # Was: a 500 from every use of request.url (the AsyncAPI document, url_for...),
    # because Starlette decodes the query string as UTF-8.
    app = App()

    @app.get("/where")
    async def where(request: Request, q: str = "") -> dict[str, str]:
        return {"url": str(request.url), "q": q}

    response = raw_request(app, "GET", "/where", query_string=b"q=caf\xe9&r=\xc3\xa9")
    assert response.status == 200
    assert response.json() == {
        "url": "http://testserver/where?q=caf%E9&r=\xe9",
        "q": "caf\N{REPLACEMENT CHARACTER}",
    }
    response = raw_request(app, "GET", "/asyncapi.json", query_string=b"\xde")
    assert response.status == 200
