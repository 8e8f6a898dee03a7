"""docs/guide/templates-and-static.md."""

import re

from hinted import App
from hinted.testclient import TestClient
from tests.docs_guide._examples import DOCS_SRC, load

CSS = (DOCS_SRC / "templates_and_static" / "static" / "app.css").read_text()


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_the_page_links_resolve() -> None:
    client = TestClient(load("templates_and_static").app)
    page = client.get("/")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    links = hrefs(page.text)
    assert links == [
        "http://testserver/static/app.css",
        "http://testserver/api/messages/1",
        "http://testserver/api/messages/2",
    ]
    assert client.get(links[0]).text == CSS
    assert client.get(links[1]).json() == {"message_id": 1, "message": "Hello"}


def test_static_files_missing_and_head() -> None:
    client = TestClient(load("templates_and_static").app)
    assert client.get("/static/nope.css").json() == {"detail": "Not Found"}
    head = client.head("/static/app.css")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == "text/css; charset=utf-8"


def test_behind_a_proxy_and_under_a_mount() -> None:
    site = load("templates_and_static").app
    behind_proxy = TestClient(site, root_path="/chat")
    assert hrefs(behind_proxy.get("/chat/").text)[0] == "http://testserver/chat/static/app.css"

    outer = App()
    outer.mount("/site", load("templates_and_static").app)
    client = TestClient(outer)
    links = hrefs(client.get("/site/").text)
    assert links[:2] == [
        "http://testserver/site/static/app.css",
        "http://testserver/site/api/messages/1",
    ]
    assert client.get(links[0]).text == CSS
