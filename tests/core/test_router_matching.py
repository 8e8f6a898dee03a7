"""Path matching: convertors, static-over-parameter priority, 404, 405, HEAD."""

import uuid
from typing import Any

from hinted import App
from hinted.responses import PlainTextResponse
from hinted.testclient import TestClient


def make_app() -> App:
    app = App()

    @app.get("/int/{value:int}")
    async def int_value(value: int) -> dict[str, Any]:
        return {"value": value, "type": type(value).__name__}

    @app.get("/float/{value:float}")
    async def float_value(value: float) -> dict[str, Any]:
        return {"value": value, "type": type(value).__name__}

    @app.get("/str/{value:str}")
    async def str_value(value: str) -> dict[str, Any]:
        return {"value": value}

    @app.get("/path/{value:path}")
    async def path_value(value: str) -> dict[str, Any]:
        return {"value": value}

    @app.get("/uuid/{value:uuid}")
    async def uuid_value(value: uuid.UUID) -> dict[str, Any]:
        return {"value": str(value), "type": type(value).__name__}

    @app.get("/users/{user_id}")
    async def user(user_id: str) -> dict[str, str]:
        return {"user": user_id}

    @app.get("/users/me")  # registered after the parameter route, still wins
    async def me() -> dict[str, str]:
        return {"user": "me"}

    @app.post("/users/{user_id}")
    async def update_user(user_id: str) -> dict[str, str]:
        return {"updated": user_id}

    @app.get("/text", response_class=PlainTextResponse)
    async def text() -> str:
        return "some text"

    return app


client = TestClient(make_app())


def test_int_convertor() -> None:
    assert client.get("/int/42").json() == {"value": 42, "type": "int"}
    assert client.get("/int/-1").status_code == 404
    assert client.get("/int/abc").status_code == 404
    # Too long for int(): the branch fails (404) instead of raising (500).
    assert client.get("/int/" + "9" * 5000).status_code == 404


def test_float_convertor() -> None:
    assert client.get("/float/1.5").json() == {"value": 1.5, "type": "float"}
    assert client.get("/float/x").status_code == 404


def test_str_and_path_convertors() -> None:
    assert client.get("/str/hello").json() == {"value": "hello"}
    assert client.get("/str/a/b").status_code == 404
    assert client.get("/path/a/b/c.txt").json() == {"value": "a/b/c.txt"}


def test_uuid_convertor() -> None:
    value = uuid.uuid4()
    assert client.get(f"/uuid/{value}").json() == {"value": str(value), "type": "UUID"}
    assert client.get("/uuid/not-a-uuid").status_code == 404


def test_percent_encoded_path_value() -> None:
    assert client.get("/users/a%20b").json() == {"user": "a b"}


def test_static_segment_beats_parameter() -> None:
    assert client.get("/users/me").json() == {"user": "me"}
    assert client.get("/users/someone").json() == {"user": "someone"}


def test_unknown_path_is_404_json() -> None:
    response = client.get("/nowhere")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert response.headers["content-type"] == "application/json"


def test_wrong_method_is_405_with_allow() -> None:
    response = client.delete("/users/someone")
    assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"})
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
    # The static route knows only GET: the parameter route that accepts POST answers.
    assert client.post("/users/me").json() == {"updated": "me"}


def test_head_on_get_route_has_headers_but_no_body() -> None:
    get = client.get("/int/3")
    head = client.head("/int/3")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == "application/json"
    assert head.headers["content-length"] == get.headers["content-length"]
    head = client.head("/text")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"].startswith("text/plain")
