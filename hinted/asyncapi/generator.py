"""AsyncAPI 3.0 from an app's WebSocket routes and the pub/sub channels it declares.

Each WebSocket route is a channel whose address is the route's path: its path
parameters are the channel's parameters, its query parameters and headers the
``ws`` binding's ``query`` and ``headers`` schemas. A handler taking a
``TypedWebSocket[In, Out]`` has two operations, seen from the app as AsyncAPI wants:
``receive`` (the ``In`` messages clients send) and ``send`` (the ``Out`` messages, and
the error frame that answers a bad message). Message payloads are the models' JSON
schemas from pydantic, generated in one pass so that shared models appear once
under ``components.schemas``.

The routes' parameters come from the same endpoint plans that validate them
(:func:`hinted._plan.build_plan`), never from a second description.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, TypeAdapter
from pydantic.json_schema import JsonSchemaMode

from hinted._narrowing import is_dict, is_list
from hinted._plan import EndpointPlan, build_plan
from hinted._pydantic import value_adapter
from hinted.asyncapi.channels import AsyncAPIChannel, channel_key
from hinted.params import ParamSource
from hinted.routing.routes import APIWebSocketRoute
from hinted.websockets import MessageCodec

ASYNCAPI_VERSION = "3.0.0"
WS_BINDING_VERSION = "0.1.0"
_REF_TEMPLATE = "#/components/schemas/{model}"
_SCHEMA_REF = re.compile(r"#/components/schemas/([\w.\-]+)")
_CONVERTOR = re.compile(r"{(\w+):[^}]+}")


class ErrorDetail(BaseModel):
    """One reason a message was refused, shaped like pydantic's errors."""

    type: str = Field(description="Error kind, e.g. json_invalid, missing, message_too_large")
    loc: list[str | int] = Field(description='Where: "message", then the path into it')
    msg: str = Field(description="Human-readable explanation")
    ctx: dict[str, Any] | None = Field(None, description="Values the message refers to")


class ErrorFrame(BaseModel):
    """Sent in answer to a bad message; the connection stays open."""

    type: Literal["error"] = "error"
    detail: list[ErrorDetail]


_SchemaKey = tuple[Any, ...]


class _Schemas:
    """Collects every type to describe, then asks pydantic for all schemas at once."""

    def __init__(self) -> None:
        self.inputs: list[tuple[_SchemaKey, JsonSchemaMode, TypeAdapter[Any]]] = []
        self.results: dict[tuple[_SchemaKey, JsonSchemaMode], Any] = {}
        self.definitions: dict[str, Any] = {}

    def add(self, key: _SchemaKey, mode: JsonSchemaMode, adapter: TypeAdapter[Any]) -> None:
        self.inputs.append((key, mode, adapter))

    def generate(self) -> None:
        if not self.inputs:
            return
        results, definitions = TypeAdapter.json_schemas(self.inputs, ref_template=_REF_TEMPLATE)
        self.results = {k: _asyncapi_schema(v) for k, v in results.items()}
        self.definitions = {
            name: _asyncapi_schema(schema) for name, schema in definitions.get("$defs", {}).items()
        }

    def get(self, key: _SchemaKey, mode: JsonSchemaMode) -> Any:
        return self.results[(key, mode)]

    def resolve(self, schema: Any) -> Any:
        """``schema`` itself, or the definition it refers to."""
        if is_dict(schema) and "$ref" in schema:
            match = _SCHEMA_REF.fullmatch(schema["$ref"])
            if match:
                return self.definitions.get(match.group(1), schema)
        return schema


def _asyncapi_schema(schema: Any) -> Any:
    """A pydantic JSON schema as an AsyncAPI Schema Object.

    AsyncAPI's ``discriminator`` is the property's name, OpenAPI's (pydantic's) an
    object holding it.
    """
    if is_list(schema):
        return [_asyncapi_schema(item) for item in schema]
    if not is_dict(schema):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "discriminator" and is_dict(value) and "propertyName" in value:
            result[key] = value["propertyName"]
        else:
            result[key] = _asyncapi_schema(value)
    return result


class _Document:
    """The document under construction: channels, operations, component messages."""

    def __init__(self, schemas: _Schemas) -> None:
        self.schemas = schemas
        self.channels: dict[str, Any] = {}
        self.operations: dict[str, Any] = {}
        self.messages: dict[str, Any] = {}

    def unique_channel_key(self, wanted: str) -> str:
        key, number = wanted, 1
        while key in self.channels:
            number += 1
            key = f"{wanted}_{number}"
        return key

    def message_names(self, schema: Any, fallback: str) -> list[str]:
        """Register the messages ``schema`` stands for; one per model of a union."""
        models = _union_models(schema)
        parts = [(_model_name(item) or fallback, item) for item in models or [schema]]
        names: list[str] = []
        for name, payload in parts:
            if name not in self.messages:
                message: dict[str, Any] = {
                    "name": name,
                    "title": name,
                    "contentType": "application/json",
                    "payload": payload,
                }
                definition = self.schemas.resolve(payload)
                if is_dict(definition) and isinstance(definition.get("description"), str):
                    message["summary"] = definition["description"].split("\n\n")[0]
                self.messages[name] = message
            if name not in names:
                names.append(name)
        return names

    def add_operation(
        self,
        channel: str,
        action: Literal["send", "receive"],
        messages: Sequence[str] | None,
        summary: str,
    ) -> None:
        operation: dict[str, Any] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{channel}"},
            "summary": summary,
        }
        if messages is not None:
            operation["messages"] = [
                {"$ref": f"#/channels/{channel}/messages/{name}"} for name in messages
            ]
        self.operations[f"{channel}.{action}"] = operation


def _union_models(schema: Any) -> list[Any] | None:
    """The model references of a union of models (nested unions too), else None."""
    if _model_name(schema):
        return [schema]
    if not is_dict(schema) or set(schema) - {"anyOf", "oneOf", "discriminator"}:
        return None
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if not alternatives or ("anyOf" in schema and "oneOf" in schema):
        return None
    found: list[Any] = []
    for alternative in alternatives:
        models = _union_models(alternative)
        if models is None:
            return None
        found += [model for model in models if model not in found]
    return found


def _model_name(schema: Any) -> str | None:
    if is_dict(schema) and set(schema) == {"$ref"}:
        match = _SCHEMA_REF.fullmatch(schema["$ref"])
        if match:
            return match.group(1)
    return None


def _route_codec(plan: EndpointPlan) -> MessageCodec[Any, Any] | None:
    for step in (plan.endpoint, *plan.steps):
        if step.messages is not None:
            return step.messages
    return None


def _route_values(plan: EndpointPlan) -> dict[ParamSource, dict[str, Any]]:
    """Each handshake value the route reads, by source then wire name (first wins)."""
    found: dict[ParamSource, dict[str, Any]] = {}
    for value, _ in plan.value_params:
        found.setdefault(value.source, {}).setdefault(value.alias, value)
    return found


def get_asyncapi(
    *,
    title: str,
    version: str,
    routes: Iterable[Any],
    channels: Sequence[AsyncAPIChannel] = (),
    description: str | None = None,
    servers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of ``routes``' WebSocket routes and the ``channels``."""
    sockets = [route for route in routes if isinstance(route, APIWebSocketRoute)]
    plans = [
        build_plan(
            route.endpoint,
            path_params=route.path_params,
            dependencies=route.dependencies,
            signature=route.signature,
        )
        for route in sockets
    ]
    schemas = _Schemas()
    if any(_route_codec(plan) is not None for plan in plans):
        schemas.add(("error",), "serialization", TypeAdapter(ErrorFrame))
    for index, plan in enumerate(plans):
        codec = _route_codec(plan)
        if codec is not None:
            schemas.add(("in", index), "validation", codec.incoming)
            schemas.add(("out", index), "serialization", codec.outgoing)
        for source, values in _route_values(plan).items():
            for alias, value in values.items():
                adapter = value_adapter(value.annotation, value.marker)
                schemas.add(("param", index, source, alias), "validation", adapter)
    for index, channel in enumerate(channels):
        for number, message in enumerate(channel.messages):
            schemas.add(("channel", index, number), "serialization", TypeAdapter(message))
    schemas.generate()

    document = _Document(schemas)
    for index, (route, plan) in enumerate(zip(sockets, plans, strict=True)):
        _add_route(document, index, route, plan)
    for index, channel in enumerate(channels):
        _add_channel(document, index, channel)

    result: dict[str, Any] = {"asyncapi": ASYNCAPI_VERSION}
    info: dict[str, Any] = {"title": title, "version": version}
    if description:
        info["description"] = description
    result["info"] = info
    if servers:
        result["servers"] = servers
    result["defaultContentType"] = "application/json"
    result["channels"] = document.channels
    result["operations"] = document.operations
    components: dict[str, Any] = {}
    if document.messages:
        components["messages"] = document.messages
    if schemas.definitions:
        components["schemas"] = schemas.definitions
    if components:
        result["components"] = components
    return result


def _add_route(
    document: _Document, index: int, route: APIWebSocketRoute, plan: EndpointPlan
) -> None:
    key = document.unique_channel_key(channel_key(route.name))
    values = _route_values(plan)
    channel: dict[str, Any] = {"address": _CONVERTOR.sub(r"{\1}", route.path), "title": route.name}
    description = _docstring(route.endpoint)
    if description:
        channel["description"] = description
    parameters = {
        alias: _parameter(
            value,
            document.schemas.get(("param", index, ParamSource.PATH, alias), "validation"),
            document.schemas,
        )
        for alias, value in values.get(ParamSource.PATH, {}).items()
    }
    if parameters:
        channel["parameters"] = parameters
    codec = _route_codec(plan)
    incoming: list[str] | None = None
    outgoing: list[str] | None = None
    if codec is not None:
        incoming = document.message_names(
            document.schemas.get(("in", index), "validation"), f"{key}_incoming"
        )
        outgoing = document.message_names(
            document.schemas.get(("out", index), "serialization"), f"{key}_outgoing"
        )
        outgoing += [
            name
            for name in document.message_names(
                document.schemas.get(("error",), "serialization"), "ErrorFrame"
            )
            if name not in outgoing
        ]
        channel["messages"] = {
            name: {"$ref": f"#/components/messages/{name}"}
            for name in dict.fromkeys([*incoming, *outgoing])
        }
    binding: dict[str, Any] = {"method": "GET"}
    for source, field in ((ParamSource.QUERY, "query"), (ParamSource.HEADER, "headers")):
        if values.get(source):
            binding[field] = _object_schema(document.schemas, index, source, values[source])
    binding["bindingVersion"] = WS_BINDING_VERSION
    channel["bindings"] = {"ws": binding}
    document.channels[key] = channel
    document.add_operation(key, "receive", incoming, f"Messages a client sends to {route.path}")
    document.add_operation(key, "send", outgoing, f"Messages {route.path} sends to its clients")


def _add_channel(document: _Document, index: int, declared: AsyncAPIChannel) -> None:
    key = document.unique_channel_key(declared.key)
    channel: dict[str, Any] = {"address": declared.address}
    if declared.title:
        channel["title"] = declared.title
    if declared.description:
        channel["description"] = declared.description
    if declared.parameter_names:
        channel["parameters"] = {
            name: (
                {"description": declared.parameters[name]} if name in declared.parameters else {}
            )
            for name in declared.parameter_names
        }
    names: list[str] = []
    for number, _ in enumerate(declared.messages):
        schema = document.schemas.get(("channel", index, number), "serialization")
        for name in document.message_names(schema, f"{key}_message_{number + 1}"):
            if name not in names:
                names.append(name)
    if names:
        channel["messages"] = {name: {"$ref": f"#/components/messages/{name}"} for name in names}
    document.channels[key] = channel
    if declared.publishes:
        document.add_operation(key, "send", names, f"The app publishes to {declared.address}")
    if declared.subscribes:
        document.add_operation(key, "receive", names, f"The app subscribes to {declared.address}")


def _parameter(value: Any, schema: Any, schemas: _Schemas) -> dict[str, Any]:
    """An AsyncAPI parameter: string-valued, so the type shows only through enum/default."""
    parameter: dict[str, Any] = {}
    resolved = schemas.resolve(schema)
    description = getattr(value.marker, "description", None) or (
        resolved.get("description") if is_dict(resolved) else None
    )
    if description:
        parameter["description"] = description
    if is_dict(resolved):
        if isinstance(resolved.get("enum"), list):
            parameter["enum"] = [str(item) for item in resolved["enum"]]
        elif "const" in resolved:
            parameter["enum"] = [str(resolved["const"])]
        kind = resolved.get("type")
        if isinstance(kind, str) and kind != "string":
            parameter["x-type"] = kind
    examples = getattr(value.marker, "examples", None)
    if examples:
        parameter["examples"] = [str(example) for example in examples]
    return parameter


def _object_schema(
    schemas: _Schemas, index: int, source: ParamSource, values: dict[str, Any]
) -> dict[str, Any]:
    properties = {
        alias: schemas.get(("param", index, source, alias), "validation") for alias in values
    }
    required = [alias for alias, value in values.items() if value.required]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _docstring(endpoint: Any) -> str | None:
    """The handler's docstring up to a form feed, as FastAPI cuts descriptions."""
    doc = inspect.getdoc(endpoint)
    return doc.split("\f")[0].strip() or None if doc else None


__all__ = ["ASYNCAPI_VERSION", "ErrorDetail", "ErrorFrame", "get_asyncapi"]
