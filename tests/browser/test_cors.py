"""CORS in a real browser: a page on one origin calls an API on another with fetch().

Three uvicorn servers on 127.0.0.1: the page's origin, which the API allows; another
page origin, which it does not; the API, behind ``CORSMiddleware``. Chromium applies
the Fetch standard; the tests read what the page's JavaScript got and what reached
the API (every request is logged before CORS sees it, preflights included).
"""

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

from hinted import App, Cookie, Header, Response
from hinted.middleware.cors import CORSMiddleware
from hinted.responses import HTMLResponse
from tests.browser._servers import RequestLog, needs_chromium, serve

pytestmark = [needs_chromium, pytest.mark.timeout(60)]

FETCH = """
async ([url, init]) => {
  try {
    const response = await fetch(url, init);
    const headers = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    return {ok: true, status: response.status, headers, body: await response.json()};
  } catch (error) {
    return {ok: false, error: error.name, message: error.message};
  }
}
"""


class Edit(BaseModel):
    text: str


def api_app(allowed_origin: str) -> App:
    app = App()

    @app.get("/messages")
    def list_messages(response: Response) -> dict[str, list[str]]:
        response.headers["X-Total-Count"] = "2"  # exposed to the page
        response.headers["X-Internal"] = "db-3"  # not exposed
        return {"messages": ["hello", "world"]}

    @app.put("/messages/{message_id}")
    def edit_message(
        message_id: int, edit: Edit, x_chat_token: Annotated[str, Header()]
    ) -> dict[str, Any]:
        return {"id": message_id, "text": edit.text, "token": x_chat_token}

    @app.delete("/messages/{message_id}")
    def delete_message(message_id: int) -> dict[str, int]:
        return {"deleted": message_id}

    @app.get("/me")
    def me(session: Annotated[str | None, Cookie()] = None) -> dict[str, str | None]:
        return {"session": session}

    app.add_middleware(
        CORSMiddleware,
        allow_origins=[allowed_origin],
        allow_methods=["GET", "PUT"],
        allow_headers=["Content-Type", "X-Chat-Token"],
        allow_credentials=True,
        expose_headers=["X-Total-Count"],
        max_age=600,
    )
    return app


def public_api_app() -> App:
    """Any origin may read it, but never with the user's cookies."""
    app = App()

    @app.get("/me")
    def me(session: Annotated[str | None, Cookie()] = None) -> dict[str, str | None]:
        return {"session": session}

    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False)
    return app


def page_app() -> App:
    app = App()

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return "<!doctype html><title>chat</title><p>a page that calls the API</p>"

    return app


@dataclasses.dataclass
class Origins:
    page: str
    other_page: str
    api: str
    api_log: RequestLog
    public_api: str
    public_log: RequestLog


@pytest.fixture(scope="module")
def origins() -> Iterator[Origins]:
    with contextlib.ExitStack() as servers:
        page = servers.enter_context(serve(page_app()))
        other_page = servers.enter_context(serve(page_app()))
        api_log = RequestLog(api_app(allowed_origin=page))
        public_log = RequestLog(public_api_app())
        api = servers.enter_context(serve(api_log))
        public_api = servers.enter_context(serve(public_log))
        yield Origins(page, other_page, api, api_log, public_api, public_log)


@pytest.fixture
def log(origins: Origins) -> RequestLog:
    origins.api_log.seen.clear()
    origins.public_log.seen.clear()
    return origins.api_log


def open_page(context: Any, origin: str) -> Any:
    page = context.new_page()
    page.goto(origin + "/")
    return page


def fetch(page: Any, url: str, **init: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FETCH, [url, init])
    return result


def test_simple_get_from_the_allowed_origin(
    context: Any, origins: Origins, log: RequestLog
) -> None:
    page = open_page(context, origins.page)
    result = fetch(page, origins.api + "/messages")
    assert result["ok"], result
    assert result["status"] == 200
    assert result["body"] == {"messages": ["hello", "world"]}
    # Only safelisted and exposed response headers reach the page.
    assert result["headers"]["x-total-count"] == "2"
    assert "x-internal" not in result["headers"]
    # A simple request goes out at once, with its Origin: no preflight.
    assert log.of("OPTIONS") == []
    [get] = log.of("GET", "/messages")
    assert get.headers["origin"] == origins.page
    assert get.response_headers["access-control-allow-origin"] == origins.page
    assert get.response_headers["access-control-expose-headers"] == "X-Total-Count"
    assert "origin" in get.response_headers["vary"].lower()


def test_simple_get_from_another_origin_is_refused_by_the_browser(
    context: Any, origins: Origins, log: RequestLog
) -> None:
    page = open_page(context, origins.other_page)
    result = fetch(page, origins.api + "/messages")
    assert result == {"ok": False, "error": "TypeError", "message": "Failed to fetch"}
    # The request itself was sent and answered; the browser kept the answer from the page.
    [get] = log.of("GET", "/messages")
    assert get.headers["origin"] == origins.other_page
    assert get.status == 200
    assert "access-control-allow-origin" not in get.response_headers
    assert log.of("OPTIONS") == []


def test_preflighted_put_with_a_custom_header_and_json(
    context: Any, origins: Origins, log: RequestLog
) -> None:
    page = open_page(context, origins.page)
    init = {
        "method": "PUT",
        "headers": {"Content-Type": "application/json", "X-Chat-Token": "t-42"},
        "body": '{"text": "edited"}',
    }
    first = fetch(page, origins.api + "/messages/1", **init)
    second = fetch(page, origins.api + "/messages/1", **init)
    expected = {"id": 1, "text": "edited", "token": "t-42"}
    assert first["ok"] and first["status"] == 200 and first["body"] == expected, first
    assert second["ok"] and second["body"] == expected, second

    # One preflight: the second PUT used the browser's preflight cache (max_age).
    [preflight] = log.of("OPTIONS", "/messages/1")
    assert preflight.headers["origin"] == origins.page
    assert preflight.headers["access-control-request-method"] == "PUT"
    assert preflight.headers["access-control-request-headers"] == "content-type,x-chat-token"
    assert preflight.status == 200
    answer = preflight.response_headers
    assert answer["access-control-allow-origin"] == origins.page
    assert "PUT" in answer["access-control-allow-methods"].split(", ")
    allowed_headers = answer["access-control-allow-headers"].lower().split(", ")
    assert {"content-type", "x-chat-token"} <= set(allowed_headers)
    assert answer["access-control-allow-credentials"] == "true"
    assert answer["access-control-max-age"] == "600"

    puts = log.of("PUT", "/messages/1")
    assert len(puts) == 2
    assert all(put.headers["x-chat-token"] == "t-42" for put in puts)
    # The preflight came first.
    assert log.seen.index(preflight) < log.seen.index(puts[0])


def test_a_refused_preflight_keeps_the_request_from_being_sent(
    context: Any, origins: Origins, log: RequestLog
) -> None:
    page = open_page(context, origins.page)
    header_refused = fetch(
        page,
        origins.api + "/messages/1",
        method="PUT",
        headers={"Content-Type": "application/json", "X-Other": "1"},
        body='{"text": "x"}',
    )
    method_refused = fetch(page, origins.api + "/messages/1", method="DELETE")
    for result in (header_refused, method_refused):
        assert result == {"ok": False, "error": "TypeError", "message": "Failed to fetch"}

    preflights = log.of("OPTIONS", "/messages/1")
    assert [p.headers["access-control-request-method"] for p in preflights] == ["PUT", "DELETE"]
    assert [p.status for p in preflights] == [400, 400]
    # Neither request was ever sent.
    assert log.of("PUT") == [] and log.of("DELETE") == []


def test_credentials_mode(context: Any, origins: Origins, log: RequestLog) -> None:
    context.add_cookies([{"name": "session", "value": "s-1", "url": origins.api}])
    page = open_page(context, origins.page)

    with_cookies = fetch(page, origins.api + "/me", credentials="include")
    assert with_cookies["ok"] and with_cookies["body"] == {"session": "s-1"}, with_cookies
    # The default mode, "same-origin", sends no cookie to another origin.
    without = fetch(page, origins.api + "/me")
    assert without["ok"] and without["body"] == {"session": None}, without

    credentialed, anonymous = log.of("GET", "/me")
    assert credentialed.headers["cookie"] == "session=s-1"
    assert credentialed.response_headers["access-control-allow-credentials"] == "true"
    assert credentialed.response_headers["access-control-allow-origin"] == origins.page
    assert "cookie" not in anonymous.headers


def test_credentials_are_refused_without_allow_credentials(
    context: Any, origins: Origins, log: RequestLog
) -> None:
    context.add_cookies([{"name": "session", "value": "s-1", "url": origins.public_api}])
    page = open_page(context, origins.other_page)

    anonymous = fetch(page, origins.public_api + "/me", credentials="omit")
    assert anonymous["ok"] and anonymous["body"] == {"session": None}, anonymous
    credentialed = fetch(page, origins.public_api + "/me", credentials="include")
    assert credentialed == {"ok": False, "error": "TypeError", "message": "Failed to fetch"}

    first, second = origins.public_log.of("GET", "/me")
    assert first.response_headers["access-control-allow-origin"] == "*"
    # The cookie went out, but without Access-Control-Allow-Credentials the page
    # never sees the answer.
    assert second.headers["cookie"] == "session=s-1"
    assert "access-control-allow-credentials" not in second.response_headers
