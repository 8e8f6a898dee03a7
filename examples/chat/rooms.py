"""Live rooms: ``/ws/rooms/{room}`` delivers every message whose recipient is the room.

A room is a recipient's name. A client of ``/ws/rooms/dave`` receives, as JSON, each
``StoredChatEntry`` sent to ``dave`` from then on, whether it was sent by
``POST /messages`` or as a frame on any room socket, and on any process of the
service: messages go through :class:`hinted.channels.Channels`, on Redis when
``REDIS_URL`` is set, in memory otherwise (one process only).

A frame a client sends is a ``ChatEntry``; it is stored like ``POST /messages`` and
delivered to the room of its recipient (usually the room the client is in). A frame
that is not a valid ``ChatEntry`` is answered with an error frame; after ten of them
the socket is closed with 1007.

The fan-out itself is :mod:`examples.chat.fanout`.
"""

from __future__ import annotations

import time
from typing import Annotated

import anyio
import anyio.to_thread

from examples.chat.db import Database, get_database
from examples.chat.fanout import RoomsDep, room_channel
from examples.chat.models import ChatEntry, StoredChatEntry
from examples.chat.routes import create_message
from hinted import APIRouter, Depends, Path
from hinted.channels import SlowConsumerError, Subscription
from hinted.websockets import MessageOptions, TypedWebSocket, WebSocketDisconnect

GOING_AWAY = 1001
TRY_AGAIN_LATER = 1013

RoomSocket = Annotated[
    TypedWebSocket[ChatEntry, StoredChatEntry],
    MessageOptions(max_size=64 * 1024, max_bad_messages=10),
]
"""Clients send ``ChatEntry`` frames (64 KiB at most) and receive ``StoredChatEntry``."""

RoomName = Annotated[
    str,
    Path(min_length=1, max_length=200, description="The room: a recipient's name"),
]


DatabaseDep = Annotated[Database, Depends(get_database)]

router = APIRouter()


@router.websocket("/ws/rooms/{room}")
async def room_socket(
    ws: RoomSocket, room: RoomName, rooms: RoomsDep, database: DatabaseDep
) -> None:
    """Join a room: receive every message sent to it, send messages of your own.

    Each `ChatEntry` frame you send is stored like `POST /messages` and delivered to
    the room of its recipient. A bad frame gets an error frame; ten close the socket
    with 1007. The server closes with 1001 when it shuts down.
    """
    # Subscribed before accepting: once connected, the client misses nothing.
    async with rooms.channels.subscribe(room_channel(room)) as subscription:
        await ws.accept()
        async with anyio.create_task_group() as group:
            group.start_soon(_deliver, subscription, ws, group.cancel_scope)
            async for entry in ws:
                stored = await anyio.to_thread.run_sync(store_entry, database, entry)
                await rooms.publish(stored)
            group.cancel_scope.cancel()  # the client left: stop delivering


async def _deliver(subscription: Subscription, ws: RoomSocket, scope: anyio.CancelScope) -> None:
    """Send the room's messages to the client until it leaves or channels stop."""
    try:
        async for message in subscription:
            await ws.send(StoredChatEntry.model_validate_json(message.data))
        await ws.close(GOING_AWAY)  # channels stopped: the service is shutting down
    except SlowConsumerError:
        await ws.close(TRY_AGAIN_LATER)
    except WebSocketDisconnect:
        pass  # the client is gone; the receive loop ends too
    scope.cancel()


def store_entry(database: Database, entry: ChatEntry) -> StoredChatEntry:
    """Store ``entry`` as ``POST /messages`` does, in a session of its own."""
    with database.sessions() as session:
        return create_message(entry, session, now=time.time())


__all__ = ["RoomName", "RoomSocket", "room_socket", "router", "store_entry"]
