"""docs/guide/middleware.md: the middleware stack and @app.middleware("http")."""

import json

from hinted.testclient import TestClient
from tests.docs_guide._examples import load, read_stream


def test_the_stack_of_shipped_middleware() -> None:
    client = TestClient(load("middleware", "stack").app)
    response = client.get(
        "/messages",
        headers={
            "Origin": "https://chat.example.com",
            "X-Request-ID": "req-1",
            "Accept-Encoding": "gzip",
        },
    )
    assert response.status_code == 200
    assert response.json() == {"request_id": "req-1", "messages": ["hello"] * 100}
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["access-control-allow-origin"] == "https://chat.example.com"
    assert response.headers["x-request-id"] == "req-1"
    assert response.headers["server-timing"].startswith("app;dur=")


def test_the_stack_refuses_unknown_hosts_and_origins() -> None:
    client = TestClient(load("middleware", "stack").app)
    assert client.get("/messages", headers={"Host": "evil.example"}).status_code == 400
    preflight = client.options(
        "/messages",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"},
    )
    assert preflight.status_code == 400
    fresh = client.get("/messages").headers["x-request-id"]
    assert len(fresh) == 32  # none sent: a new one


def test_request_ids_and_timing_even_without_gzip() -> None:
    client = TestClient(load("middleware", "stack").app)
    response = client.get("/messages", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert json.loads(response.content)["request_id"] == response.headers["x-request-id"]


def test_function_middleware_sees_the_handlers_context_variables() -> None:
    client = TestClient(load("middleware", "functions").app)
    response = client.get("/me", headers={"X-User": "ada"})
    assert response.json() == {"user": "ada"}
    assert response.headers["x-user"] == "ada"
    assert client.get("/me").headers["x-user"] == "anonymous"


def test_function_middleware_lets_an_endless_stream_stream() -> None:
    app = load("middleware", "functions").app
    status, headers, chunks = read_stream(app, "/ticks", chunks=2)
    assert status == 200
    assert headers["content-type"].startswith("text/event-stream")
    assert headers["x-user"] == "-"
    assert chunks == [b'id: 1\ndata: {"n":1}\n\n', b'id: 2\ndata: {"n":2}\n\n']
