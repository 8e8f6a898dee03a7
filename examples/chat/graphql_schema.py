"""GraphQL over the chat service's SQLAlchemy models, mounted at ``/graphql``.

The ``Message`` GraphQL type is generated from the ORM model in ``db.py`` by
graphene-sqlalchemy (3.0, the line for graphene 3 and SQLAlchemy 2; strawberry's
SQLAlchemy mapper would do as well). A column added to the model is in the GraphQL
type, in introspection and in GraphiQL's docs with no change here: the model is the
one place to edit, and ``alembic revision --autogenerate`` writes the migration
(``docs/guide/graphql.md`` walks through it).

Resolvers get the request's SQLAlchemy session from ``info.context["db"]``: the same
``get_session`` dependency the REST routes use, resolved per request by hinted. Every
query and mutation resolver is sync, so each operation runs in a worker thread, never
on the event loop.

``messagePosted`` is a subscription (graphql-transport-ws, at the same URL) to a
recipient's room: every stored message, whether it came through ``POST /messages``, a
room's WebSocket or ``postMessage``, on any process of the service (the channels run
on Redis when ``REDIS_URL`` is set).

```graphql
{ messages(recipient: "Dave", limit: 10) { id message author timestamp } }
mutation { postMessage(message: "Hi", recipient: "Dave") { id timestamp } }
subscription { messagePosted(recipient: "Dave") { id message author } }
```
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import graphene
from graphene_sqlalchemy import SQLAlchemyObjectType
from graphql import GraphQLError
from sqlalchemy import select
from sqlalchemy.orm import Session

from examples.chat.db import Message, get_session
from examples.chat.fanout import Rooms, get_rooms, room_channel
from examples.chat.models import PROTOCOL_VERSION, StoredChatEntry
from hinted import Depends
from hinted.graphql import GraphQL, channel_stream


class MessageType(SQLAlchemyObjectType):
    """A stored chat message."""

    class Meta:
        model = Message
        name = "Message"


def _session(info: Any) -> Session:
    session: Session = info.context["db"]
    return session


class Query(graphene.ObjectType):
    """Read messages."""

    messages = graphene.List(
        graphene.NonNull(MessageType),
        required=True,
        recipient=graphene.String(description="Only messages to this recipient"),
        limit=graphene.Int(default_value=50, description="At most this many, 1 to 100"),
        description="Messages, newest first (by timestamp, then id).",
    )
    message = graphene.Field(
        MessageType, id=graphene.ID(required=True), description="One message by its id."
    )

    def resolve_messages(
        root: Any, info: Any, limit: int, recipient: str | None = None
    ) -> list[Message]:
        if not 1 <= limit <= 100:
            raise GraphQLError("limit must be between 1 and 100")  # the client's error: not logged
        query = select(Message)
        if recipient is not None:
            query = query.where(Message.recipient == recipient)
        query = query.order_by(Message.timestamp.desc(), Message.id.desc()).limit(limit)
        return list(_session(info).scalars(query))

    def resolve_message(root: Any, info: Any, id: str) -> Message | None:
        return _session(info).get(Message, int(id)) if id.isdigit() else None


class PostMessage(graphene.Mutation):
    """Store a chat message; its timestamp is the time of receipt unless given."""

    class Arguments:
        message = graphene.String(required=True)
        recipient = graphene.String(required=True)
        author = graphene.String()
        timestamp = graphene.Float()

    Output = graphene.NonNull(MessageType)

    def mutate(
        root: Any,
        info: Any,
        message: str,
        recipient: str,
        author: str | None = None,
        timestamp: float | None = None,
    ) -> Message:
        row = Message(
            version=PROTOCOL_VERSION,
            message=message,
            recipient=recipient,
            author=author,
            timestamp=timestamp if timestamp is not None else time.time(),
        )
        session = _session(info)
        session.add(row)
        session.commit()  # as the REST handler does: the answer means the row is stored
        rooms: Rooms = info.context["rooms"]
        rooms.publish_from_thread(StoredChatEntry.model_validate(row))
        return row


class Mutation(graphene.ObjectType):
    """Write messages."""

    post_message = PostMessage.Field()


class Subscription(graphene.ObjectType):
    """Live messages."""

    message_posted = graphene.Field(
        graphene.NonNull(MessageType),
        recipient=graphene.String(required=True),
        description="Each message stored for this recipient from now on.",
    )

    async def subscribe_message_posted(
        root: Any, info: Any, recipient: str
    ) -> AsyncIterator[Message]:
        rooms: Rooms = info.context["rooms"]
        async for data in channel_stream(rooms.channels, room_channel(recipient)):
            # A detached row built from the published entry: the type resolves from it.
            yield Message(**StoredChatEntry.model_validate(data).model_dump())

    def resolve_message_posted(message: Message, info: Any, recipient: str) -> Message:
        return message


schema = graphene.Schema(query=Query, mutation=Mutation, subscription=Subscription)


def graphql_app() -> GraphQL:
    """The ``/graphql`` app: the schema, a session and the rooms per request, a depth limit."""
    return GraphQL(
        schema,
        context={"db": Depends(get_session), "rooms": Depends(get_rooms)},
        max_depth=8,
    )


__all__ = ["MessageType", "Mutation", "Query", "Subscription", "graphql_app", "schema"]
