import anyio
from pydantic import BaseModel

from hinted import App
from hinted.asyncapi import AsyncAPIChannel
from hinted.channels import Channels, Subscription
from hinted.websockets import TypedWebSocket

channels = Channels()  # Channels(RedisBackend(url)) to span processes


class Note(BaseModel):
    room: str
    text: str


app = App(
    lifespan=channels.lifespan,
    asyncapi_channels=[AsyncAPIChannel("notes:{room}", messages=[Note])],
)

RoomSocket = TypedWebSocket[Note, Note]


@app.post("/notes", status_code=202)
async def post_note(note: Note) -> Note:
    """Deliver a note to everyone in its room."""
    await channels.publish(f"notes:{note.room}", note)
    return note


@app.websocket("/rooms/{room}")
async def join(ws: RoomSocket, room: str) -> None:
    """Receive the room's notes; the notes you send go to their room."""
    async with channels.subscribe(f"notes:{room}") as subscription:
        await ws.accept()
        async with anyio.create_task_group() as group:
            group.start_soon(deliver, subscription, ws)
            async for note in ws:
                await channels.publish(f"notes:{note.room}", note)
            group.cancel_scope.cancel()


async def deliver(subscription: Subscription, ws: RoomSocket) -> None:
    async for message in subscription:
        await ws.send(Note.model_validate_json(message.data))
