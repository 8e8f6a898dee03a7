"""Configuration from environment variables, read once per app.

``DATABASE_URL``  SQLAlchemy URL; defaults to ``sqlite:///./chat.db`` in the working directory.
                  PostgreSQL: ``postgresql+psycopg://user@host:5432/dbname``.
``REDIS_URL``     optional: ``redis://host:6379/0`` carries the live rooms
                  (``/ws/rooms/{room}``) between the service's processes; unset, rooms
                  live in one process's memory.
``DEBUG``         ``true`` puts tracebacks in 500 responses; never in production.
``MIGRATE_ON_STARTUP``  ``true`` (default): upgrade the database to the newest alembic
                  revision when the app starts. Set ``false`` when a deploy step runs
                  ``alembic upgrade head`` instead.
``API_KEY``       the key the admin endpoints want in their ``X-API-Key`` header. The
                  default, ``chat-demo-key``, is public (it is in this file): set your
                  own anywhere but on your own machine.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_API_KEY = "chat-demo-key"
"""The demo's default ``API_KEY``: known to everyone who reads this, so replace it."""


class Settings(BaseSettings):
    """Settings of the chat service. Keyword arguments override the environment."""

    model_config = SettingsConfigDict(frozen=True)

    database_url: str = Field(
        "sqlite:///./chat.db", description="SQLAlchemy database URL (DATABASE_URL)"
    )
    redis_url: str | None = Field(
        None, description="Redis URL carrying the live rooms between processes (REDIS_URL)"
    )
    debug: bool = Field(False, description="Show tracebacks in 500 responses (DEBUG)")
    migrate_on_startup: bool = Field(
        True, description="Run alembic upgrade head in the app's lifespan (MIGRATE_ON_STARTUP)"
    )
    api_key: str = Field(
        DEMO_API_KEY,
        min_length=1,
        description="Key of the admin endpoints, sent as the X-API-Key header (API_KEY)",
    )
