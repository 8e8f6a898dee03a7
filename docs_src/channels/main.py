from typing import Any

from pydantic import BaseModel, Field

from hinted import App, WebSocket
from hinted.channels import Channels

channels = Channels()
app = App(lifespan=channels.lifespan)


class ChatEntry(BaseModel):
    message: str = Field(min_length=1)
    recipient: str
    author: str | None = None


@app.post("/messages", status_code=202)
async def send_message(entry: ChatEntry) -> dict[str, str]:
    await channels.publish(f"room:{entry.recipient}", entry)
    return {"status": "sent"}


@app.websocket("/ws/rooms/{room}")
async def room(websocket: WebSocket, room: str) -> None:
    await channels.bridge(websocket, f"room:{room}", incoming=ChatEntry)


@app.get("/health/channels")
async def channels_health() -> dict[str, Any]:
    return dict(channels.health())
