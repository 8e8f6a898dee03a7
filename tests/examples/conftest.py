"""Databases for the chat example's tests: a fresh SQLite file, or a fresh PostgreSQL schema.

PostgreSQL is required, never skipped: set CHAT_TEST_POSTGRES_URL to use a server
other than postgresql+psycopg://postgres@127.0.0.1:5432/test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from examples.chat.app import create_app
from examples.chat.settings import Settings
from hinted import App
from hinted.testclient import TestClient

POSTGRES_URL = os.environ.get(
    "CHAT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections see only a new, empty schema, dropped afterwards."""
    schema = f"chat_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL is required for these tests ({POSTGRES_URL}): {exc}")
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'chat.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, migrate_on_startup=True, debug=False)


@pytest.fixture
def app(settings: Settings) -> App:
    """A new app per test: its own engine, nothing shared with other tests."""
    return create_app(settings)


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    """A client with the app started (lifespan: migrations) and stopped around the test."""
    with TestClient(app) as client:
        yield client
