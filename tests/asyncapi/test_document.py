"""The AsyncAPI 3.0 document: built from the WebSocket routes and declared channels."""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field

from hinted import APIRouter, App, Depends, Header, Path, Query, WebSocket
from hinted.asyncapi import AsyncAPIChannel
from hinted.testclient import TestClient
from hinted.websockets import MessageOptions, TypedWebSocket


class ChatEntry(BaseModel):
    """A chat message."""

    message: str = Field(description="Message body")
    recipient: str


class Joined(BaseModel):
    kind: Literal["joined"] = "joined"
    user: str


class Left(BaseModel):
    kind: Literal["left"] = "left"
    user: str


Presence = Annotated[Joined | Left, Field(discriminator="kind")]


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


def token(x_token: Annotated[str, Header(description="Access token")]) -> str:
    return x_token


def make_app(**options: Any) -> App:
    app = App(
        title="Rooms",
        version="2.0.0",
        description="Live rooms.",
        asyncapi_channels=[
            AsyncAPIChannel(
                "room:{room}",
                messages=[ChatEntry],
                description="Every entry posted to a room, on every process",
                parameters={"room": "The room's name"},
            ),
            AsyncAPIChannel("audit", messages=[ChatEntry, Joined], subscribes=False),
        ],
        **options,
    )

    @app.websocket("/ws/rooms/{room}", dependencies=[Depends(token)])
    async def room_socket(
        ws: Annotated[TypedWebSocket[ChatEntry, ChatEntry | Presence], MessageOptions()],
        room: Annotated[str, Path(description="Room name", examples=["lobby"])],
        since: Annotated[float | None, Query(description="Replay from here")] = None,
    ) -> None:
        """Join a room: send entries, receive everyone's.

        More prose.
        """

    @app.websocket("/ws/paint/{color}")
    async def paint(ws: TypedWebSocket[list[int], int], color: Color) -> None:
        pass

    @app.websocket("/ws/raw")
    async def raw(websocket: WebSocket) -> None:
        pass

    @app.get("/messages")
    def messages() -> list[ChatEntry]:
        return []

    router = APIRouter(prefix="/v1")

    @router.websocket("/echo/{number:int}")
    async def echo(ws: TypedWebSocket[ChatEntry, ChatEntry], number: int) -> None:
        pass

    app.include_router(router)
    return app


@pytest.fixture
def document() -> dict[str, Any]:
    return make_app().asyncapi()


def test_the_document_validates_against_the_asyncapi_3_schema(
    document: dict[str, Any], validate_asyncapi: Any
) -> None:
    assert document["asyncapi"] == "3.0.0"
    validate_asyncapi(document)


def test_the_validator_is_not_vacuous(document: dict[str, Any], validate_asyncapi: Any) -> None:
    broken = {**document, "operations": {"x": {"action": "publish", "channel": {}}}}
    with pytest.raises(AssertionError, match="publish"):
        validate_asyncapi(broken)


def test_info_and_channels(document: dict[str, Any]) -> None:
    assert document["info"] == {"title": "Rooms", "version": "2.0.0", "description": "Live rooms."}
    assert document["defaultContentType"] == "application/json"
    assert list(document["channels"]) == [
        "room_socket",
        "paint",
        "raw",
        "echo",
        "room__room_",
        "audit",
    ]


def test_a_route_is_a_channel_with_its_parameters_and_bindings(document: dict[str, Any]) -> None:
    channel = document["channels"]["room_socket"]
    assert channel["address"] == "/ws/rooms/{room}"
    assert channel["description"] == "Join a room: send entries, receive everyone's.\n\nMore prose."
    assert channel["parameters"] == {"room": {"description": "Room name", "examples": ["lobby"]}}
    binding = channel["bindings"]["ws"]
    assert binding["method"] == "GET"
    assert binding["bindingVersion"] == "0.1.0"
    assert binding["query"] == {
        "type": "object",
        "properties": {
            "since": {
                "anyOf": [{"type": "number"}, {"type": "null"}],
                "description": "Replay from here",
            }
        },
    }
    # The route's dependency reads a header: the plan's values, not just the handler's.
    assert binding["headers"] == {
        "type": "object",
        "properties": {"x-token": {"type": "string", "description": "Access token"}},
        "required": ["x-token"],
    }


def test_typed_messages_become_receive_and_send_operations(document: dict[str, Any]) -> None:
    channel = document["channels"]["room_socket"]
    assert list(channel["messages"]) == ["ChatEntry", "Joined", "Left", "ErrorFrame"]
    receive = document["operations"]["room_socket.receive"]
    send = document["operations"]["room_socket.send"]
    assert receive["action"] == "receive"
    assert receive["channel"] == {"$ref": "#/channels/room_socket"}
    assert receive["messages"] == [{"$ref": "#/channels/room_socket/messages/ChatEntry"}]
    assert send["action"] == "send"
    assert [ref["$ref"].rsplit("/", 1)[1] for ref in send["messages"]] == [
        "ChatEntry",
        "Joined",
        "Left",
        "ErrorFrame",
    ]


def test_payloads_are_the_models_json_schemas(document: dict[str, Any]) -> None:
    components = document["components"]
    message = components["messages"]["ChatEntry"]
    assert message["payload"] == {"$ref": "#/components/schemas/ChatEntry"}
    assert message["contentType"] == "application/json"
    assert message["summary"] == "A chat message."
    schema = components["schemas"]["ChatEntry"]
    assert schema["properties"]["message"]["description"] == "Message body"
    assert schema["required"] == ["message", "recipient"]
    error = components["schemas"]["ErrorFrame"]
    assert error["properties"]["type"]["const"] == "error"


def test_non_model_messages_are_named_after_the_route(document: dict[str, Any]) -> None:
    channel = document["channels"]["paint"]
    assert list(channel["messages"]) == ["paint_incoming", "paint_outgoing", "ErrorFrame"]
    messages = document["components"]["messages"]
    assert messages["paint_incoming"]["payload"] == {"items": {"type": "integer"}, "type": "array"}
    assert messages["paint_outgoing"]["payload"] == {"type": "integer"}
    assert channel["parameters"] == {"color": {"enum": ["red", "blue"]}}


def test_a_route_prefix_and_path_convertors(document: dict[str, Any]) -> None:
    channel = document["channels"]["echo"]
    assert channel["address"] == "/v1/echo/{number}"
    assert channel["parameters"] == {"number": {"x-type": "integer"}}


def test_an_untyped_route_has_operations_without_messages(document: dict[str, Any]) -> None:
    assert "messages" not in document["channels"]["raw"]
    assert document["operations"]["raw.receive"] == {
        "action": "receive",
        "channel": {"$ref": "#/channels/raw"},
        "summary": "Messages a client sends to /ws/raw",
    }


def test_declared_channels(document: dict[str, Any]) -> None:
    room = document["channels"]["room__room_"]
    assert room == {
        "address": "room:{room}",
        "description": "Every entry posted to a room, on every process",
        "parameters": {"room": {"description": "The room's name"}},
        "messages": {"ChatEntry": {"$ref": "#/components/messages/ChatEntry"}},
    }
    operations = document["operations"]
    assert operations["room__room_.send"]["action"] == "send"
    assert operations["room__room_.receive"]["action"] == "receive"
    assert "audit.receive" not in operations
    assert list(document["channels"]["audit"]["messages"]) == ["ChatEntry", "Joined"]


def test_discriminators_are_asyncapi_strings() -> None:
    app = App()

    @app.websocket("/presence")
    async def presence(ws: TypedWebSocket[Presence, Presence]) -> None:
        pass

    document = app.asyncapi()
    text = str(document)
    assert "propertyName" not in text
    assert list(document["channels"]["presence"]["messages"]) == ["Joined", "Left", "ErrorFrame"]


def test_a_channel_address_with_undeclared_parameters_is_refused() -> None:
    with pytest.raises(ValueError, match="user"):
        AsyncAPIChannel("room:{room}", parameters={"user": "who"})


def test_served_at_asyncapi_json_and_hidden_from_openapi() -> None:
    client = TestClient(make_app())
    response = client.get("/asyncapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["servers"] == {"app": {"host": "testserver", "protocol": "ws"}}
    assert list(document)[:3] == ["asyncapi", "info", "servers"]
    paths = client.get("/openapi.json").json()["paths"]
    assert list(paths) == ["/messages"]


def test_the_server_is_the_one_the_client_reached(validate_asyncapi: Any) -> None:
    client = TestClient(make_app(), base_url="https://chat.example", root_path="/api")
    document = client.get("/asyncapi.json").json()
    assert document["servers"] == {
        "app": {"host": "chat.example", "protocol": "wss", "pathname": "/api"}
    }
    validate_asyncapi(document)


def test_urls_are_configurable_and_can_be_turned_off() -> None:
    client = TestClient(make_app(asyncapi_url="/events.json", asyncapi_docs_url="/events"))
    assert client.get("/events.json").status_code == 200
    assert "/events.json" in client.get("/events").text
    assert client.get("/asyncapi.json").status_code == 404

    off = TestClient(make_app(asyncapi_url=None))
    assert off.get("/asyncapi.json").status_code == 404
    assert off.get("/asyncapi").status_code == 404

    no_page = TestClient(make_app(asyncapi_docs_url=None))
    assert no_page.get("/asyncapi.json").status_code == 200
    assert no_page.get("/asyncapi").status_code == 404


def test_the_page_loads_only_the_apps_own_assets() -> None:
    client = TestClient(make_app(), root_path="/api")
    page = client.get("/asyncapi")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "<title>Rooms - AsyncAPI</title>" in text
    assert 'src="/api/_hinted/static/@asyncapi/react-component/asyncapi-standalone.js"' in text
    assert 'href="/api/_hinted/static/@asyncapi/react-component/default.min.css"' in text
    assert '"url": "/api/asyncapi.json"' in text
    assert "http" not in text.replace("http-equiv", "")


def test_the_page_works_without_the_openapi_docs() -> None:
    client = TestClient(make_app(openapi_url=None))
    assert client.get("/docs").status_code == 404
    assert client.get("/asyncapi").status_code == 200
    asset = client.get("/_hinted/static/@asyncapi/react-component/default.min.css")
    assert asset.status_code == 200


def test_the_document_is_built_once() -> None:
    app = make_app()
    assert app.asyncapi() is app.asyncapi()


def test_an_app_without_websockets_has_an_empty_valid_document(validate_asyncapi: Any) -> None:
    document = App(title="Plain").asyncapi()
    assert document == {
        "asyncapi": "3.0.0",
        "info": {"title": "Plain", "version": "0.1.0"},
        "defaultContentType": "application/json",
        "channels": {},
        "operations": {},
    }
    validate_asyncapi(document)


def test_the_chat_demo_document_is_valid(validate_asyncapi: Any, tmp_path: Any) -> None:
    from examples.chat.app import create_app
    from examples.chat.settings import Settings

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'chat.db'}"))
    document = app.asyncapi()
    validate_asyncapi(document)
    assert document["channels"]["room_socket"]["parameters"] == {
        "room": {"description": "The room: a recipient's name"}
    }
