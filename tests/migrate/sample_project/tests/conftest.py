import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chat_service.main import create_app


@pytest.fixture
def app() -> FastAPI:
    return create_app()


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture
def ada(client: TestClient) -> dict[str, str]:
    response = client.post("/token", data={"username": "ada", "password": "analytical"})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
