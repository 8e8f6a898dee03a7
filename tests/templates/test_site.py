"""A small site beside the API: Jinja2 templates with url_for, and static files.

The page links to its stylesheet and to an API route through ``url_for``; every test
reads the links back out of the HTML and follows them, so a URL that merely looks
right but leads nowhere fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount, NoMatchFound

from hinted import App, Request
from hinted.responses import HTMLResponse
from hinted.staticfiles import StaticFiles
from hinted.templating import Jinja2Templates
from hinted.testclient import TestClient

SITE = Path(__file__).parent / "webroot"
CSS = (SITE / "static" / "app.css").read_text()
templates = Jinja2Templates(directory=SITE / "templates")


def site_app(**options: object) -> App:
    app = App(**options)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=SITE / "static"), name="static")

    @app.get("/messages/{message_id}")
    def read_message(message_id: int) -> dict[str, int]:
        return {"message_id": message_id}

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "index.html", {"title": "Chat"})

    return app


def links(html: str) -> dict[str, str]:
    """The stylesheet and the message link of the page."""
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    message = re.search(r'<a id="first" href="([^"]+)"', html)
    assert css is not None and message is not None, html
    return {"css": css.group(1), "message": message.group(1)}


def follow(client: TestClient, url: str, strip: str = "") -> tuple[int, str]:
    """GET a link from the page; ``strip``: the prefix a proxy removes on the way."""
    path = url.removeprefix("http://testserver").removeprefix(strip)
    response = client.get(path)
    return response.status_code, response.text


def test_the_page_renders_with_urls_that_lead_somewhere() -> None:
    client = TestClient(site_app())
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>Chat</title>" in page.text
    found = links(page.text)
    assert found == {
        "css": "http://testserver/static/app.css",
        "message": "http://testserver/messages/1",
    }
    assert follow(client, found["css"]) == (200, CSS)
    assert follow(client, found["message"]) == (200, '{"message_id":1}')


def test_root_path_from_the_server_prefixes_every_url() -> None:
    # As `uvicorn --root-path /proxy` sends it: the path includes the root path.
    client = TestClient(site_app(), root_path="/proxy")
    found = links(client.get("/proxy/").text)
    assert found == {
        "css": "http://testserver/proxy/static/app.css",
        "message": "http://testserver/proxy/messages/1",
    }
    assert follow(client, found["css"]) == (200, CSS)
    assert follow(client, found["message"]) == (200, '{"message_id":1}')


def test_root_path_of_the_app_prefixes_every_url() -> None:
    # App(root_path=): the server knows nothing of the prefix, the proxy strips it.
    client = TestClient(site_app(root_path="/proxy"))
    found = links(client.get("/").text)
    assert found == {
        "css": "http://testserver/proxy/static/app.css",
        "message": "http://testserver/proxy/messages/1",
    }
    assert follow(client, found["css"], strip="/proxy") == (200, CSS)
    assert follow(client, found["message"], strip="/proxy") == (200, '{"message_id":1}')
    # A proxy that keeps the prefix works as well.
    assert follow(client, found["css"]) == (200, CSS)


def test_urls_inside_a_mounted_app_carry_the_mount_prefix() -> None:
    outer = App()
    outer.mount("/site", site_app())
    client = TestClient(outer)
    found = links(client.get("/site/").text)
    assert found == {
        "css": "http://testserver/site/static/app.css",
        "message": "http://testserver/site/messages/1",
    }
    assert follow(client, found["css"]) == (200, CSS)
    assert follow(client, found["message"]) == (200, '{"message_id":1}')
    assert outer.url_path_for("read_message", message_id=1) == "/site/messages/1"
    assert outer.url_path_for("static", path="/app.css") == "/site/static/app.css"


def test_a_mounted_app_under_a_root_path() -> None:
    outer = App(root_path="/proxy")
    outer.mount("/site", site_app())
    client = TestClient(outer)
    found = links(client.get("/site/").text)
    assert found["css"] == "http://testserver/proxy/site/static/app.css"
    assert found["message"] == "http://testserver/proxy/site/messages/1"
    assert follow(client, found["css"], strip="/proxy") == (200, CSS)
    assert follow(client, found["message"], strip="/proxy") == (200, '{"message_id":1}')


def test_a_named_mount_scopes_its_route_names() -> None:
    outer = App()
    outer.mount("/site", site_app(), name="site")
    assert outer.url_path_for("site:read_message", message_id=7) == "/site/messages/7"
    with pytest.raises(NoMatchFound):
        outer.url_path_for("read_message", message_id=7)


def test_a_hinted_site_mounted_in_starlette() -> None:
    outer = Starlette(routes=[Mount("/site", app=site_app())])
    client = TestClient(outer)
    found = links(client.get("/site/").text)
    assert found["message"] == "http://testserver/site/messages/1"
    assert follow(client, found["message"]) == (200, '{"message_id":1}')
    assert outer.url_path_for("static", path="/app.css") == "/site/static/app.css"


def test_url_path_for_needs_the_right_parameters() -> None:
    app = site_app()
    assert app.url_path_for("read_message", message_id=3) == "/messages/3"
    with pytest.raises(NoMatchFound):
        app.url_path_for("read_message")
    with pytest.raises(NoMatchFound):
        app.url_path_for("read_message", message_id=3, extra=1)
    with pytest.raises(NoMatchFound):
        app.url_path_for("no_such_route")


def test_static_files_found_missing_and_head() -> None:
    client = TestClient(site_app())
    found = client.get("/static/app.css")
    assert found.status_code == 200
    assert found.headers["content-type"] == "text/css; charset=utf-8"
    assert found.text == CSS

    missing = client.get("/static/missing.css")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/json"
    assert missing.json() == {"detail": "Not Found"}

    head = client.head("/static/app.css")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(CSS.encode()))
    assert head.headers["etag"] == found.headers["etag"]


def test_static_files_revalidate_and_stay_in_their_directory() -> None:
    client = TestClient(site_app())
    etag = client.get("/static/app.css").headers["etag"]
    assert client.get("/static/app.css", headers={"If-None-Match": etag}).status_code == 304
    # secret.txt sits beside static/, not in it.
    assert client.get("/static/../secret.txt").status_code == 404
    assert client.get("/static/%2e%2e/secret.txt").status_code == 404
    assert client.post("/static/app.css").status_code == 405
