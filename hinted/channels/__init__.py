"""Publish/subscribe by channel name, in one process (memory) or many (Redis).

```python
from hinted import App, WebSocket
from hinted.channels import Channels

channels = Channels()  # Channels(RedisBackend("redis://127.0.0.1:6379/0")) across processes
app = App(lifespan=channels.lifespan)

@app.post("/rooms/{room}/messages")
async def post(room: str, text: str) -> None:
    await channels.publish(f"room:{room}", {"text": text})

@app.websocket("/ws/rooms/{room}")
async def ws(websocket: WebSocket, room: str) -> None:
    await channels.bridge(websocket, f"room:{room}")
```

Errors::

    ChannelsError
    ├── ChannelsUnavailableError   the broker cannot be reached (publish during an outage)
    ├── ChannelsNotStartedError    used before ``start()`` / outside the app's lifespan
    └── SlowConsumerError          a subscription fell too far behind ("disconnect" policy)
"""

from hinted.channels.backends.base import (
    BackendHealth,
    ChannelBackend,
    ChannelsError,
    ChannelsNotStartedError,
    ChannelsUnavailableError,
    SlowConsumerError,
)
from hinted.channels.backends.memory import MemoryBackend
from hinted.channels.backends.redis import RedisBackend
from hinted.channels.hub import Channels, ChannelsHealth
from hinted.channels.subscription import ChannelMessage, Overflow, Subscription

__all__ = [
    "BackendHealth",
    "ChannelBackend",
    "ChannelMessage",
    "Channels",
    "ChannelsError",
    "ChannelsHealth",
    "ChannelsNotStartedError",
    "ChannelsUnavailableError",
    "MemoryBackend",
    "Overflow",
    "RedisBackend",
    "SlowConsumerError",
    "Subscription",
]
