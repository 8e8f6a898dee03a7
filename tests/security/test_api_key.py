"""API keys in a header, a query parameter and a cookie."""

from typing import Annotated

import httpx
import pytest

from hinted import App, Depends
from hinted.security import APIKeyCookie, APIKeyHeader, APIKeyQuery
from hinted.security.api_key import APIKeyBase
from hinted.testclient import TestClient
from hinted.websockets import WebSocket

NOT_AUTHENTICATED = {"detail": "Not authenticated"}


def make_client(scheme: APIKeyBase) -> TestClient:
    app = App()

    @app.get("/key")
    async def read_key(key: Annotated[str | None, Depends(scheme)]) -> dict[str, str | None]:
        return {"key": key}

    return TestClient(app)


def send(client: TestClient, scheme: APIKeyBase, value: str | None) -> httpx.Response:
    """A GET with the key in the scheme's place (or without it when ``value`` is None)."""
    name = scheme.name
    if value is None:
        return client.get("/key")
    if isinstance(scheme, APIKeyHeader):
        return client.get("/key", headers={name: value})
    if isinstance(scheme, APIKeyQuery):
        return client.get("/key", params={name: value})
    client.cookies.set(name, value)
    try:
        return client.get("/key")
    finally:
        client.cookies.clear()


SCHEMES = [
    pytest.param(APIKeyHeader, id="header"),
    pytest.param(APIKeyQuery, id="query"),
    pytest.param(APIKeyCookie, id="cookie"),
]


@pytest.mark.parametrize("cls", SCHEMES)
def test_key_is_given_to_the_endpoint(cls: type[APIKeyBase]) -> None:
    scheme = cls(name="api_key")
    response = send(make_client(scheme), scheme, "secret")
    assert response.status_code == 200
    assert response.json() == {"key": "secret"}


@pytest.mark.parametrize("cls", SCHEMES)
@pytest.mark.parametrize("value", [None, ""], ids=["missing", "empty"])
def test_missing_key_is_401_with_an_apikey_challenge(
    cls: type[APIKeyBase], value: str | None
) -> None:
    scheme = cls(name="api_key")
    response = send(make_client(scheme), scheme, value)
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert response.headers["www-authenticate"] == "APIKey"


@pytest.mark.parametrize("cls", SCHEMES)
def test_auto_error_false_gives_none(cls: type[APIKeyBase]) -> None:
    scheme = cls(name="api_key", auto_error=False)
    client = make_client(scheme)
    response = send(client, scheme, None)
    assert response.status_code == 200
    assert response.json() == {"key": None}
    assert send(client, scheme, "k").json() == {"key": "k"}


def test_header_name_is_case_insensitive() -> None:
    client = make_client(APIKeyHeader(name="X-API-Key"))
    assert client.get("/key", headers={"x-api-key": "k"}).json() == {"key": "k"}


def test_key_in_the_wrong_place_is_refused() -> None:
    client = make_client(APIKeyHeader(name="api_key"))
    assert client.get("/key", params={"api_key": "k"}).status_code == 401


@pytest.mark.parametrize(
    ("cls", "location"),
    [(APIKeyHeader, "header"), (APIKeyQuery, "query"), (APIKeyCookie, "cookie")],
)
def test_model(cls: type[APIKeyBase], location: str) -> None:
    plain = cls(name="api_key")
    assert plain.model == {"type": "apiKey", "in": location, "name": "api_key"}
    assert plain.scheme_name == cls.__name__
    described = cls(name="k", scheme_name="partner", description="Ask us for one.")
    assert described.model == {
        "type": "apiKey",
        "in": location,
        "name": "k",
        "description": "Ask us for one.",
    }
    assert described.scheme_name == "partner"


def test_schemes_work_in_websocket_endpoints() -> None:
    app = App()
    scheme = APIKeyQuery(name="token")

    @app.websocket("/ws")
    async def ws(websocket: WebSocket, token: Annotated[str, Depends(scheme)]) -> None:
        await websocket.accept()
        await websocket.send_text(token)
        await websocket.close()

    with TestClient(app).websocket_connect("/ws?token=abc") as connection:
        assert connection.receive_text() == "abc"
