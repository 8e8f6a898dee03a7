"""Bugs the fuzzers found, each pinned by the request that showed it."""

from __future__ import annotations

from typing import Annotated

from hinted import App, Depends, Request
from hinted.security import HTTPBasic, HTTPBasicCredentials
from tests.core._asgi import raw_request

basic = HTTPBasic()


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


def test_basic_credentials_with_non_ascii_bytes() -> None:
    # Was: ValueError from b64decode on a non-ASCII str, a 500.
    app = App()

    @app.get("/me")
    async def me(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]) -> str:
        return credentials.username

    for value in (b"Basic \x80", b"Basic caf\xe9==", b"Basic \xc3\xa9"):
        response = raw_request(app, "GET", "/me", headers=[(b"authorization", value)])
        assert response.status == 401
        assert response.header(b"www-authenticate") == b"Basic"
