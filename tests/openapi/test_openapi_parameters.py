"""Parameters and request bodies, exactly as documented."""

from __future__ import annotations

from typing import Annotated, Any

from openapi_spec_validator import validate
from pydantic import BaseModel, Field

from hinted import App, Body, Cookie, Depends, File, Form, Header, Path, Query, UploadFile


def operation(app: App, path: str, method: str = "get") -> dict[str, Any]:
    document = app.openapi()
    validate(document)
    found: dict[str, Any] = document["paths"][path][method]
    return found


def test_every_parameter_kind_with_constraints_and_metadata() -> None:
    app = App()

    @app.get("/items/{item_id}")
    def read(
        item_id: Annotated[int, Path(gt=0, le=1000, title="Identifier")],
        q: Annotated[
            str | None,
            Query(
                min_length=2,
                pattern="^[a-z]+$",
                description="Search text",
                examples=["abc"],
                openapi_examples={"short": {"summary": "Short", "value": "ab"}},
                deprecated=True,
            ),
        ] = None,
        page_size: Annotated[int, Query(alias="page-size", ge=1)] = 20,
        user_agent: Annotated[str, Header()] = "",
        x_raw: Annotated[str | None, Header(convert_underscores=False)] = None,
        theme: Annotated[str, Cookie()] = "light",
    ) -> None:
        return None

    assert operation(app, "/items/{item_id}")["parameters"] == [
        {
            "name": "item_id",
            "in": "path",
            "required": True,
            "schema": {
                "exclusiveMinimum": 0,
                "maximum": 1000,
                "title": "Identifier",
                "type": "integer",
            },
        },
        {
            "name": "q",
            "in": "query",
            "required": False,
            "schema": {
                "anyOf": [
                    {"minLength": 2, "pattern": "^[a-z]+$", "type": "string"},
                    {"type": "null"},
                ],
                "default": None,
                "description": "Search text",
                "examples": ["abc"],
                "title": "Q",
            },
            "description": "Search text",
            "deprecated": True,
            "examples": {"short": {"summary": "Short", "value": "ab"}},
        },
        {
            "name": "page-size",
            "in": "query",
            "required": False,
            "schema": {"default": 20, "minimum": 1, "title": "Page-Size", "type": "integer"},
        },
        {
            "name": "user-agent",
            "in": "header",
            "required": False,
            "schema": {"default": "", "title": "User-Agent", "type": "string"},
        },
        {
            "name": "x_raw",
            "in": "header",
            "required": False,
            "schema": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "default": None,
                "title": "X Raw",
            },
        },
        {
            "name": "theme",
            "in": "cookie",
            "required": False,
            "schema": {"default": "light", "title": "Theme", "type": "string"},
        },
    ]


def test_list_query_parameters_and_required_ones() -> None:
    app = App()

    @app.get("/search")
    def search(tag: Annotated[list[str], Query()], limit: int) -> None:
        return None

    assert operation(app, "/search")["parameters"] == [
        {
            "name": "tag",
            "in": "query",
            "required": True,
            "schema": {"items": {"type": "string"}, "title": "Tag", "type": "array"},
        },
        {
            "name": "limit",
            "in": "query",
            "required": True,
            "schema": {"title": "Limit", "type": "integer"},
        },
    ]


def test_dependencies_contribute_parameters_once() -> None:
    app = App()

    def token(x_token: Annotated[str, Header()]) -> str:
        return x_token

    def user(t: str = Depends(token), verbose: bool = False) -> str:
        return t

    @app.get("/me", dependencies=[Depends(token)])
    def me(name: str = Depends(user), t: str = Depends(token)) -> None:
        return None

    parameters = operation(app, "/me")["parameters"]
    assert [(p["in"], p["name"], p["required"]) for p in parameters] == [
        ("query", "verbose", False),
        ("header", "x-token", True),
    ]


def test_include_in_schema_false_hides_a_parameter_but_it_is_still_validated() -> None:
    app = App()

    @app.get("/things")
    def things(
        secret: Annotated[str, Query(include_in_schema=False)],
        shown: int = 0,
    ) -> None:
        return None

    spec = operation(app, "/things")
    assert [p["name"] for p in spec["parameters"]] == ["shown"]
    assert "422" in spec["responses"]


class Item(BaseModel):
    name: str = Field(description="What it is called")
    price: float = 0


def test_a_single_body_parameter_is_the_whole_body() -> None:
    app = App()

    @app.post("/items")
    def create(item: Item) -> None:
        return None

    @app.post("/optional")
    def optional(item: Item | None = None) -> None:
        return None

    assert operation(app, "/items", "post")["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
        "required": True,
    }
    body = operation(app, "/optional", "post")["requestBody"]
    assert body["required"] is False
    assert body["content"]["application/json"]["schema"] == {
        "anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}]
    }
    assert app.openapi()["components"]["schemas"]["Item"] == {
        "properties": {
            "name": {"description": "What it is called", "title": "Name", "type": "string"},
            "price": {"default": 0, "title": "Price", "type": "number"},
        },
        "required": ["name"],
        "title": "Item",
        "type": "object",
    }


def test_body_openapi_examples_go_to_the_media_type() -> None:
    app = App()

    @app.post("/items")
    def create(
        item: Annotated[Item, Body(openapi_examples={"cheap": {"value": {"name": "pen"}}})],
    ) -> None:
        return None

    media = operation(app, "/items", "post")["requestBody"]["content"]["application/json"]
    assert media["examples"] == {"cheap": {"value": {"name": "pen"}}}


def test_embedded_bodies_are_an_object_component() -> None:
    app = App()

    @app.put("/items/{item_id}")
    def update(
        item_id: int,
        item: Item,
        importance: Annotated[int, Body(gt=0)],
        note: Annotated[str | None, Body()] = None,
    ) -> None:
        return None

    @app.post("/embed")
    def embed(item: Annotated[Item, Body(embed=True)]) -> None:
        return None

    spec = operation(app, "/items/{item_id}", "put")
    assert spec["requestBody"] == {
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Body_update_items__item_id__put"}
            }
        },
        "required": True,
    }
    schemas = app.openapi()["components"]["schemas"]
    assert schemas["Body_update_items__item_id__put"] == {
        "properties": {
            "item": {"$ref": "#/components/schemas/Item"},
            "importance": {"exclusiveMinimum": 0, "title": "Importance", "type": "integer"},
            "note": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "default": None,
                "title": "Note",
            },
        },
        "type": "object",
        "required": ["item", "importance"],
        "title": "Body_update_items__item_id__put",
    }
    assert schemas["Body_embed_embed_post"]["properties"] == {
        "item": {"$ref": "#/components/schemas/Item"}
    }
    assert not any(name.startswith("hinted-private") for name in schemas)


def test_urlencoded_forms() -> None:
    app = App()

    @app.post("/login")
    def login(
        username: Annotated[str, Form(min_length=1)],
        password: Annotated[str, Form()],
        remember: Annotated[bool, Form()] = False,
    ) -> None:
        return None

    spec = operation(app, "/login", "post")
    assert spec["requestBody"] == {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"$ref": "#/components/schemas/Body_login_login_post"}
            }
        },
        "required": True,
    }
    assert app.openapi()["components"]["schemas"]["Body_login_login_post"] == {
        "properties": {
            "username": {"minLength": 1, "title": "Username", "type": "string"},
            "password": {"title": "Password", "type": "string"},
            "remember": {"default": False, "title": "Remember", "type": "boolean"},
        },
        "type": "object",
        "required": ["username", "password"],
        "title": "Body_login_login_post",
    }
    assert "parameters" not in spec


def test_multipart_files_are_binary_strings() -> None:
    app = App()

    @app.post("/upload")
    def upload(
        file: UploadFile,
        raw: Annotated[bytes, File(description="Raw bytes")],
        more: list[UploadFile],
        caption: Annotated[str, Form()] = "",
    ) -> None:
        return None

    spec = operation(app, "/upload", "post")
    assert list(spec["requestBody"]["content"]) == ["multipart/form-data"]
    binary = {"contentMediaType": "application/octet-stream", "format": "binary", "type": "string"}
    assert app.openapi()["components"]["schemas"]["Body_upload_upload_post"] == {
        "properties": {
            "file": {**binary, "title": "File"},
            "raw": {**binary, "description": "Raw bytes", "title": "Raw"},
            "more": {"items": binary, "title": "More", "type": "array"},
            "caption": {"default": "", "title": "Caption", "type": "string"},
        },
        "type": "object",
        "required": ["file", "raw", "more"],
        "title": "Body_upload_upload_post",
    }


def test_an_operation_without_inputs_has_no_parameters_body_or_422() -> None:
    app = App()

    @app.get("/ping")
    def ping() -> str:
        return "pong"

    spec = operation(app, "/ping")
    assert "parameters" not in spec
    assert "requestBody" not in spec
    assert list(spec["responses"]) == ["200"]
