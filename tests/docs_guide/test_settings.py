"""docs/guide/settings.md: settings from the environment."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from hinted.testclient import TestClient
from tests.docs_guide._examples import load


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file around
    yield


def test_defaults() -> None:
    config = load("settings", "config")
    settings = config.Settings()
    assert settings.database_url == "sqlite:///./chat.db"
    assert settings.redis_url is None
    assert settings.debug is False


def test_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://chat@db:5432/chat")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("DEBUG", "true")
    module = load("settings")
    assert module.app.debug is True
    assert module.app.state.settings.redis_url == "redis://cache:6379/0"
    assert TestClient(module.app).get("/info").json() == {
        "database": "postgresql+psycopg",
        "debug": True,
    }


def test_a_dot_env_file() -> None:
    Path(".env").write_text("DEBUG=1\nDATABASE_URL=sqlite:///./other.db\n")
    settings = load("settings", "config").Settings()
    assert settings.debug is True
    assert settings.database_url == "sqlite:///./other.db"


def test_tests_override_the_settings() -> None:
    module = load("settings")
    settings = module.Settings(database_url="sqlite://", debug=True)
    app = module.create_app(settings)
    app.dependency_overrides[module.get_settings] = lambda: settings
    assert TestClient(app).get("/info").json() == {"database": "sqlite", "debug": True}
    assert app.debug is True
