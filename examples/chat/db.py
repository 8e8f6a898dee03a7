"""Storage: the ``messages`` table (SQLAlchemy 2.0 typed ORM), engine and sessions.

The table is created and changed only by the alembic migrations in ``migrations/``;
``tests/examples/test_chat.py`` checks that these models and the migrations agree.

Unit of work: :func:`get_session` is a ``yield`` dependency that commits when the
handler returns and rolls back when it raises. Its exit runs after the response has
been sent (FastAPI's default for ``yield`` dependencies), too late to turn a failed
commit into an error response, so a handler that writes commits itself before it
returns: a 201 then means the row is durable.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Annotated

from sqlalchemy import Double, Engine, Index, MetaData, Text, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from examples.chat.settings import Settings
from hinted import Depends, HTTPConnection


class Base(DeclarativeBase):
    """Declarative base of the chat service's tables."""

    # Named constraints, so later migrations can drop or alter them (SQLite batch mode
    # needs the names, and autogenerate compares them).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Message(Base):
    """One stored chat message."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_recipient_timestamp", "recipient", "timestamp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    # DOUBLE PRECISION on PostgreSQL (plain FLOAT there would be fine too, but REAL
    # would round a Unix timestamp to the nearest ~2 minutes).
    timestamp: Mapped[float] = mapped_column(Double, index=True)


@dataclass(frozen=True, slots=True)
class Database:
    """An engine and the session factory bound to it."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def connect(cls, url: str, *, echo: bool = False) -> Database:
        """Create the engine for ``url`` (no connection is opened until first use)."""
        engine = create_engine(url, echo=echo, pool_pre_ping=True)
        # Rows stay readable after commit, so a handler can commit and then return them.
        return cls(engine, sessionmaker(engine, expire_on_commit=False))

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """The database named by ``settings.database_url``."""
        return cls.connect(settings.database_url)


def get_database(connection: HTTPConnection) -> Database:
    """Dependency: the app's :class:`Database` (created by ``create_app``).

    Asks for the connection, not the request, so WebSocket routes can use it too.
    """
    database: Database = connection.app.state.database
    return database


def get_session(
    database: Annotated[Database, Depends(get_database)],
) -> Generator[Session, None, None]:
    """Dependency: a session for one request; commit on success, roll back on error."""
    with database.sessions() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


SessionDep = Annotated[Session, Depends(get_session)]
"""A handler parameter receiving the request's session."""
