"""The app test_cluster.py runs as several uvicorn processes sharing one Redis.

``REDIS_URL`` names the Redis. ``POST /publish/{channel}`` publishes each item of a
JSON list, in order (pipelined); ``/ws/{channel}`` bridges a WebSocket to the channel;
``/tasks`` counts the process's asyncio tasks (leak checks).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from hinted import App, WebSocket
from hinted.channels import Channels, RedisBackend

channels = Channels(
    RedisBackend(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")),
    queue_size=20_000,
)
app = App(lifespan=channels.lifespan)


@app.post("/publish/{channel}")
async def publish(channel: str, messages: list[Any]) -> dict[str, int]:
    await channels.publish_many(channel, messages)
    return {"published": len(messages)}


@app.websocket("/ws/{channel}")
async def bridge(websocket: WebSocket, channel: str) -> None:
    await channels.bridge(websocket, channel)


@app.get("/health")
async def health() -> dict[str, Any]:
    return dict(channels.health())


@app.get("/tasks")
async def tasks() -> int:
    return len(asyncio.all_tasks())
