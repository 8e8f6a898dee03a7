"""The HTTP endpoints. Each handler is a plain function of plain values::

    stored = create_message(ChatEntry(message="Hi", recipient="Dave"), session, now=12.5)

``session`` is any SQLAlchemy ``Session`` and ``now`` stands in for the clock; in a
request, the dependencies named in the annotations supply them.
"""

from __future__ import annotations

import time
from typing import Annotated

from sqlalchemy import make_url, select, text

from examples.chat.db import Message, SessionDep
from examples.chat.models import ChatEntry, StoredChatEntry
from examples.chat.settings import Settings
from hinted import APIRouter, Depends, HTTPException, Path, Query, Request, status

router = APIRouter()

MESSAGE_NOT_FOUND = "Message not found"


def current_time() -> float:
    """Dependency: the time of receipt, as a Unix timestamp."""
    return time.time()


def get_settings(request: Request) -> Settings:
    """Dependency: the settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


Now = Annotated[float, Depends(current_time)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.post(
    "/messages",
    status_code=status.HTTP_201_CREATED,
    tags=["messages"],
    response_description="The stored message, with its id and timestamp",
)
def create_message(entry: ChatEntry, session: SessionDep, now: Now) -> StoredChatEntry:
    """Store a chat message.

    When the message has no `timestamp`, the time of receipt is stored instead.
    """
    timestamp = entry.timestamp if entry.timestamp is not None else now
    row = Message(
        version=entry.version,
        message=entry.message,
        recipient=entry.recipient,
        author=entry.author,
        timestamp=timestamp,
    )
    session.add(row)
    session.commit()
    return StoredChatEntry.model_validate(row)


@router.get("/messages", tags=["messages"])
def list_messages(
    session: SessionDep,
    recipient: Annotated[str | None, Query(description="Only messages to this recipient")] = None,
    since: Annotated[
        float | None,
        Query(description="Only messages with a timestamp at or after this Unix timestamp"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many messages")] = 50,
) -> list[StoredChatEntry]:
    """List messages, newest first.

    Ordered by `timestamp` descending; messages with equal timestamps by `id`
    descending (the one stored last comes first).
    """
    query = select(Message)
    if recipient is not None:
        query = query.where(Message.recipient == recipient)
    if since is not None:
        query = query.where(Message.timestamp >= since)
    query = query.order_by(Message.timestamp.desc(), Message.id.desc()).limit(limit)
    return [StoredChatEntry.model_validate(row) for row in session.scalars(query)]


@router.get(
    "/messages/{message_id}",
    tags=["messages"],
    responses={404: {"description": MESSAGE_NOT_FOUND}},
)
def get_message(
    message_id: Annotated[int, Path(description="The id the service assigned")],
    session: SessionDep,
) -> StoredChatEntry:
    """Read one message by its id."""
    row = session.get(Message, message_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=MESSAGE_NOT_FOUND)
    return StoredChatEntry.model_validate(row)


@router.get("/health", tags=["health"])
def health(session: SessionDep, settings: SettingsDep) -> dict[str, str]:
    """Whether the service can reach its database, and which kind of database it is."""
    session.execute(text("SELECT 1"))
    return {"status": "ok", "database": make_url(settings.database_url).get_backend_name()}


__all__ = [
    "MESSAGE_NOT_FOUND",
    "create_message",
    "current_time",
    "get_message",
    "get_settings",
    "health",
    "list_messages",
    "router",
]
