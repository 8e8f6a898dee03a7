"""Subscriptions fed by :mod:`hinted.channels`: what anyone publishes, a subscriber sees.

A subscription resolver is an async generator; :func:`channel_stream` is one over
channel messages, decoded from JSON. With a Redis backend the messages may come
from any process of the cluster: a REST handler, a worker, another GraphQL mutation.

Graphene::

    class Subscription(graphene.ObjectType):
        message_posted = graphene.Field(MessageType, room=graphene.String(required=True))

        async def subscribe_message_posted(root, info, room):
            async for data in channel_stream(info.context.channels, f"room:{room}"):
                yield data

        def resolve_message_posted(data, info, room):
            return data

Strawberry::

    @strawberry.type
    class Subscription:
        @strawberry.subscription
        async def message_posted(self, info: Info, room: str) -> AsyncIterator[Message]:
            async for data in channel_stream(info.context["channels"], f"room:{room}"):
                yield Message(**data)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hinted.channels import ChannelMessage, Channels


def _json(message: ChannelMessage) -> Any:
    return message.json()


async def channel_stream(
    channels: Channels,
    *names: str,
    decode: Callable[[ChannelMessage], Any] = _json,
) -> AsyncIterator[Any]:
    """Yield each message published to ``names`` from now on, decoded (JSON by default).

    The channel subscription ends when the GraphQL subscription does: the client
    sends ``complete``, disconnects, or the server stops.
    """
    async with channels.subscribe(*names) as subscription:
        async for message in subscription:
            yield decode(message)


__all__ = ["channel_stream"]
