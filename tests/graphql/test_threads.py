"""Sync resolvers run off the event loop: a slow one never delays other requests.

When no resolver of a schema is a coroutine function, the whole operation runs in a
worker thread (as Starlette's old GraphQLApp did). The test holds one GraphQL request
in a 200 ms ``time.sleep`` resolver while 20 REST requests are made on the same event
loop; each must answer in well under 200 ms.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio
import graphene
import httpx
import pytest
import strawberry

from hinted import App
from hinted.graphql import GraphQL, as_graphql_schema, has_async_resolvers

SLEEP = 0.2
resolver_threads: list[threading.Thread] = []


def slow_work() -> str:
    resolver_threads.append(threading.current_thread())
    time.sleep(SLEEP)
    return "done"


class GrapheneQuery(graphene.ObjectType):
    slow = graphene.String()

    def resolve_slow(root: Any, info: Any) -> str:
        return slow_work()


@strawberry.type
class StrawberryQuery:
    @strawberry.field
    def slow(self) -> str:
        return slow_work()


class AsyncGrapheneQuery(graphene.ObjectType):
    fast = graphene.String()

    async def resolve_fast(root: Any, info: Any) -> str:
        resolver_threads.append(threading.current_thread())
        return "fast"


SYNC_SCHEMAS = {
    "graphene": graphene.Schema(query=GrapheneQuery),
    "strawberry": strawberry.Schema(query=StrawberryQuery),
}


def make_app(schema: Any) -> App:
    app = App()
    app.mount("/graphql", GraphQL(schema))

    @app.get("/ping")
    async def ping() -> dict[str, bool]:
        return {"pong": True}

    return app


async def _race(app: App) -> tuple[float, list[float]]:
    transport = httpx.ASGITransport(app=app)
    durations: list[float] = []
    slow_time = 0.0
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        await client.get("/ping")  # build the app before timing anything

        async def slow() -> None:
            nonlocal slow_time
            started = time.perf_counter()
            answer = await client.post("/graphql", json={"query": "{ slow }"})
            slow_time = time.perf_counter() - started
            assert answer.json() == {"data": {"slow": "done"}}

        async def fast() -> None:
            started = time.perf_counter()
            answer = await client.get("/ping")
            durations.append(time.perf_counter() - started)
            assert answer.json() == {"pong": True}

        async with anyio.create_task_group() as group:
            group.start_soon(slow)
            while not resolver_threads:  # the resolver is sleeping from here on
                await anyio.sleep(0.001)
            for _ in range(20):
                group.start_soon(fast)
    return slow_time, durations


@pytest.mark.parametrize("name", list(SYNC_SCHEMAS))
def test_a_slow_sync_resolver_does_not_delay_rest_requests(name: str) -> None:
    resolver_threads.clear()
    schema = SYNC_SCHEMAS[name]
    assert not has_async_resolvers(as_graphql_schema(schema))
    slow_time, durations = anyio.run(_race, make_app(schema))
    assert slow_time >= SLEEP
    assert len(durations) == 20
    assert max(durations) < SLEEP / 2, durations
    assert resolver_threads[0] is not threading.main_thread()


def test_an_async_schema_runs_on_the_event_loop() -> None:
    resolver_threads.clear()
    schema = graphene.Schema(query=AsyncGrapheneQuery)
    assert has_async_resolvers(as_graphql_schema(schema))

    async def run() -> Any:
        transport = httpx.ASGITransport(app=make_app(schema))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return (await client.post("/graphql", json={"query": "{ fast }"})).json()

    assert anyio.run(run) == {"data": {"fast": "fast"}}
    assert resolver_threads == [threading.main_thread()]


def test_the_apps_thread_pool_size_bounds_graphql_too() -> None:
    resolver_threads.clear()
    app = App(thread_pool_size=1)
    app.mount("/graphql", GraphQL(SYNC_SCHEMAS["graphene"]))

    async def run() -> float:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def slow() -> None:
                await client.post("/graphql", json={"query": "{ slow }"})

            started = time.perf_counter()
            async with anyio.create_task_group() as group:
                for _ in range(2):
                    group.start_soon(slow)
            return time.perf_counter() - started

    assert anyio.run(run) >= 2 * SLEEP  # one thread: the two operations ran one after the other
