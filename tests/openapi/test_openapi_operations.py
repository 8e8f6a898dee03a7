"""Operations: responses, 422 bodies, metadata, ids, security, callbacks, extras."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel, computed_field, create_model
from starlette.requests import Request

from hinted import APIRouter, App, Depends, Query, Security
from hinted.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from hinted.security import APIKeyHeader, OAuth2PasswordBearer, OAuth2PasswordRequestForm
from hinted.security.base import SecurityBase
from hinted.testclient import TestClient


def document(app: App) -> dict[str, Any]:
    found = app.openapi()
    validate(found)
    return found


class Message(BaseModel):
    message: str


class Order(BaseModel):
    quantity: int = 1

    @computed_field  # type: ignore[prop-decorator]
    @property
    def doubled(self) -> int:
        return self.quantity * 2


ValidationError = create_model("ValidationError", __module__="users.models", field=(str, ...))


# -- responses --------------------------------------------------------------------------


def test_success_response_from_the_return_annotation_and_status_code() -> None:
    app = App()

    @app.post("/messages", status_code=201, response_description="Created")
    def create(text: str) -> Message:
        return Message(message=text)

    @app.get("/explicit", response_model=list[Message])
    def explicit() -> Any:
        return []

    @app.get("/untyped")
    def untyped():  # type: ignore[no-untyped-def]
        return {}

    paths = document(app)["paths"]
    assert paths["/messages"]["post"]["responses"]["201"] == {
        "description": "Created",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
    }
    assert paths["/explicit"]["get"]["responses"]["200"]["content"] == {
        "application/json": {
            "schema": {"items": {"$ref": "#/components/schemas/Message"}, "type": "array"}
        }
    }
    assert paths["/untyped"]["get"]["responses"]["200"]["content"] == {
        "application/json": {"schema": {}}
    }


def test_response_classes_set_the_media_type() -> None:
    app = App(default_response_class=JSONResponse)

    @app.get("/page", response_class=HTMLResponse)
    def page() -> str:
        return "<p>hi</p>"

    @app.get("/text", response_class=PlainTextResponse)
    def text() -> str:
        return "hi"

    @app.get("/bare", response_class=Response)
    def bare() -> Response:
        return Response(b"")

    paths = document(app)["paths"]
    assert paths["/page"]["get"]["responses"]["200"]["content"] == {
        "text/html": {"schema": {"type": "string"}}
    }
    assert paths["/text"]["get"]["responses"]["200"]["content"] == {
        "text/plain": {"schema": {"type": "string"}}
    }
    assert paths["/bare"]["get"]["responses"]["200"] == {"description": "Successful Response"}


def test_the_apps_default_response_class_is_documented() -> None:
    app = App(default_response_class=HTMLResponse)

    @app.get("/page")
    def page() -> str:
        return "<p>hi</p>"

    responses = document(app)["paths"]["/page"]["get"]["responses"]
    assert responses["200"]["content"] == {"text/html": {"schema": {"type": "string"}}}


def test_no_content_statuses_have_no_content() -> None:
    app = App()

    @app.delete("/items/{item_id}", status_code=204)
    def delete(item_id: int) -> None:
        return None

    responses = document(app)["paths"]["/items/{item_id}"]["delete"]["responses"]
    assert responses["204"] == {"description": "Successful Response"}


def test_extra_responses_add_models_descriptions_and_content() -> None:
    app = App()

    @app.get(
        "/items/{item_id}",
        responses={
            404: {"model": Message, "description": "Not there"},
            409: {"description": "Conflict", "headers": {"X-Why": {"schema": {"type": "string"}}}},
            200: {
                "content": {"image/png": {}},
                "description": "The item, or its picture",
            },
            "5XX": {"model": Message},
            "default": {"description": "Anything else"},
            418: {},
        },
    )
    def read(item_id: int) -> Message:
        return Message(message="x")

    responses = document(app)["paths"]["/items/{item_id}"]["get"]["responses"]
    assert responses == {
        "200": {
            "description": "The item, or its picture",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Message"}},
                "image/png": {},
            },
        },
        "404": {
            "description": "Not there",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
        },
        "409": {"description": "Conflict", "headers": {"X-Why": {"schema": {"type": "string"}}}},
        "5XX": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
            "description": "Server Error",
        },
        "default": {"description": "Anything else"},
        "418": {"description": "I'm a Teapot"},
    }  # no 422: "default" covers it


def test_a_router_and_app_responses_merge_with_the_routes() -> None:
    app = App(responses={500: {"model": Message}})
    router = APIRouter(responses={403: {"description": "Forbidden"}})

    @router.get("/a", responses={403: {"model": Message}})
    def a() -> None:
        return None

    app.include_router(router)
    responses = document(app)["paths"]["/a"]["get"]["responses"]
    assert responses["403"] == {
        "description": "Forbidden",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
    }
    assert responses["500"]["description"] == "Internal Server Error"


def test_the_422_schema_is_the_error_body_the_app_sends() -> None:
    app = App()

    @app.get("/items")
    def items(limit: Annotated[int, Query(ge=1)]) -> None:
        return None

    doc = document(app)
    assert doc["paths"]["/items"]["get"]["responses"]["422"] == {
        "description": "Validation Error",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
        },
    }
    schemas = doc["components"]["schemas"]
    assert schemas["HTTPValidationError"]["properties"] == {
        "detail": {
            "items": {"$ref": "#/components/schemas/ValidationError"},
            "title": "Detail",
            "type": "array",
        }
    }
    assert schemas["ValidationError"]["required"] == ["loc", "msg", "type"]
    assert set(schemas["ValidationError"]["properties"]) == {"loc", "msg", "type", "input", "ctx"}
    answer = TestClient(app).get("/items", params={"limit": "0"})
    assert answer.status_code == 422
    (error,) = answer.json()["detail"]
    assert set(error) <= set(schemas["ValidationError"]["properties"])


def test_problem_details_document_the_rfc_9457_body() -> None:
    app = App(problem_details=True)

    @app.get("/items")
    def items(limit: int) -> None:
        return None

    doc = document(app)
    assert doc["paths"]["/items"]["get"]["responses"]["422"] == {
        "description": "Validation Error",
        "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/ValidationProblem"}
            }
        },
    }
    problem = doc["components"]["schemas"]["ValidationProblem"]
    assert problem["required"] == ["type", "title", "status", "errors"]
    answer = TestClient(app).get("/items")
    assert answer.headers["content-type"] == "application/problem+json"
    assert set(answer.json()) <= set(problem["properties"])
    assert set(problem["required"]) <= set(answer.json())
    assert "HTTPValidationError" not in doc["components"]["schemas"]


def test_a_user_model_called_validation_error_does_not_clash() -> None:
    app = App()

    @app.post("/check")
    def check(value: ValidationError) -> None:
        return None

    schemas = document(app)["components"]["schemas"]
    names = [name for name in schemas if name.endswith("ValidationError")]
    assert len(names) == 3  # ours, HTTPValidationError, the user's
    assert "HTTPValidationError" in names


def test_inputs_and_outputs_split_only_where_pydantic_differs() -> None:
    app = App()

    @app.post("/orders")
    def create(order: Order, note: Message) -> Order:
        return order

    @app.get("/echo")
    def echo() -> Message:
        return Message(message="x")

    schemas = document(app)["components"]["schemas"]
    assert {"Order-Input", "Order-Output", "Message"} <= set(schemas)
    assert "Order" not in schemas
    assert "doubled" in schemas["Order-Output"]["properties"]
    assert "doubled" not in schemas["Order-Input"]["properties"]


def test_separate_input_output_schemas_false_uses_one_schema() -> None:
    app = App(separate_input_output_schemas=False)

    @app.post("/orders")
    def create(order: Order) -> Order:
        return order

    schemas = document(app)["components"]["schemas"]
    assert "Order" in schemas
    assert not any(name.startswith("Order-") for name in schemas)


# -- metadata ---------------------------------------------------------------------------


def test_tags_summary_description_and_deprecated() -> None:
    app = App(openapi_tags=[{"name": "items", "description": "Things"}])
    router = APIRouter(prefix="/items", tags=["items"], deprecated=True)

    @router.get("", tags=["read"], summary="List everything")
    def list_items() -> None:
        """List the items.

        Newest first.
        \f
        Internal notes after a form feed are not shown.
        """

    @router.get("/count", description="How many there are", deprecated=False)
    def count_all_items() -> None:
        """Not used: the description wins."""

    app.include_router(router)
    doc = document(app)
    listing = doc["paths"]["/items"]["get"]
    assert listing["tags"] == ["items", "read"]
    assert listing["summary"] == "List everything"
    assert listing["description"] == "List the items.\n\nNewest first."
    assert listing["deprecated"] is True
    count = doc["paths"]["/items/count"]["get"]
    assert count["summary"] == "Count All Items"
    assert count["description"] == "How many there are"
    assert "deprecated" not in count
    assert doc["tags"] == [{"name": "items", "description": "Things"}]


def test_operation_ids_are_unique_and_stable() -> None:
    app = App()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> None:
        return None

    @app.get("/files/{name:path}")
    def read_file(name: str) -> None:
        return None

    @app.get("/named", operation_id="namedOperation")
    def named() -> None:
        return None

    @app.api_route("/both", methods=["POST", "GET", "PUT"])
    def both() -> None:
        return None

    doc = document(app)
    assert "/files/{name}" in doc["paths"]
    assert doc["paths"]["/items/{item_id}"]["get"]["operationId"] == "read_item_items__item_id__get"
    assert doc["paths"]["/named"]["get"]["operationId"] == "namedOperation"
    both_ids = {method: op["operationId"] for method, op in doc["paths"]["/both"].items()}
    assert both_ids == {"get": "both_both_get", "put": "both_both_put", "post": "both_both_post"}
    assert list(doc["paths"]["/both"]) == ["get", "put", "post"]


def test_a_custom_unique_id_function() -> None:
    app = App(generate_unique_id_function=lambda route: f"{route.tags[0]}-{route.name}")

    @app.get("/a", tags=["alpha"])
    def first() -> None:
        return None

    assert document(app)["paths"]["/a"]["get"]["operationId"] == "alpha-first"


def test_duplicate_operation_ids_warn() -> None:
    app = App()

    @app.get("/a", operation_id="same")
    def a() -> None:
        return None

    @app.get("/b", operation_id="same")
    def b() -> None:
        return None

    with pytest.warns(UserWarning, match="Duplicate Operation ID same for function b"):
        app.openapi()


def test_include_in_schema_false_hides_routes_and_routers() -> None:
    app = App()
    hidden = APIRouter()

    @hidden.get("/internal")
    def internal() -> None:
        return None

    @app.get("/secret", include_in_schema=False)
    def secret() -> None:
        return None

    @app.get("/public")
    def public() -> None:
        return None

    app.include_router(hidden, include_in_schema=False)
    app.add_route("/starlette", lambda request: Response(b""))
    assert list(document(app)["paths"]) == ["/public"]


def test_openapi_extra_is_merged_into_the_operation() -> None:
    app = App()
    extra = {
        "x-badge": "beta",
        "requestBody": {
            "content": {"application/x-yaml": {"schema": {"type": "string"}}},
            "required": True,
        },
        "responses": {"200": {"description": "Parsed"}},
    }

    @app.post("/yaml", openapi_extra=extra)
    def parse_yaml(request: Request) -> None:
        return None

    spec = document(app)["paths"]["/yaml"]["post"]
    assert spec["x-badge"] == "beta"
    assert spec["requestBody"] == extra["requestBody"]
    assert spec["responses"]["200"]["description"] == "Parsed"
    assert spec["responses"]["200"]["content"] == {"application/json": {"schema": {}}}


def test_callbacks_are_documented_with_their_own_schemas() -> None:
    callbacks = APIRouter()

    @callbacks.post("/invoices/paid")
    def invoice_notification(body: Message) -> Message:
        return body

    app = App()

    @app.post("/invoices", callbacks=callbacks.routes)
    def create_invoice(invoice: Order, callback_url: str | None = None) -> None:
        return None

    spec = document(app)["paths"]["/invoices"]["post"]
    callback = spec["callbacks"]["invoice_notification"]
    operation = callback["/invoices/paid"]["post"]
    assert operation["operationId"].startswith("invoice_notification")
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Message"
    }


# -- security ---------------------------------------------------------------------------


class ApiKey(SecurityBase):
    def __init__(self, name: str = "X-Key") -> None:
        self.model = {"type": "apiKey", "in": "header", "name": name}
        self.scheme_name = "ApiKey"

    async def __call__(self, request: Request) -> str | None:
        return request.headers.get("x-key")


class Bearer(SecurityBase):
    def __init__(self) -> None:
        self.model = {
            "type": "oauth2",
            "flows": {"password": {"tokenUrl": "/token", "scopes": {"read": "", "write": ""}}},
        }
        self.scheme_name = "OAuth2"

    async def __call__(self, request: Request) -> str | None:
        return request.headers.get("authorization")


api_key = ApiKey()
bearer = Bearer()


def current_user(token: str | None = Security(bearer, scopes=["read"])) -> str:
    return token or ""


def test_security_schemes_and_requirements_with_accumulated_scopes() -> None:
    app = App()

    @app.get("/open")
    def open_() -> None:
        return None

    @app.get("/keyed", dependencies=[Depends(api_key)])
    def keyed() -> None:
        return None

    @app.post("/write")
    def write(user: str = Security(current_user, scopes=["write"])) -> None:
        return None

    @app.get("/both")
    def both(key: str | None = Depends(api_key), user: str = Depends(current_user)) -> None:
        return None

    doc = document(app)
    assert doc["components"]["securitySchemes"] == {
        "ApiKey": {"type": "apiKey", "in": "header", "name": "X-Key"},
        "OAuth2": bearer.model,
    }
    paths = doc["paths"]
    assert "security" not in paths["/open"]["get"]
    assert paths["/keyed"]["get"]["security"] == [{"ApiKey": []}]
    assert paths["/write"]["post"]["security"] == [{"OAuth2": ["write", "read"]}]
    assert paths["/both"]["get"]["security"] == [{"ApiKey": [], "OAuth2": ["read"]}]


def test_the_shipped_security_schemes() -> None:
    app = App()
    oauth = OAuth2PasswordBearer(tokenUrl="/token", scopes={"read": "Read things"})
    key = APIKeyHeader(name="X-Key")

    def user(token: str = Depends(oauth)) -> str:
        return token

    @app.post("/token")
    def token(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> None:
        return None

    @app.get("/me", dependencies=[Depends(key)])
    def me(name: str = Security(user, scopes=["read"])) -> None:
        return None

    doc = document(app)
    assert doc["paths"]["/me"]["get"]["security"] == [
        {"APIKeyHeader": [], "OAuth2PasswordBearer": ["read"]}
    ]
    assert doc["components"]["securitySchemes"]["APIKeyHeader"] == {
        "type": "apiKey",
        "name": "X-Key",
        "in": "header",
    }
    assert "security" not in doc["paths"]["/token"]["post"]
    form = doc["paths"]["/token"]["post"]["requestBody"]["content"]
    assert list(form) == ["application/x-www-form-urlencoded"]
