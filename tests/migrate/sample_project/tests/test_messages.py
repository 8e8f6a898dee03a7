import fastapi
import httpx
from fastapi.testclient import TestClient


def post(client: TestClient, headers: dict[str, str], text: str) -> httpx.Response:
    return client.post("/messages", json={"message": text, "recipient": "bob"}, headers=headers)


def test_post_and_read(client: TestClient, ada: dict[str, str]) -> None:
    response = post(client, ada, "Hello")
    assert response.status_code == fastapi.status.HTTP_201_CREATED
    assert response.json() == {
        "version": "3.1",
        "message": "Hello",
        "recipient": "bob",
        "author": "ada",
        "timestamp": None,
        "id": 1,
    }
    assert client.get("/messages/1").json()["message"] == "Hello"


def test_pagination(client: TestClient, ada: dict[str, str]) -> None:
    for text in ("one", "two", "three"):
        post(client, ada, text)
    page = client.get("/messages", params={"offset": 1, "limit": 1}).json()
    assert [entry["message"] for entry in page] == ["two"]


def test_pagination_limits(client: TestClient) -> None:
    response = client.get("/messages", params={"limit": 0})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert (error["loc"], error["type"]) == (["query", "limit"], "greater_than_equal")


def test_invalid_message(client: TestClient, ada: dict[str, str]) -> None:
    response = client.post("/messages", json={"message": "", "recipient": "bob"}, headers=ada)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "message"]


def test_posting_needs_a_token(client: TestClient) -> None:
    response = client.post("/messages", json={"message": "Hi", "recipient": "bob"})
    assert response.status_code == 401


def test_missing_message(client: TestClient) -> None:
    response = client.get("/messages/7")
    assert (response.status_code, response.json()) == (404, {"detail": "Message not found"})
    response = client.get("/messages/0")
    assert response.status_code == 422


def test_client_version_header(client: TestClient) -> None:
    response = client.get("/messages", headers={"X-Client-Version": "2.0"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Unsupported client version 2.0"}


def test_delete(client: TestClient, ada: dict[str, str]) -> None:
    post(client, ada, "Hello")
    assert client.delete("/messages/1", headers=ada).json() == {"deleted": 1, "by": "ada"}
    assert client.delete("/messages/1", headers=ada).status_code == 404
