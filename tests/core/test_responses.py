"""Responses: serialisation, response models, response classes, status codes."""

import dataclasses
import datetime
import decimal
import uuid
from typing import Any

import pytest
from pydantic import BaseModel, Field

from hinted import APIRouter, App, Response
from hinted.responses import HTMLResponse, JSONResponse, ORJSONResponse, PlainTextResponse
from hinted.testclient import TestClient


class PublicUser(BaseModel):
    username: str
    full_name: str | None = None


class StoredUser(PublicUser):
    password_hash: str


class Item(BaseModel):
    name: str
    description: str | None = None
    price: float = 10.0
    tax: float | None = None
    tags: list[str] = Field(default_factory=list)
    internal_code: str = Field("c", serialization_alias="code")


@dataclasses.dataclass
class Point:
    x: int
    when: datetime.date


def test_plain_values_are_serialised() -> None:
    app = App()
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    values: dict[str, Any] = {
        "dict": {"a": 1, "nested": {"b": [1, 2]}},
        "list": [1, "two", None],
        "int": 3,
        "str": "text",
        "none": None,
        "model": PublicUser(username="ann"),
        "dataclass": Point(1, datetime.date(2024, 1, 2)),
        "datetime": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "uuid": ident,
        "decimal": decimal.Decimal("1.50"),
    }
    for name, value in values.items():
        app.add_api_route(f"/{name}", lambda value=value: value)

    client = TestClient(app)
    assert client.get("/dict").json() == {"a": 1, "nested": {"b": [1, 2]}}
    assert client.get("/list").json() == [1, "two", None]
    assert client.get("/int").json() == 3
    assert client.get("/str").json() == "text"
    assert client.get("/none").json() is None
    assert client.get("/model").json() == {"username": "ann", "full_name": None}
    assert client.get("/dataclass").json() == {"x": 1, "when": "2024-01-02"}
    assert client.get("/datetime").json() == "2024-01-02T03:04:05Z"
    assert client.get("/uuid").json() == str(ident)
    assert client.get("/decimal").json() == "1.50"


def test_response_model_filters_a_subclass_with_a_secret() -> None:
    app = App()
    stored = StoredUser(username="ann", password_hash="s3cret")

    @app.get("/by-annotation")
    async def by_annotation() -> PublicUser:
        return stored

    @app.get("/by-option", response_model=PublicUser)
    async def by_option() -> Any:
        return stored

    @app.get("/list", response_model=list[PublicUser])
    async def as_list() -> Any:
        return [stored, {"username": "bob", "password_hash": "x"}]

    @app.get("/dict")
    async def from_dict() -> PublicUser:
        return {"username": "cy", "password_hash": "x"}  # type: ignore[return-value]

    client = TestClient(app)
    for path in ("/by-annotation", "/by-option"):
        response = client.get(path)
        assert response.json() == {"username": "ann", "full_name": None}, path
        assert "s3cret" not in response.text
    assert client.get("/list").json() == [
        {"username": "ann", "full_name": None},
        {"username": "bob", "full_name": None},
    ]
    assert client.get("/dict").json() == {"username": "cy", "full_name": None}


def test_response_model_that_does_not_fit_is_a_500() -> None:
    app = App()

    @app.get("/bad")
    async def bad() -> PublicUser:
        return {"name": "no username"}  # type: ignore[return-value]

    @app.get("/bad-custom-class", response_class=PlainTextResponse)
    async def bad_custom() -> int:
        return "not a number"  # type: ignore[return-value]

    client = TestClient(app, raise_server_exceptions=False)
    for path in ("/bad", "/bad-custom-class"):
        response = client.get(path)
        assert (response.status_code, response.json()) == (
            500,
            {"detail": "Internal Server Error"},
        ), path


def test_response_model_options() -> None:
    app = App()
    item = Item(name="pen", tax=None, tags=["a"])
    app.add_api_route(
        "/include", lambda: item, response_model=Item, response_model_include={"name"}
    )
    app.add_api_route(
        "/exclude", lambda: item, response_model=Item, response_model_exclude={"tags", "price"}
    )
    app.add_api_route(
        "/unset", lambda: item, response_model=Item, response_model_exclude_unset=True
    )
    app.add_api_route(
        "/defaults", lambda: item, response_model=Item, response_model_exclude_defaults=True
    )
    app.add_api_route("/none", lambda: item, response_model=Item, response_model_exclude_none=True)
    app.add_api_route("/by-name", lambda: item, response_model=Item, response_model_by_alias=False)
    client = TestClient(app)
    assert client.get("/include").json() == {"name": "pen"}
    assert client.get("/exclude").json() == {
        "name": "pen",
        "description": None,
        "tax": None,
        "code": "c",
    }
    assert client.get("/unset").json() == {"name": "pen", "tax": None, "tags": ["a"]}
    assert client.get("/defaults").json() == {"name": "pen", "tags": ["a"]}
    assert client.get("/none").json() == {"name": "pen", "price": 10.0, "tags": ["a"], "code": "c"}
    assert client.get("/by-name").json()["internal_code"] == "c"


def test_response_model_none_disables_filtering() -> None:
    app = App()

    @app.get("/raw", response_model=None)
    async def raw() -> PublicUser:
        return StoredUser(username="ann", password_hash="visible on purpose")

    assert TestClient(app).get("/raw").json()["password_hash"] == "visible on purpose"


def test_status_codes_and_204_without_body() -> None:
    app = App()

    @app.post("/created", status_code=201)
    async def created() -> dict[str, bool]:
        return {"created": True}

    @app.delete("/gone", status_code=204)
    async def gone() -> None:
        return None

    @app.delete("/gone-html", status_code=204, response_class=HTMLResponse)
    async def gone_html() -> None:
        return None

    client = TestClient(app)
    response = client.post("/created")
    assert (response.status_code, response.json()) == (201, {"created": True})
    for path in ("/gone", "/gone-html"):
        response = client.delete(path)
        assert response.status_code == 204, path
        assert response.content == b"", path
        assert "content-length" not in response.headers or response.headers["content-length"] == "0"


def test_response_classes() -> None:
    app = App(default_response_class=PlainTextResponse)

    @app.get("/default")
    async def default() -> str:
        return "plain by default"

    @app.get("/html", response_class=HTMLResponse)
    async def html() -> str:
        return "<h1>hi</h1>"

    @app.get("/orjson", response_class=ORJSONResponse)
    async def fast() -> dict[str, Any]:
        return {"when": datetime.date(2024, 1, 2), "n": 1}

    @app.get("/json", response_class=JSONResponse)
    async def json() -> list[int]:
        return [1, 2]

    router = APIRouter(default_response_class=HTMLResponse)

    @router.get("/router-default")
    async def router_default() -> str:
        return "<p>router</p>"

    app.include_router(router)
    client = TestClient(app)
    response = client.get("/default")
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "plain by default"
    response = client.get("/html")
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "<h1>hi</h1>"
    response = client.get("/orjson")
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"when": "2024-01-02", "n": 1}
    assert client.get("/json").json() == [1, 2]
    response = client.get("/router-default")
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "<p>router</p>"


def test_returned_response_passes_through_untouched() -> None:
    app = App()

    @app.get("/custom", status_code=201, response_model=PublicUser)
    async def custom() -> Response:
        return Response(b"\x00raw bytes", status_code=299, media_type="application/octet-stream")

    response = TestClient(app).get("/custom")
    assert response.status_code == 299
    assert response.content == b"\x00raw bytes"
    assert response.headers["content-type"] == "application/octet-stream"


@pytest.mark.parametrize("cls", [JSONResponse, PlainTextResponse])
def test_response_class_gets_headers_set_on_the_response_parameter(cls: type[Response]) -> None:
    app = App()

    @app.get("/h", response_class=cls)
    async def handler(response: Response) -> str:
        response.headers["x-extra"] = "1"
        return "body"

    response = TestClient(app).get("/h")
    assert response.headers["x-extra"] == "1"
