"""The HTTP endpoints. Each handler is a plain function of plain values::

    stored = create_message(ChatEntry(message="Hi", recipient="Dave"), session, now=12.5)

``session`` is any SQLAlchemy ``Session`` and ``now`` stands in for the clock; in a
request, the dependencies named in the annotations supply them.

``DELETE /messages/{message_id}`` is for admins: it wants the service's API key
(``Settings.api_key``) in the ``X-API-Key`` header, checked by :func:`require_api_key`.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any

from sqlalchemy import make_url, select, text

from examples.chat.db import Message, SessionDep
from examples.chat.fanout import Rooms, get_rooms
from examples.chat.models import ChatEntry, ErrorMessage, StoredChatEntry
from examples.chat.settings import Settings
from hinted import APIRouter, Depends, HTTPException, Path, Query, Request, Security, status
from hinted.security import APIKeyHeader

router = APIRouter()

MESSAGE_NOT_FOUND = "Message not found"
INVALID_API_KEY = "Invalid API key"

MAX_ID = 2**31 - 1
"""The largest id the ``messages`` table holds (``id`` is a 32-bit INTEGER on PostgreSQL;
a larger value sent to the database is an error there, and beyond 64 bits in SQLite)."""

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorMessage, "description": "No message has this id"},
}
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorMessage, "description": "The X-API-Key header is missing or wrong"},
}

api_key_header = APIKeyHeader(
    name="X-API-Key",
    scheme_name="APIKey",
    description="The service's API key (its `API_KEY` setting; `chat-demo-key` by default).",
)


def current_time() -> float:
    """Dependency: the time of receipt, as a Unix timestamp."""
    return time.time()


def get_settings(request: Request) -> Settings:
    """Dependency: the settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


Now = Annotated[float, Depends(current_time)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
OptionalRoomsDep = Annotated[Rooms | None, Depends(get_rooms)]
MessageId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="The id the service assigned", examples=[1])
]


def require_api_key(key: Annotated[str, Security(api_key_header)], settings: SettingsDep) -> None:
    """Dependency: a 401 unless the ``X-API-Key`` header holds the service's API key.

    A missing header is refused by ``api_key_header`` itself ("Not authenticated").
    """
    if not secrets.compare_digest(key.encode(), settings.api_key.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=INVALID_API_KEY,
            headers={"WWW-Authenticate": "APIKey"},
        )


@router.post(
    "/messages",
    status_code=status.HTTP_201_CREATED,
    tags=["messages"],
    summary="Send a message",
    response_description="The stored message, with its id and timestamp",
)
def create_message(
    entry: ChatEntry, session: SessionDep, now: Now, rooms: OptionalRoomsDep = None
) -> StoredChatEntry:
    """Store a chat message.

    When the message has no `timestamp`, the time of receipt is stored instead.
    The stored message is delivered live to the clients of the WebSocket
    `/ws/rooms/{recipient}`.
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
    stored = StoredChatEntry.model_validate(row)
    if rooms is not None:  # None when called as a plain function, outside a request
        rooms.publish_from_thread(stored)
    return stored


@router.get(
    "/messages",
    tags=["messages"],
    summary="List messages",
    response_description="The matching messages, newest first",
)
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
    summary="Read a message",
    response_description="The message with this id",
    responses=NOT_FOUND,
)
def get_message(message_id: MessageId, session: SessionDep) -> StoredChatEntry:
    """Read one message by its id."""
    row = session.get(Message, message_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=MESSAGE_NOT_FOUND)
    return StoredChatEntry.model_validate(row)


@router.delete(
    "/messages/{message_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["admin"],
    summary="Delete a message",
    response_description="The message is deleted",
    responses={**UNAUTHORIZED, **NOT_FOUND},
    dependencies=[Depends(require_api_key)],
)
def delete_message(message_id: MessageId, session: SessionDep) -> None:
    """Delete one message for good. Admins only: send the API key as `X-API-Key`."""
    row = session.get(Message, message_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=MESSAGE_NOT_FOUND)
    session.delete(row)
    session.commit()


@router.get(
    "/health",
    tags=["health"],
    summary="Check health",
    response_description="`ok`, and the kind of database the service uses",
)
def health(session: SessionDep, settings: SettingsDep) -> dict[str, str]:
    """Whether the service can reach its database, and which kind of database it is."""
    session.execute(text("SELECT 1"))
    return {"status": "ok", "database": make_url(settings.database_url).get_backend_name()}


__all__ = [
    "INVALID_API_KEY",
    "MESSAGE_NOT_FOUND",
    "api_key_header",
    "create_message",
    "current_time",
    "delete_message",
    "get_message",
    "get_settings",
    "health",
    "list_messages",
    "require_api_key",
    "router",
]
