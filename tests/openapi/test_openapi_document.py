"""A kitchen-sink app's document: valid OpenAPI 3.1, every $ref resolves, cached, typed."""

from __future__ import annotations

import datetime
import enum
import json
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel, Field, TypeAdapter, computed_field, create_model

from hinted import (
    APIRouter,
    App,
    Body,
    Cookie,
    Depends,
    File,
    Form,
    Header,
    HTTPException,
    Path,
    Query,
    UploadFile,
)
from hinted._plan import build_plan
from hinted.openapi.models import OpenAPI
from hinted.responses import HTMLResponse, PlainTextResponse
from hinted.routing import APIRoute
from hinted.testclient import TestClient


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Tag(BaseModel):
    label: str = Field(max_length=20, description="A short label")


class Item(BaseModel):
    """An item for sale."""

    name: str
    price: float = Field(gt=0)
    tags: list[Tag] = []
    color: Color | None = None
    parent: Item | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def price_with_tax(self) -> float:
        return self.price * 1.2


class Message(BaseModel):
    message: str


ShopItem = create_model("Item", __module__="shop.models", sku=(str, ...))
BlogItem = create_model("Item", __module__="blog.models", slug=(str, ...))


def common(
    x_request_id: Annotated[str | None, Header(description="Trace id")] = None,
    session: Annotated[str | None, Cookie()] = None,
) -> str | None:
    return x_request_id


def kitchen_sink() -> App:
    """One route per feature of the generator."""
    app = App(
        title="Kitchen sink",
        version="1.2.3",
        summary="Everything at once",
        description="All the *features*.",
        openapi_tags=[{"name": "items", "description": "Things to sell"}],
        servers=[{"url": "https://api.example.com", "description": "Production"}],
        terms_of_service="https://example.com/terms",
        contact={"name": "Team", "email": "team@example.com"},
        license_info={"name": "MIT", "identifier": "MIT"},
    )
    router = APIRouter(prefix="/items", tags=["items"])

    @router.get("/{item_id}", responses={404: {"model": Message, "description": "Missing"}})
    def read_item(
        item_id: Annotated[int, Path(ge=1, description="The item")],
        colors: Annotated[list[Color], Query(default_factory=list)],
        q: Annotated[str | None, Query(max_length=10, alias="search")] = None,
        since: datetime.date | None = None,
        trace: str | None = Depends(common),
    ) -> Item:
        """Read one item.

        It must exist.
        """
        raise HTTPException(404)

    @router.post("", status_code=201)
    def create_item(item: Item) -> Item:
        return item

    @router.put("/{item_id}")
    def replace_item(item_id: int, item: Item, note: Annotated[str, Body()] = "") -> Item:
        return item

    @router.delete("/{item_id}", status_code=204, deprecated=True)
    def delete_item(item_id: int) -> None:
        return None

    app.include_router(router)

    @app.post("/upload")
    async def upload(
        file: UploadFile,
        extra: Annotated[list[bytes], File()],
        title: Annotated[str, Form(min_length=1)],
    ) -> dict[str, int]:
        return {"size": len(await file.read())}

    @app.post("/login")
    def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> Message:
        return Message(message=username)

    @app.get("/page", response_class=HTMLResponse)
    def page() -> str:
        return "<p>hi</p>"

    @app.get("/text", response_class=PlainTextResponse)
    def text() -> str:
        return "hi"

    @app.get("/shop", tags=["shop"])
    def shop() -> list[ShopItem]:  # type: ignore[valid-type]
        return []

    @app.get("/blog")
    def blog() -> list[BlogItem]:  # type: ignore[valid-type]
        return []

    @app.get("/hidden", include_in_schema=False)
    def hidden() -> None:
        return None

    @app.api_route("/multi", methods=["GET", "POST"])
    def multi() -> Message:
        return Message(message="multi")

    @app.post("/raw", openapi_extra={"x-internal": True})
    def raw(payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    @app.webhooks.post("/item-created")
    def item_created(item: Item) -> None:
        return None

    return app


def qualified(name: str) -> str:
    """The component name of a model of this module whose short name is taken."""
    return __name__.replace(".", "__") + "__" + name


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return kitchen_sink().openapi()


def refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` value in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_ref_resolves(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    found = list(refs(document))
    assert found
    for ref in found:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_the_document_matches_the_models(document: dict[str, Any]) -> None:
    TypeAdapter(OpenAPI).validate_python(document, strict=False)


def test_the_document_is_json(document: dict[str, Any]) -> None:
    assert json.loads(json.dumps(document)) == document


def test_info_servers_and_tags(document: dict[str, Any]) -> None:
    assert document["info"] == {
        "title": "Kitchen sink",
        "version": "1.2.3",
        "summary": "Everything at once",
        "description": "All the *features*.",
        "termsOfService": "https://example.com/terms",
        "contact": {"name": "Team", "email": "team@example.com"},
        "license": {"name": "MIT", "identifier": "MIT"},
    }
    assert document["servers"] == [{"url": "https://api.example.com", "description": "Production"}]
    assert document["tags"] == [{"name": "items", "description": "Things to sell"}]


def test_paths_list_the_documented_routes_only(document: dict[str, Any]) -> None:
    assert list(document["paths"]) == [
        "/items/{item_id}",
        "/items",
        "/upload",
        "/login",
        "/page",
        "/text",
        "/shop",
        "/blog",
        "/multi",
        "/raw",
    ]
    assert list(document["paths"]["/items/{item_id}"]) == ["get", "put", "delete"]
    assert "/openapi.json" not in document["paths"]
    assert "/docs" not in document["paths"]


def test_webhooks(document: dict[str, Any]) -> None:
    operation = document["webhooks"]["/item-created"]["post"]
    assert operation["operationId"] == "item_created_item_created_post"
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/" + qualified("Item-Input")}


def test_the_document_is_built_once() -> None:
    app = kitchen_sink()
    first = app.openapi()
    assert app.openapi() is first
    client = TestClient(app)
    assert client.get("/openapi.json").json() == json.loads(json.dumps(first))
    assert app.openapi() is first


def test_the_validation_error_schema_describes_what_the_app_sends(
    document: dict[str, Any],
) -> None:
    app = kitchen_sink()
    answer = TestClient(app).get("/items/0", params={"search": "x" * 11})
    assert answer.status_code == 422
    schemas = document["components"]["schemas"]
    body = answer.json()
    assert set(body) <= set(schemas["HTTPValidationError"]["properties"])
    error_properties = schemas["ValidationError"]["properties"]
    for error in body["detail"]:
        assert set(schemas["ValidationError"]["required"]) <= set(error)
        assert set(error) <= set(error_properties)


def test_models_sharing_a_name_all_appear_under_their_module(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["shop__models__Item"]["properties"] == {
        "sku": {"title": "Sku", "type": "string"}
    }
    assert schemas["blog__models__Item"]["properties"] == {
        "slug": {"title": "Slug", "type": "string"}
    }
    # This module's Item differs in and out (a computed field): both names qualified.
    assert "price_with_tax" not in schemas[qualified("Item-Input")]["properties"]
    assert "price_with_tax" in schemas[qualified("Item-Output")]["properties"]
    assert not any(name.startswith("Item") for name in schemas)


def test_component_names_are_stable() -> None:
    first = kitchen_sink().openapi()
    second = kitchen_sink().openapi()
    assert json.dumps(first) == json.dumps(second)


def test_the_apps_own_plans_are_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    app = kitchen_sink()
    expected = kitchen_sink().openapi()
    app.build()  # what startup does: every route's plan is built

    served = {route.endpoint for route in app.routes if isinstance(route, APIRoute)}

    def no_second_plan(endpoint: Any, **kwargs: Any) -> Any:
        assert endpoint not in served, "the document built a plan the app already had"
        return build_plan(endpoint, **kwargs)  # webhooks are not served: no plan yet

    monkeypatch.setattr("hinted.openapi.generator.build_plan", no_second_plan)
    assert json.dumps(app.openapi()) == json.dumps(expected)
