"""The chat handlers and the session dependency, called as plain functions: no app, no HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examples.chat.db import Database, Message, get_session
from examples.chat.migrate import upgrade_to_head
from examples.chat.models import ChatEntry, StoredChatEntry
from examples.chat.routes import create_message, get_message, list_messages
from hinted import HTTPException


@pytest.fixture
def database() -> Iterator[Database]:
    """An in-memory SQLite database at the newest migration (one connection, this thread)."""
    database = Database.connect("sqlite://")
    upgrade_to_head(database.engine)
    yield database
    database.engine.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.sessions() as session:
        yield session


def count(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def test_create_message_with_plain_values(session: Session) -> None:
    stored = create_message(ChatEntry(message="Hi", recipient="Dave"), session, now=12.5)
    assert stored == StoredChatEntry(id=stored.id, message="Hi", recipient="Dave", timestamp=12.5)

    stamped = create_message(
        ChatEntry(message="Yo", recipient="Eve", timestamp=99.0), session, now=12.5
    )
    assert stamped.timestamp == 99.0


def test_list_and_get_with_plain_values(session: Session) -> None:
    old = create_message(ChatEntry(message="old", recipient="Dave"), session, now=1.0)
    new = create_message(ChatEntry(message="new", recipient="Dave"), session, now=2.0)
    create_message(ChatEntry(message="other", recipient="Eve"), session, now=3.0)

    assert list_messages(session, recipient="Dave") == [new, old]
    assert list_messages(session, since=2.0, limit=1) == [
        StoredChatEntry(id=3, message="other", recipient="Eve", timestamp=3.0)
    ]
    assert get_message(old.id, session) == old


def test_get_message_raises_a_404(session: Session) -> None:
    with pytest.raises(HTTPException) as caught:
        get_message(1, session)
    assert caught.value.status_code == 404
    assert caught.value.detail == "Message not found"


def test_session_dependency_commits_on_success(database: Database) -> None:
    dependency = get_session(database)
    session = next(dependency)
    session.add(Message(version="3.1", message="kept", recipient="Dave", timestamp=1.0))
    with pytest.raises(StopIteration):
        next(dependency)
    assert count(database) == 1


def test_session_dependency_rolls_back_on_error(database: Database) -> None:
    dependency = get_session(database)
    session = next(dependency)
    session.add(Message(version="3.1", message="lost", recipient="Dave", timestamp=1.0))
    session.flush()
    with pytest.raises(RuntimeError, match="handler failed"):
        dependency.throw(RuntimeError("handler failed"))
    assert count(database) == 0
