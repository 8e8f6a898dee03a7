"""The guide's examples: each docs_src file runs and does what its page says.

Three kinds of checks:

* the pages and the files agree: every ``python`` block in docs/ names a docs_src file
  on the line above it and is that file, byte for byte; every docs_src file is shown
  by some page; relative links lead somewhere; ``json`` blocks are JSON;
* each example, imported the way a reader runs it (its folder on ``sys.path``, plain
  module names, so ``main.py`` may ``import messages``), answers the requests its page
  shows with the status codes and bodies the page shows;
* the example test modules pass under pytest, as a reader would run them.

To show an example on a page, put its path alone on a line, in backticks, then the
file's whole content in a ``python`` block::

    `docs_src/request_body/embed.py`

    ```python
    ...the file, unchanged...
    ```
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hinted.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DOCS_SRC = ROOT / "docs_src"

FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NAMED_FILE = re.compile(r"^`(docs_src/[\w/.-]+\.py)`:?$")
LINK = re.compile(r"\]\(([^)\s]+)\)")


# -- pages and files ----------------------------------------------------------------------


def pages() -> list[Path]:
    return [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]


def example_files() -> list[Path]:
    return sorted(DOCS_SRC.rglob("*.py"))


def fenced_blocks(page: Path) -> Iterator[tuple[str, str, str | None]]:
    """``(language, code, named file or None)`` for every fenced block of ``page``."""
    text = page.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        named = NAMED_FILE.match(before)
        yield match.group(1), match.group(2), named.group(1) if named else None


def test_the_guide_has_its_pages() -> None:
    expected = {
        "index.md",
        *(
            f"tutorial/{name}.md"
            for name in (
                "first-steps",
                "path-and-query",
                "headers-and-cookies",
                "request-body",
                "forms-and-files",
                "validation-errors",
                "responses",
                "dependencies",
                "errors",
                "routers",
                "lifespan-and-state",
                "sync-and-async",
                "testing",
            )
        ),
    }
    assert expected <= {str(page.relative_to(DOCS)) for page in pages() if DOCS in page.parents}


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_python_blocks_are_the_files_they_name(page: Path) -> None:
    for language, code, named in fenced_blocks(page):
        if language != "python":
            continue
        assert named is not None, f"{page.name}: a python block names no docs_src file:\n{code}"
        path = ROOT / named
        assert path.is_file(), f"{page.name} names {named}, which does not exist"
        assert code == path.read_text(encoding="utf-8"), f"{page.name}: block differs from {named}"


def test_every_example_file_is_shown_by_a_page() -> None:
    shown = {named for page in pages() for _, _, named in fenced_blocks(page) if named}
    unused = [str(p.relative_to(ROOT)) for p in example_files()]
    assert sorted(set(unused) - shown) == []


def test_example_modules_do_not_shadow_the_standard_library() -> None:
    # Each folder goes first on sys.path: a file named like a stdlib module would win.
    clashes = [p for p in example_files() if p.stem in sys.stdlib_module_names]
    assert clashes == []


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_to_pages(page: Path) -> None:
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        path = target.split("#", 1)[0]
        assert (page.parent / path).exists(), f"{page.name}: broken link {target}"


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_json_blocks_are_json(page: Path) -> None:
    for language, code, _ in fenced_blocks(page):
        if language == "json":
            json.loads(code)


# -- loading examples as a reader runs them -----------------------------------------------


def load(folder: str, module: str = "main") -> ModuleType:
    """Import ``docs_src/<folder>/<module>.py`` with its folder first on ``sys.path``.

    The folder's modules are imported afresh each time (a new app, empty module-level
    stores) and dropped from ``sys.modules`` afterwards, so folders never see each other.
    """
    directory = DOCS_SRC / folder
    names = {path.stem for path in directory.glob("*.py")}

    def forget() -> None:
        for name in names:
            sys.modules.pop(name, None)

    forget()
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(directory))
        forget()


def client_for(folder: str, module: str = "main", **options: Any) -> TestClient:
    return TestClient(load(folder, module).app, **options)


# -- index --------------------------------------------------------------------------------


def test_index_first_app() -> None:
    client = client_for("index")
    assert client.get("/").json() == {"message": "Hello, world"}
    response = client.get("/messages/3", params={"full": "true"})
    assert response.status_code == 200
    assert response.json() == {"message_id": 3, "full": True}


def test_index_docs_pages_use_local_assets() -> None:
    client = client_for("index")
    for url in ("/docs", "/redoc"):
        page = client.get(url)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "/_hinted/static/" in page.text
        assert "https://" not in page.text and "http://" not in page.text
    assert client.get("/_hinted/static/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200
    document = client.get("/openapi.json").json()
    assert document["info"]["title"] == "Chat"
    assert "/messages/{message_id}" in document["paths"]


# -- first steps --------------------------------------------------------------------------


def test_first_steps_example() -> None:
    client = client_for("first_steps", "example")
    response = client.post("/example/abc", params={"arg": "bleh"}, json={"text": "hi"})
    assert response.status_code == 200
    assert response.json() == {"arg": "bleh", "data": {"text": "hi", "count": 1}, "uid": "abc"}

    response = client.post("/example/abc", json={"text": "hi"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["query", "arg"], "msg": "Field required", "input": None}
        ]
    }


def test_first_steps_handler_is_a_plain_function() -> None:
    module = load("first_steps", "example")
    result = module.handle_example("abc", "bleh", module.MyData(text="hi"))
    assert result == {"arg": "bleh", "data": module.MyData(text="hi", count=1), "uid": "abc"}


# -- path and query -----------------------------------------------------------------------


def test_path_converters() -> None:
    client = client_for("path_and_query", "converters")
    assert client.get("/users/42").json() == {"user_id": 42}
    response = client.get("/users/ada")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "user_id"]
    assert response.json()["detail"][0]["type"] == "int_parsing"

    order = "4b0c2c8e-9a47-4c55-9c9e-1f0c1a7e0b3d"
    assert client.get(f"/orders/{order}").json() == {"order_id": order}
    assert client.get("/orders/not-a-uuid").status_code == 404

    assert client.get("/prices/9.5").json() == {"amount": 9.5}
    assert client.get("/prices/9").json() == {"amount": 9.0}
    assert client.get("/files/photos/2024/cat.png").json() == {"file_path": "photos/2024/cat.png"}


def test_route_priority() -> None:
    client = client_for("path_and_query", "priority")
    assert client.get("/users/me").json() == {"route": "current user"}
    assert client.get("/users/ada").json() == {"route": "one user", "username": "ada"}
    assert client.get("/reports/2024").json() == {"route": "yearly report", "year": 2024}
    assert client.get("/reports/latest").json() == {"route": "report by slug", "slug": "latest"}


def test_query_parameters() -> None:
    client = client_for("path_and_query", "query")
    assert client.get("/rooms/7/messages").json() == {
        "room_id": 7,
        "author": None,
        "unread": False,
        "limit": 20,
        "search": None,
        "tag": [],
        "sort": "newest",
        "format": "full",
    }
    response = client.get(
        "/rooms/7/messages?author=ada&unread=yes&limit=5&tag=urgent&tag=work&sort=oldest"
    )
    assert response.json() == {
        "room_id": 7,
        "author": "ada",
        "unread": True,
        "limit": 5,
        "search": None,
        "tag": ["urgent", "work"],
        "sort": "oldest",
        "format": "full",
    }


def test_query_parameter_errors() -> None:
    client = client_for("path_and_query", "query")
    response = client.get("/rooms/0/messages?limit=500&search=hi&sort=random&format=tiny")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "greater_than_equal",
                "loc": ["path", "room_id"],
                "msg": "Input should be greater than or equal to 1",
                "input": "0",
                "ctx": {"ge": 1},
            },
            {
                "type": "less_than_equal",
                "loc": ["query", "limit"],
                "msg": "Input should be less than or equal to 100",
                "input": "500",
                "ctx": {"le": 100},
            },
            {
                "type": "string_too_short",
                "loc": ["query", "search"],
                "msg": "String should have at least 3 characters",
                "input": "hi",
                "ctx": {"min_length": 3},
            },
            {
                "type": "enum",
                "loc": ["query", "sort"],
                "msg": "Input should be 'newest' or 'oldest'",
                "input": "random",
                "ctx": {"expected": "'newest' or 'oldest'"},
            },
            {
                "type": "literal_error",
                "loc": ["query", "format"],
                "msg": "Input should be 'full' or 'short'",
                "input": "tiny",
                "ctx": {"expected": "'full' or 'short'"},
            },
        ]
    }


# -- headers and cookies ------------------------------------------------------------------


def test_headers_and_cookies() -> None:
    client = client_for("headers_and_cookies", "headers")
    response = client.get(
        "/whoami",
        headers=[
            ("User-Agent", "curl/8.5"),
            ("X-Request-ID", "r-1"),
            ("X-Tag", "a"),
            ("X-Tag", "b"),
            ("Cookie", "session_id=s-42"),
        ],
    )
    assert response.json() == {
        "user_agent": "curl/8.5",
        "x_request_id": "r-1",
        "x_tag": ["a", "b"],
        "session_id": "s-42",
    }


def test_missing_required_header() -> None:
    client = client_for("headers_and_cookies", "headers")
    assert client.get("/private", headers={"X-API-Key": "k"}).json() == {"key_received": True}
    response = client.get("/private")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["header", "x-api-key"],
                "msg": "Field required",
                "input": None,
            }
        ]
    }


# -- request body -------------------------------------------------------------------------


ENTRY = {"message": "Hello", "recipient": "Dave"}


def test_single_model_is_the_whole_body() -> None:
    client = client_for("request_body", "single_model")
    response = client.post("/rooms/7/messages?notify=true", json=ENTRY)
    assert response.status_code == 200
    assert response.json() == {
        "room_id": 7,
        "notify": True,
        "entry": {"message": "Hello", "recipient": "Dave", "author": None},
    }


def test_body_without_content_type_is_json() -> None:
    client = client_for("request_body", "single_model")
    response = client.post("/rooms/7/messages", content=json.dumps(ENTRY).encode())
    assert "content-type" not in response.request.headers
    assert response.status_code == 200
    response = client.post(
        "/rooms/7/messages",
        content=json.dumps(ENTRY).encode(),
        headers={"Content-Type": "application/vnd.chat+json"},
    )
    assert response.status_code == 200


def test_non_json_content_type_is_415() -> None:
    client = client_for("request_body", "single_model")
    response = client.post(
        "/rooms/7/messages", content=b"message=Hello", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json() == {
        "detail": "Unsupported Media Type: send the body as application/json"
    }


def test_several_bodies_are_embedded() -> None:
    client = client_for("request_body", "several_bodies")
    body = {"entry": ENTRY, "sender": {"name": "Ada", "email": "ada@example.com"}, "priority": 5}
    assert client.post("/messages", json=body).json() == body
    response = client.post("/messages", json={"entry": ENTRY})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "sender"], "msg": "Field required", "input": None}
        ]
    }


def test_body_embed() -> None:
    client = client_for("request_body", "embed")
    assert client.post("/messages", json={"entry": ENTRY}).json() == ENTRY
    response = client.post("/messages", json=ENTRY)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "entry"]


def test_other_body_types() -> None:
    client = client_for("request_body", "other_types")
    assert client.post("/points", json={"x": 3, "y": 4}).json() == {"distance": 5.0}
    reaction = {"emoji": "tada", "count": 2}
    assert client.post("/reactions", json=reaction).json() == reaction
    batch = [ENTRY, {"message": "Hi", "recipient": "Ada"}, ENTRY]
    assert client.post("/messages/batch", json=batch).json() == {
        "count": 3,
        "recipients": ["Ada", "Dave"],
    }
    response = client.post("/messages/batch", json=[ENTRY, {"message": "Hi"}])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", 1, "recipient"]


# -- forms and files ----------------------------------------------------------------------


def test_form_fields() -> None:
    client = client_for("forms_and_files", "login")
    response = client.post("/login", data={"username": "ada", "password": "correct horse"})
    assert response.json() == {"username": "ada", "remember": False}
    response = client.post("/login", data={"username": "ada", "password": "short"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]
    assert response.json()["detail"][0]["type"] == "string_too_short"


def test_uploads() -> None:
    client = client_for("forms_and_files", "upload")
    response = client.post(
        "/avatars",
        files={"image": ("cat.png", b"PNG-ish", "image/png")},
        data={"caption": "my cat"},
    )
    assert response.json() == {
        "filename": "cat.png",
        "content_type": "image/png",
        "size": 7,
        "caption": "my cat",
    }
    files = [("files", ("a.txt", b"a", "text/plain")), ("files", ("b.txt", b"b", "text/plain"))]
    assert client.post("/attachments", files=files).json() == {"filenames": ["a.txt", "b.txt"]}
    response = client.post("/checksums", files={"data": ("blob", b"\x01\x02\x03")})
    assert response.json() == {"size": 3, "sum": 6}
    response = client.post("/avatars", data={"caption": "no file"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "image"], "msg": "Field required", "input": None}
        ]
    }


# -- validation errors --------------------------------------------------------------------


BAD_ENTRY = {"version": "3.2", "recipient": 42, "timestamp": "yesterday"}


def test_validation_error_shape() -> None:
    client = client_for("validation_errors", "chat")
    response = client.post("/messages", json=BAD_ENTRY)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "detail": [
            {
                "type": "literal_error",
                "loc": ["body", "version"],
                "msg": "Input should be '3.1'",
                "input": "3.2",
                "ctx": {"expected": "'3.1'"},
            },
            {
                "type": "missing",
                "loc": ["body", "message"],
                "msg": "Field required",
                "input": {"version": "3.2", "recipient": 42, "timestamp": "yesterday"},
            },
            {
                "type": "string_type",
                "loc": ["body", "recipient"],
                "msg": "Input should be a valid string",
                "input": 42,
            },
            {
                "type": "float_parsing",
                "loc": ["body", "timestamp"],
                "msg": "Input should be a valid number, unable to parse string as a number",
                "input": "yesterday",
            },
        ]
    }


def test_valid_entry_is_created() -> None:
    client = client_for("validation_errors", "chat")
    response = client.post("/messages", json=ENTRY)
    assert response.status_code == 201
    assert response.json() == {
        "version": "3.1",
        "message": "Hello",
        "recipient": "Dave",
        "author": None,
        "timestamp": None,
    }


def test_errors_from_every_source_at_once() -> None:
    client = client_for("validation_errors", "chat")
    response = client.post("/messages?notify=maybe", json={"recipient": "Dave"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "bool_parsing",
                "loc": ["query", "notify"],
                "msg": "Input should be a valid boolean, unable to interpret input",
                "input": "maybe",
            },
            {
                "type": "missing",
                "loc": ["body", "message"],
                "msg": "Field required",
                "input": {"recipient": "Dave"},
            },
        ]
    }


def test_malformed_json() -> None:
    client = client_for("validation_errors", "chat")
    response = client.post(
        "/messages", content=b'{"message": "Hello",}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "json_invalid",
                "loc": ["body"],
                "msg": "Invalid JSON: trailing comma at line 1 column 21",
                "input": {},
                "ctx": {"error": "trailing comma at line 1 column 21"},
            }
        ]
    }


def test_framework_errors_are_json() -> None:
    client = client_for("validation_errors", "chat")
    response = client.get("/nowhere")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    response = client.get("/messages")
    assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"})
    assert response.headers["allow"] == "POST"


def test_problem_details() -> None:
    client = client_for("validation_errors", "problem_details")
    response = client.post("/messages", json={"message": "Hello"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": "The request is not valid",
        "errors": [
            {
                "type": "missing",
                "loc": ["body", "recipient"],
                "msg": "Field required",
                "input": {"message": "Hello"},
            }
        ],
    }
    response = client.get("/messages/3")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Message 3 not found",
    }
    response = client.get("/nowhere")
    assert response.json() == {"type": "about:blank", "title": "Not Found", "status": 404}
    document = client.get("/openapi.json").json()
    answers = document["paths"]["/messages"]["post"]["responses"]
    assert list(answers["422"]["content"]) == ["application/problem+json"]


# -- responses ----------------------------------------------------------------------------


def test_response_model_filters() -> None:
    client = client_for("responses", "response_model")
    response = client.post("/users", json={"username": "ada", "password": "hunter22"})
    assert response.status_code == 201
    assert response.json() == {"username": "ada", "email": None}
    assert client.get("/users/ada").json() == {"username": "ada", "email": None}
    assert client.get("/users/ada/brief").json() == {"username": "ada"}


def test_response_classes() -> None:
    client = client_for("responses", "response_classes")
    response = client.get("/health")
    assert response.text == "ok"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    response = client.get("/welcome")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<h1>Welcome to the chat</h1>"
    response = client.get("/old-messages", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/messages"
    response = client.post("/messages/import")
    assert response.status_code == 202
    assert response.headers["retry-after"] == "30"
    assert response.json() == {"status": "queued"}


def test_response_parameter() -> None:
    client = client_for("responses", "response_parameter")
    first = client.put("/rooms/general")
    assert first.status_code == 201
    assert first.json() == {"room": "general"}
    assert first.headers["location"] == "/rooms/general"
    assert first.headers["set-cookie"] == "last_room=general; HttpOnly; Path=/; SameSite=lax"
    again = client.put("/rooms/general")
    assert again.status_code == 200


def test_no_content() -> None:
    client = client_for("responses", "no_content")
    response = client.delete("/messages/1")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    response = client.delete("/messages/1")
    assert response.status_code == 404
    assert response.json() == {"detail": "Message not found"}


# -- dependencies -------------------------------------------------------------------------


def test_function_dependencies() -> None:
    client = client_for("dependencies", "basics")
    assert client.get("/messages?offset=40").json() == {"offset": 40, "limit": 20}
    response = client.get("/messages?limit=0")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_sub_dependencies() -> None:
    client = client_for("dependencies", "basics")
    ada = {"Authorization": "Bearer token-ada"}
    bob = {"Authorization": "Bearer token-bob"}
    assert client.get("/me", headers=bob).json() == {"user": "bob"}
    response = client.get("/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Unknown token"}
    assert client.delete("/rooms/general", headers=ada).json() == {
        "deleted": "general",
        "by": "ada",
    }
    response = client.delete("/rooms/general", headers=bob)
    assert (response.status_code, response.json()) == (403, {"detail": "Admins only"})


def test_dependency_cache() -> None:
    module = load("dependencies", "caching")
    client = TestClient(module.app)
    assert client.get("/permissions").json() == {"read": True, "write": True}
    assert module.lookups == ["ada"]
    module.lookups.clear()
    assert client.get("/fresh").json() == {"first": "ada", "second": "ada"}
    assert module.lookups == ["ada", "ada"]


class ResponseLog:
    """ASGI wrapper noting in ``log`` when the response body went out."""

    def __init__(self, app: Any, log: list[str]) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def logging_send(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and scope["type"] == "http":
                self.log.append("response sent")

        await self.app(scope, receive, logging_send)


def test_yield_cleanup_runs_after_the_response() -> None:
    module = load("dependencies", "yield_cleanup")
    client = TestClient(ResponseLog(module.app, module.log))
    response = client.post("/messages?text=Hello")
    assert response.json() == {"queued": "Hello"}
    assert module.log == ["open", "response sent", "commit ['Hello']", "close"]


def test_yield_cleanup_sees_the_handlers_exception() -> None:
    module = load("dependencies", "yield_cleanup")
    client = TestClient(ResponseLog(module.app, module.log))
    response = client.post("/messages?text=%20")
    assert (response.status_code, response.json()) == (400, {"detail": "Empty message"})
    assert module.log == ["open", "response sent", "rollback after HTTPException", "close"]


def test_class_dependency() -> None:
    client = client_for("dependencies", "classes")
    assert client.get("/numbers?offset=10&limit=3").json() == [10, 11, 12]


def test_app_and_route_dependencies() -> None:
    module = load("dependencies", "app_dependencies")
    client = TestClient(module.app)
    assert client.get("/status", headers={"X-Client": "ios"}).json() == {"status": "up"}
    assert client.get("/status").json() == {"status": "up"}
    assert module.seen == ["ios", "unknown"]
    response = client.post("/maintenance", headers={"X-Maintenance-Key": "guess"})
    assert (response.status_code, response.json()) == (403, {"detail": "Wrong maintenance key"})
    response = client.post("/maintenance", headers={"X-Maintenance-Key": "let-me-in"})
    assert response.json() == {"status": "maintenance"}


def test_dependency_overrides() -> None:
    module = load("dependencies", "overrides")
    module.test_now_uses_the_frozen_clock()
    assert not module.app.dependency_overrides
    assert TestClient(module.app).get("/now").json()["timestamp"] > 1599307407.0


# -- errors -------------------------------------------------------------------------------


def test_http_exception() -> None:
    client = client_for("errors", "http_exception")
    assert client.get("/messages/1").json() == {"message": "Hello"}
    response = client.get("/messages/2")
    assert (response.status_code, response.json()) == (404, {"detail": "Message 2 not found"})
    response = client.get("/inbox")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": {"reason": "login required", "login_url": "/login"}}


def test_exception_handlers() -> None:
    client = client_for("errors", "handlers")
    response = client.get("/search?q=cats")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "120"
    assert response.json() == {"detail": "search index is unavailable, try again later"}
    response = client.get("/messages/3")
    assert response.json() == {"detail": "Message 3 not found", "path": "/messages/3"}
    response = client.get("/nowhere")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Not Found", "path": "/nowhere"},
    )


def test_server_errors_hide_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHAT_DEBUG", raising=False)
    module = load("errors", "server_errors")
    client = TestClient(module.app, raise_server_exceptions=False)
    assert client.get("/divide?a=1&b=2").json() == {"result": 0.5}
    response = client.get("/divide?a=1&b=0")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    with pytest.raises(ZeroDivisionError):
        TestClient(module.app).get("/divide?a=1&b=0")


def test_server_errors_in_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_DEBUG", "1")
    module = load("errors", "server_errors")
    client = TestClient(module.app, raise_server_exceptions=False)
    response = client.get("/divide?a=1&b=0")
    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == "Internal Server Error"
    assert body["error"] == "ZeroDivisionError: division by zero"
    assert body["traceback"][0] == "Traceback (most recent call last):\n"


# -- routers ------------------------------------------------------------------------------


def test_routers() -> None:
    client = client_for("routers")
    assert client.get("/messages/").json() == ["Hello", "Bye"]
    assert client.get("/messages/2").json() == {"message": "Bye"}
    response = client.get("/admin/stats")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "x-admin-token"]
    response = client.get("/admin/stats", headers={"X-Admin-Token": "guess"})
    assert (response.status_code, response.json()) == (403, {"detail": "Admins only"})
    response = client.get("/admin/stats", headers={"X-Admin-Token": "s3cret"})
    assert response.json() == {"messages": 2}


def test_router_tags_reach_the_openapi_document() -> None:
    document = client_for("routers").get("/openapi.json").json()
    assert document["paths"]["/messages/"]["get"]["tags"] == ["messages"]
    assert document["paths"]["/admin/stats"]["get"]["tags"] == ["admin"]


def test_static_files() -> None:
    client = client_for("routers")
    response = client.get("/static/robots.txt")
    assert response.status_code == 200
    assert response.text == "User-agent: *\nDisallow:\n"
    response = client.get("/static/missing.txt")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_redirect_slashes() -> None:
    client = client_for("routers")
    response = client.get("/messages", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/messages/"
    assert client.get("/messages").json() == ["Hello", "Bye"]
    response = client.get("/messages?page=2", follow_redirects=False)
    assert response.headers["location"] == "http://testserver/messages/?page=2"


def test_redirect_slashes_off() -> None:
    from hinted import App

    app = App(redirect_slashes=False)
    app.include_router(load("routers", "messages").router)
    response = TestClient(app).get("/messages", follow_redirects=False)
    assert response.status_code == 404


# -- lifespan and state -------------------------------------------------------------------


def test_lifespan_and_state() -> None:
    module = load("lifespan_and_state")
    with TestClient(module.app) as client:
        response = client.post("/messages?text=Hello")
        assert (response.status_code, response.json()) == (201, {"count": 1})
        assert client.get("/messages").json() == ["Hello"]
        assert client.get("/config").json() == {"database_url": "sqlite:///chat.db"}
        store = client.app_state["store"]
        assert store.url == "sqlite:///chat.db"
        assert not store.closed
    assert store.closed


def test_state_needs_the_lifespan() -> None:
    module = load("lifespan_and_state")
    client = TestClient(module.app)  # not entered: the lifespan does not run
    with pytest.raises(AttributeError):
        client.get("/messages")


# -- sync and async -----------------------------------------------------------------------


def test_sync_and_async_handlers() -> None:
    client = client_for("sync_and_async")
    assert client.get("/sync").json() == {"data": "legacy data", "on_event_loop": False}
    assert client.get("/async").json() == {"on_event_loop": True}
    assert client.get("/mixed").json() == {"data": "legacy data", "on_event_loop": True}


# -- testing ------------------------------------------------------------------------------


def test_testing_page_direct_call() -> None:
    module = load("testing")
    entry = module.ChatEntry(message="Hello", recipient="Dave", timestamp=1599307407.9207017)
    result = module.create_message(entry, store=module.MessageStore())
    assert result == {"id": 1, "timestamp": 1599307407.9207017}


def test_the_testing_example_passes_under_pytest() -> None:
    path = DOCS_SRC / "testing" / "test_main.py"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(path), "-o", "addopts=", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
