import os

from hinted import App, WebSocket
from hinted.channels import Channels, MemoryBackend, RedisBackend

redis_url = os.environ.get("REDIS_URL")
channels = Channels(
    RedisBackend(redis_url) if redis_url else MemoryBackend(),
    queue_size=500,
    overflow="disconnect",
)
app = App(lifespan=channels.lifespan)


@app.websocket("/ws/rooms/{room}")
async def room(websocket: WebSocket, room: str) -> None:
    await channels.bridge(websocket, f"room:{room}")
