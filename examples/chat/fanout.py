"""Fan-out of stored messages to the rooms of their recipients, on every process.

Each stored entry is published once, to the channel ``room:<recipient>`` of
:class:`hinted.channels.Channels`: on Redis when ``REDIS_URL`` is set, so every process
of the service sees it, in memory otherwise (one process)::

    rooms = Rooms(create_channels(settings))
    await rooms.publish(stored)             # from async code
    rooms.publish_from_thread(stored)       # from a sync handler (the thread pool)
"""

from __future__ import annotations

from typing import Annotated

import anyio.from_thread

from examples.chat.models import StoredChatEntry
from examples.chat.settings import Settings
from hinted import Depends, HTTPConnection
from hinted.asyncapi import AsyncAPIChannel
from hinted.channels import Channels, RedisBackend


def room_channel(room: str) -> str:
    """The channel of a room: ``room:<name>``."""
    return f"room:{room}"


ROOM_CHANNEL = AsyncAPIChannel(
    room_channel("{room}"),
    messages=[StoredChatEntry],
    title="Room",
    description="Every stored message whose recipient is the room, for all the "
    "service's processes (Redis pub/sub when REDIS_URL is set).",
    parameters={"room": "The recipient's name"},
)
"""The pub/sub channel, for the AsyncAPI document."""


def create_channels(settings: Settings) -> Channels:
    """Redis pub/sub when ``REDIS_URL`` is set, so rooms span processes; else memory."""
    if settings.redis_url:
        return Channels(RedisBackend(settings.redis_url))
    return Channels()


class Rooms:
    """Publishes stored entries to their recipient's room."""

    def __init__(self, channels: Channels) -> None:
        self.channels = channels

    async def publish(self, entry: StoredChatEntry) -> None:
        """Deliver ``entry`` to every client of its recipient's room, on every process."""
        await self.channels.publish(room_channel(entry.recipient), entry)

    def publish_from_thread(self, entry: StoredChatEntry) -> None:
        """:meth:`publish` from a sync handler, which runs in a worker thread."""
        anyio.from_thread.run(self.publish, entry)


def get_rooms(connection: HTTPConnection) -> Rooms:
    """Dependency: the app's :class:`Rooms` (created by ``create_app``)."""
    rooms: Rooms = connection.app.state.rooms
    return rooms


RoomsDep = Annotated[Rooms, Depends(get_rooms)]
"""A handler parameter receiving the app's :class:`Rooms`."""

__all__ = [
    "ROOM_CHANNEL",
    "Rooms",
    "RoomsDep",
    "create_channels",
    "get_rooms",
    "room_channel",
]
