from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_health(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_custom_exception_handler(client: TestClient) -> None:
    response = client.get("/quota")
    assert response.status_code == 429
    assert response.json() == {"detail": "Quota exceeded", "path": "/quota"}


def test_starlette_http_exception(client: TestClient) -> None:
    response = client.get("/teapot")
    assert (response.status_code, response.json()) == (418, {"detail": "I'm a teapot"})


def test_cors(client: TestClient) -> None:
    response = client.options(
        "/messages",
        headers={
            "Origin": "https://chat.example.com",
            "Access-Control-Request-Method": "POST",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://chat.example.com"


def test_openapi(app: FastAPI, client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["info"] == {"title": "Chat service", "version": "1.0.0"}
    assert set(document["paths"]) == {
        "/token",
        "/users/me",
        "/messages",
        "/messages/{message_id}",
        "/health",
        "/quota",
        "/teapot",
    }
    assert document["components"]["securitySchemes"] == {
        "OAuth2PasswordBearer": {
            "type": "oauth2",
            "flows": {"password": {"scopes": {}, "tokenUrl": "token"}},
        }
    }
    assert app.title == "Chat service"
