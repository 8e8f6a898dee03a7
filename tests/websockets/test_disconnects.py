"""Clients that vanish: iteration ends cleanly and nothing is left running.

A real uvicorn server, clients that reset their TCP connection mid-conversation, and
a count of the event loop's tasks before and after.
"""

from __future__ import annotations

import asyncio
import json

import anyio
from pydantic import BaseModel

from hinted import App
from hinted.websockets import TypedWebSocket, WebSocketDisconnect
from tests._live import serve
from tests.websockets._live import RawClient, wait_until


class Note(BaseModel):
    text: str


def make_app(ended: list[str]) -> App:
    app = App()

    @app.get("/tasks")
    async def tasks() -> int:
        return len(asyncio.all_tasks())

    @app.websocket("/echo")
    async def echo(ws: TypedWebSocket[Note, Note]) -> None:
        async for note in ws:
            await ws.send(note)
        ended.append("echo")

    @app.websocket("/ticker")
    async def ticker(ws: TypedWebSocket[Note, Note]) -> None:
        # A reader and a writer, as a room bridge has: the writer keeps sending while
        # the client is gone; both end when it is.
        async def write() -> None:
            number = 0
            while True:
                number += 1
                await ws.send(Note(text=f"tick {number}"))
                await anyio.sleep(0.005)

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(write)
                async for _ in ws:
                    pass
                group.cancel_scope.cancel()
        except* WebSocketDisconnect:
            pass
        ended.append("ticker")

    return app


def task_count(base_url: str) -> int:
    import httpx

    return int(httpx.get(f"{base_url}/tasks").json())


def test_abrupt_disconnects_end_the_iteration_and_leak_no_tasks() -> None:
    ended: list[str] = []
    with serve(make_app(ended)) as base_url:
        before = task_count(base_url)
        clients = [RawClient(base_url, "/echo") for _ in range(20)]
        for number, client in enumerate(clients):
            assert client.status == 101
            client.send_text(json.dumps({"text": f"hello {number}"}))
            assert json.loads(client.receive_text()) == {"text": f"hello {number}"}
        busy = task_count(base_url)
        assert busy >= before + 20  # one task per connection at least
        for client in clients:
            client.abort()
        assert wait_until(lambda: len(ended) == 20), ended
        assert wait_until(lambda: task_count(base_url) <= before), (before, task_count(base_url))


def test_a_writer_to_a_vanished_client_stops_too() -> None:
    ended: list[str] = []
    with serve(make_app(ended)) as base_url:
        before = task_count(base_url)
        clients = [RawClient(base_url, "/ticker") for _ in range(10)]
        for client in clients:
            assert json.loads(client.receive_text())["text"].startswith("tick")
        for client in clients:
            client.abort()
        assert wait_until(lambda: ended.count("ticker") == 10), ended
        assert wait_until(lambda: task_count(base_url) <= before), (before, task_count(base_url))


def test_a_client_that_leaves_mid_message_is_not_an_error() -> None:
    ended: list[str] = []
    with serve(make_app(ended)) as base_url:
        client = RawClient(base_url, "/echo")
        client.sock.sendall(b"\x81\xfe\x01\x00")  # a text frame of 256 bytes, never sent
        client.abort()
        assert wait_until(lambda: ended == ["echo"]), ended
