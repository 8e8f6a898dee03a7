"""Alembic environment of the chat service.

Two callers: the ``alembic`` command (reads ``alembic.ini``, connects to DATABASE_URL
or ``-x url=...``), and :func:`examples.chat.migrate.upgrade_to_head`, which passes
its own connection in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from examples.chat.db import Base
from examples.chat.settings import Settings

config = context.config
target_metadata = Base.metadata

# A lock id of our own: concurrent workers starting at once migrate one at a time.
_POSTGRES_LOCK_ID = 0x63686174  # "chat"

if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name)


def database_url() -> str:
    """``-x url=...``, else ``sqlalchemy.url`` from the ini file, else DATABASE_URL."""
    url = context.get_x_argument(as_dictionary=True).get("url")
    return url or config.get_main_option("sqlalchemy.url") or Settings().database_url


def run_migrations_offline() -> None:
    """Print the SQL (``alembic upgrade head --sql``) instead of running it."""
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations(connection: Connection) -> None:
    """Run the pending revisions on ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            context.execute(f"SELECT pg_advisory_xact_lock({_POSTGRES_LOCK_ID})")
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the caller's connection, or on a new one to :func:`database_url`."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
