"""Subscriptions over WebSocket (graphql-transport-ws), fed by hinted.channels."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated, Any

import graphene
import pytest
from starlette.websockets import WebSocketDisconnect

from hinted import App, Depends, Header, HTTPException
from hinted.channels import Channels
from hinted.graphql import GRAPHQL_TRANSPORT_WS, GraphQL
from hinted.testclient import TestClient
from tests.graphql.schemas import SCHEMA_NAMES, SCHEMAS

Socket = Any  # starlette.testclient.WebSocketTestSession


def make_app(schema: Any, **options: Any) -> App:
    channels = Channels()
    app = App(lifespan=channels.lifespan)
    app.mount("/graphql", GraphQL(schema, channels=channels, **options))

    @app.post("/rooms/{room}/messages")
    async def post_message(room: str, text: str) -> dict[str, str]:
        await channels.publish(f"room:{room}", {"text": text})
        return {"posted": text}

    @app.get("/subscribers")
    def subscribers() -> int:
        return channels.health()["subscribers"]

    return app


@pytest.fixture(params=SCHEMA_NAMES)
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    with TestClient(make_app(SCHEMAS[request.param], connection_init_timeout=5)) as client:
        yield client


def connect(client: TestClient) -> Any:
    return client.websocket_connect("/graphql", subprotocols=[GRAPHQL_TRANSPORT_WS])


def initialise(socket: Socket, payload: dict[str, Any] | None = None) -> None:
    message: dict[str, Any] = {"type": "connection_init"}
    if payload is not None:
        message["payload"] = payload
    socket.send_json(message)
    assert socket.receive_json() == {"type": "connection_ack"}


def wait_for_subscribers(client: TestClient, count: int) -> None:
    deadline = time.monotonic() + 5
    while client.get("/subscribers").json() != count:
        assert time.monotonic() < deadline, "the subscription never reached the channel"
        time.sleep(0.01)


def test_the_handshake_chooses_the_protocol(client: TestClient) -> None:
    with connect(client) as socket:
        assert socket.accepted_subprotocol == GRAPHQL_TRANSPORT_WS
        initialise(socket)
        socket.send_json({"type": "ping"})
        assert socket.receive_json() == {"type": "pong"}


def test_a_subscription_streams_then_completes(client: TestClient) -> None:
    with connect(client) as socket:
        initialise(socket)
        socket.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {
                    "query": "subscription Count($to: Int!) { count(to: $to) }",
                    "variables": {"to": 3},
                },
            }
        )
        received = [socket.receive_json() for _ in range(4)]
    assert received == [
        {"id": "1", "type": "next", "payload": {"data": {"count": 1}}},
        {"id": "1", "type": "next", "payload": {"data": {"count": 2}}},
        {"id": "1", "type": "next", "payload": {"data": {"count": 3}}},
        {"id": "1", "type": "complete"},
    ]


def test_a_message_published_by_an_http_handler_reaches_the_subscriber(
    client: TestClient,
) -> None:
    with connect(client) as socket:
        initialise(socket)
        document = 'subscription { roomMessages(room: "lobby") }'
        socket.send_json({"id": "s1", "type": "subscribe", "payload": {"query": document}})
        wait_for_subscribers(client, 1)
        assert client.post("/rooms/lobby/messages", params={"text": "hello"}).status_code == 200
        client.post("/rooms/elsewhere/messages", params={"text": "not for us"})
        client.post("/rooms/lobby/messages", params={"text": "again"})
        assert socket.receive_json() == {
            "id": "s1",
            "type": "next",
            "payload": {"data": {"roomMessages": "hello"}},
        }
        assert socket.receive_json()["payload"] == {"data": {"roomMessages": "again"}}
        # The client stops it: no complete is sent back, the channel is released.
        socket.send_json({"id": "s1", "type": "complete"})
        wait_for_subscribers(client, 0)
        client.post("/rooms/lobby/messages", params={"text": "too late"})
        socket.send_json({"type": "ping"})
        assert socket.receive_json() == {"type": "pong"}


def test_disconnecting_ends_the_channel_subscription(client: TestClient) -> None:
    with connect(client) as socket:
        initialise(socket)
        document = 'subscription { roomMessages(room: "lobby") }'
        socket.send_json({"id": "s1", "type": "subscribe", "payload": {"query": document}})
        wait_for_subscribers(client, 1)
    wait_for_subscribers(client, 0)


def test_queries_and_mutations_run_over_the_socket_too(client: TestClient) -> None:
    with connect(client) as socket:
        initialise(socket)
        socket.send_json({"id": "q", "type": "subscribe", "payload": {"query": "{ hello }"}})
        assert socket.receive_json() == {
            "id": "q",
            "type": "next",
            "payload": {"data": {"hello": "Hello, world!"}},
        }
        assert socket.receive_json() == {"id": "q", "type": "complete"}
        mutation = 'mutation { addItem(name: "ws") { name } }'
        socket.send_json({"id": "m", "type": "subscribe", "payload": {"query": mutation}})
        assert socket.receive_json()["payload"] == {"data": {"addItem": {"name": "ws"}}}
        assert socket.receive_json() == {"id": "m", "type": "complete"}


def test_a_bad_document_is_an_error_message(client: TestClient) -> None:
    with connect(client) as socket:
        initialise(socket)
        socket.send_json(
            {"id": "e", "type": "subscribe", "payload": {"query": "subscription { nope }"}}
        )
        message = socket.receive_json()
        assert message["id"] == "e" and message["type"] == "error"
        assert (
            "Cannot query field 'nope' on type 'Subscription'." in message["payload"][0]["message"]
        )
        # The id is free again, and the connection still works.
        socket.send_json({"id": "e", "type": "subscribe", "payload": {"query": "{ hello }"}})
        assert socket.receive_json()["type"] == "next"


def test_wrong_variables_are_an_error_message(client: TestClient) -> None:
    with connect(client) as socket:
        initialise(socket)
        payload = {"query": "subscription($to: Int!) { count(to: $to) }", "variables": {"to": "x"}}
        socket.send_json({"id": "v", "type": "subscribe", "payload": payload})
        message = socket.receive_json()
        assert message["type"] == "error"
        assert "Int cannot represent non-integer value: 'x'" in message["payload"][0]["message"]


def _closed_with(socket: Socket) -> tuple[int, str]:
    with pytest.raises(WebSocketDisconnect) as closed:
        socket.receive_json()
    return closed.value.code, closed.value.reason


def test_subscribe_before_init_closes_4401(client: TestClient) -> None:
    with connect(client) as socket:
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": "{ hello }"}})
        assert _closed_with(socket) == (4401, "Unauthorized")


def test_a_second_init_closes_4429(client: TestClient) -> None:
    with connect(client) as socket:
        initialise(socket)
        socket.send_json({"type": "connection_init"})
        assert _closed_with(socket) == (4429, "Too many initialisation requests")


def test_a_duplicate_id_closes_4409(client: TestClient) -> None:
    with connect(client) as socket:
        initialise(socket)
        document = {"query": 'subscription { roomMessages(room: "x") }'}
        socket.send_json({"id": "dup", "type": "subscribe", "payload": document})
        socket.send_json({"id": "dup", "type": "subscribe", "payload": document})
        assert _closed_with(socket) == (4409, "Subscriber for dup already exists")


@pytest.mark.parametrize(
    "message",
    ['{"type": "subscribe"', '{"no": "type"}', '{"type": "mystery"}', '{"type": "subscribe"}'],
)
def test_an_invalid_message_closes_4400(client: TestClient, message: str) -> None:
    with connect(client) as socket:
        initialise(socket)
        socket.send_text(message)
        code, _ = _closed_with(socket)
        assert code == 4400


def test_another_subprotocol_closes_4406(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as socket:
        assert _closed_with(socket) == (4406, "Subprotocol not acceptable")


def test_no_init_in_time_closes_4408() -> None:
    app = make_app(SCHEMAS["graphene"], connection_init_timeout=0.05)
    with TestClient(app) as client, connect(client) as socket:
        assert _closed_with(socket) == (4408, "Connection initialisation timeout")


def test_subscription_context_has_the_socket_and_connection_params() -> None:
    class Query(graphene.ObjectType):
        seen = graphene.String()

        def resolve_seen(root: Any, info: Any) -> str:
            context = info.context
            assert context["request"] is context["websocket"]
            return f"{context['connection_params']['token']} {context['websocket'].url.path}"

    with TestClient(make_app(graphene.Schema(query=Query))) as client, connect(client) as socket:
        initialise(socket, {"token": "t0k"})
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": "{ seen }"}})
        assert socket.receive_json()["payload"] == {"data": {"seen": "t0k /graphql"}}


def test_context_dependencies_resolve_per_operation_with_the_handshake_headers() -> None:
    closed: list[str] = []

    def current_user(x_user: Annotated[str | None, Header()] = None) -> Iterator[str]:
        if x_user is None:
            raise HTTPException(401, "Not authenticated")
        yield x_user
        closed.append(x_user)

    class Query(graphene.ObjectType):
        whoami = graphene.String()

        def resolve_whoami(root: Any, info: Any) -> str:
            return str(info.context.user)

    schema = graphene.Schema(query=Query)
    channels = Channels()
    app = App(lifespan=channels.lifespan)
    app.mount("/graphql", GraphQL(schema, context={"user": Depends(current_user)}))
    with TestClient(app) as client:
        with client.websocket_connect(
            "/graphql", subprotocols=[GRAPHQL_TRANSPORT_WS], headers={"x-user": "ada"}
        ) as socket:
            initialise(socket)
            socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": "{ whoami }"}})
            assert socket.receive_json()["payload"] == {"data": {"whoami": "ada"}}
            assert socket.receive_json() == {"id": "1", "type": "complete"}
        assert closed == ["ada"]
        with connect(client) as socket:
            initialise(socket)
            socket.send_json({"id": "2", "type": "subscribe", "payload": {"query": "{ whoami }"}})
            assert socket.receive_json() == {
                "id": "2",
                "type": "error",
                "payload": [{"message": "Not authenticated", "extensions": {"status": 401}}],
            }
