from fastapi.testclient import TestClient


def test_login(client: TestClient) -> None:
    response = client.post("/token", data={"username": "ada", "password": "analytical"})
    assert response.status_code == 200
    assert response.json() == {"access_token": "token-ada", "token_type": "bearer"}


def test_wrong_password(client: TestClient) -> None:
    response = client.post("/token", data={"username": "ada", "password": "guess"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Incorrect username or password"}


def test_login_needs_the_form(client: TestClient) -> None:
    response = client.post("/token", data={"username": "ada"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "password"]


def test_me(client: TestClient, ada: dict[str, str]) -> None:
    response = client.get("/users/me", headers=ada)
    assert response.json() == {"username": "ada", "full_name": "Ada Lovelace", "disabled": False}


def test_me_without_token(client: TestClient) -> None:
    response = client.get("/users/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}


def test_disabled_user(client: TestClient) -> None:
    response = client.get("/users/me", headers={"Authorization": "Bearer token-bob"})
    assert (response.status_code, response.json()) == (400, {"detail": "Inactive user"})


def test_unknown_token(client: TestClient) -> None:
    response = client.get("/users/me", headers={"Authorization": "Bearer token-eve"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid authentication credentials"}
