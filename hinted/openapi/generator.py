"""Routes -> OpenAPI operations, read from the same endpoint plans that serve requests.

For each route the generator builds the route's :class:`~hinted._plan.EndpointPlan`
(the flattened handler and dependency tree) and documents what it finds there:

- ``plan.value_params``: the path, query, header and cookie parameters (their wire
  names, whether required, their schema taken from the plan's own validator);
- ``plan.body``: a JSON body, whole (one parameter) or embedded (an object keyed by
  parameter name, component ``Body_<operation id>``);
- ``plan.form``: a urlencoded or multipart body, files as binary strings;
- ``plan.steps``: the security schemes met along the dependency chain, with the
  scopes required there.

Nothing is described twice: a constraint added to a parameter changes validation and
documentation together.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import JsonSchemaMode
from starlette.responses import Response as StarletteResponse

from hinted import params
from hinted._narrowing import is_dict, is_list
from hinted._plan import EndpointPlan, build_plan
from hinted.datastructures import DefaultPlaceholder
from hinted.openapi.errors import VALIDATION_ERROR_BODY, VALIDATION_PROBLEM_BODY
from hinted.openapi.models import (
    JsonSchema,
    Operation,
    Parameter,
    PathItem,
    RequestBody,
    SecurityRequirement,
)
from hinted.openapi.responses import ResponsesBuilder, deep_update
from hinted.openapi.schemas import FieldsSchema, SchemaRegistry, field_title
from hinted.params import ParamSource
from hinted.routing.routes import APIRoute

if TYPE_CHECKING:
    from hinted._signature import ValueParam
    from hinted.security.base import SecurityBase

_PARAMETER_SOURCES = (ParamSource.PATH, ParamSource.QUERY, ParamSource.HEADER, ParamSource.COOKIE)
_SOURCE_RANK = {source: rank for rank, source in enumerate(_PARAMETER_SOURCES)}
_METHOD_ORDER = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_CONVERTOR = re.compile(r"\{(\w+):[^}]*\}")
_UNSAFE_NAME = re.compile(r"[^a-zA-Z0-9.\-_]")


@dataclasses.dataclass(slots=True)
class GeneratorOptions:
    """Document-wide choices that change operations."""

    separate_input_output_schemas: bool = True
    problem_details: bool = False
    default_response_class: type[StarletteResponse] | None = None


def openapi_path(path: str) -> str:
    """A route path as OpenAPI writes it: ``/items/{id:int}`` -> ``/items/{id}``."""
    return _CONVERTOR.sub(r"{\1}", path)


def default_summary(route: APIRoute) -> str:
    """The summary of a route without one: ``read_item`` -> ``Read Item``."""
    return route.name.replace("_", " ").title()


class OperationGenerator:
    """Builds path items for routes; collects schemas, security schemes, operation ids.

    Call :meth:`path_items` for each group of routes (paths, webhooks), then
    :meth:`finish` once, which generates the schemas and returns ``components``.
    """

    def __init__(
        self, options: GeneratorOptions, plans: Mapping[Any, EndpointPlan] | None = None
    ) -> None:
        self.options = options
        self.plans = plans or {}
        self.registry = SchemaRegistry()
        output_mode: JsonSchemaMode = (
            "serialization" if options.separate_input_output_schemas else "validation"
        )
        self.responses = ResponsesBuilder(self.registry, output_mode)
        self.security_schemes: dict[str, dict[str, Any]] = {}
        self.operation_ids: set[str] = set()
        self._extras: list[tuple[Operation, dict[str, Any]]] = []
        self._security_base = _security_base()

    # -- document parts -----------------------------------------------------------------

    def path_items(self, routes: Iterable[Any]) -> dict[str, PathItem]:
        """``paths`` (or ``webhooks``) for the documented HTTP routes among ``routes``."""
        items: dict[str, PathItem] = {}
        for route in routes:
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            item = items.setdefault(openapi_path(route.path_format), {})
            item.update(self.operations(route))  # type: ignore[typeddict-item]
        return items

    def finish(self) -> dict[str, Any]:
        """Generate every schema, apply ``openapi_extra``; return ``components``."""
        components: dict[str, Any] = {}
        schemas = self.registry.resolve()
        for operation, extra in self._extras:
            deep_update(operation, copy.deepcopy(extra))  # type: ignore[arg-type]
        if schemas:
            components["schemas"] = schemas
        if self.security_schemes:
            components["securitySchemes"] = dict(sorted(self.security_schemes.items()))
        return components

    # -- operations ---------------------------------------------------------------------

    def operations(self, route: APIRoute) -> dict[str, Operation]:
        """One operation per method of ``route``, lower-case method -> operation."""
        plan = self.plans.get(route)
        if plan is None:
            plan = build_plan(
                route.endpoint,
                path_params=route.path_params,
                dependencies=route.dependencies,
                signature=route.signature,
            )
        methods = sorted(route.methods, key=_method_rank)
        ids = _operation_ids(route, methods)
        return {
            method.lower(): self.operation(route, plan, method, ids[method]) for method in methods
        }

    def operation(
        self, route: APIRoute, plan: EndpointPlan, method: str, operation_id: str
    ) -> Operation:
        """The operation for ``method`` of ``route``, whose plan is ``plan``."""
        operation: Operation = {}
        if route.tags:
            operation["tags"] = list(route.tags)
        operation["summary"] = route.summary or default_summary(route)
        if route.description:
            operation["description"] = route.description
        operation["operationId"] = self._unique(operation_id, route)
        fields = self.registry.fields(plan.adapter.core_schema) if plan.adapter else None
        parameters = self._parameters(plan, fields)
        if parameters:
            operation["parameters"] = parameters
        body = self._request_body(plan, fields, operation_id)
        if body is not None:
            operation["requestBody"] = body
        operation["responses"] = self._responses(route, plan)
        if route.callbacks:
            operation["callbacks"] = self._callbacks(route.callbacks)
        if route.deprecated:
            operation["deprecated"] = True
        security = self._security(plan)
        if security:
            operation["security"] = security
        if route.openapi_extra:
            self._extras.append((operation, route.openapi_extra))
        return operation

    def _unique(self, operation_id: str, route: APIRoute) -> str:
        if operation_id in self.operation_ids:
            message = f"Duplicate Operation ID {operation_id} for function {route.name}"
            file_name = getattr(route.endpoint, "__globals__", {}).get("__file__")
            if file_name:
                message += f" at {file_name}"
            warnings.warn(message, UserWarning, stacklevel=2)
        self.operation_ids.add(operation_id)
        return operation_id

    # -- parameters ---------------------------------------------------------------------

    def _parameters(self, plan: EndpointPlan, fields: FieldsSchema | None) -> list[Parameter]:
        found: list[Parameter] = []
        seen: set[tuple[str, str]] = set()
        by_source = sorted(plan.value_params, key=lambda item: _SOURCE_RANK.get(item[0].source, 9))
        for value, key in by_source:
            marker = value.marker
            if value.source not in _PARAMETER_SOURCES or not marker.include_in_schema:
                continue
            identity = (value.source.value, value.alias.lower())
            if identity in seen or fields is None:
                continue
            seen.add(identity)
            found.append(self._parameter(value, key, fields))
        return found

    def _parameter(self, value: ValueParam, key: str, fields: FieldsSchema) -> Parameter:
        marker = value.marker
        parameter: Parameter = {
            "name": value.alias,
            "in": value.source.value,  # type: ignore[typeddict-item]
            "required": value.source is ParamSource.PATH or marker.required,
            "schema": fields.field(key, field_title(value.alias)),
        }
        if marker.description:
            parameter["description"] = marker.description
        if marker.deprecated:
            parameter["deprecated"] = True
        if marker.openapi_examples:
            parameter["examples"] = copy.deepcopy(marker.openapi_examples)
        return parameter

    # -- request bodies -----------------------------------------------------------------

    def _request_body(
        self, plan: EndpointPlan, fields: FieldsSchema | None, operation_id: str
    ) -> RequestBody | None:
        name = "Body_" + _UNSAFE_NAME.sub("_", operation_id)
        if plan.form is not None and fields is not None:
            values = [
                (v, k)
                for v, k in plan.value_params
                if v.source is ParamSource.FORM and v.marker.include_in_schema
            ]
            if not values:
                return None
            schema = self.registry.component(name, lambda: _form_object(name, fields, values))
            required = any(v.marker.required for v, _ in values)
            return {"content": {plan.form.media_type: {"schema": schema}}, "required": required}
        body = plan.body
        if body is None:
            return None
        shown = [v for v in body.fields if v.marker.include_in_schema]
        if not shown:
            return None
        if body.key is not None:
            schema = self.registry.schema(body.adapter.core_schema, "validation")
            media: dict[str, Any] = {"schema": schema}
            examples = body.fields[0].marker.openapi_examples
            if examples:
                media["examples"] = copy.deepcopy(examples)
        else:
            embedded = self.registry.fields(body.adapter.core_schema)
            aliases = {v.alias for v in shown}
            schema = self.registry.component(
                name, lambda: _embedded_object(name, embedded, aliases)
            )
            media = {"schema": schema}
        request_body: RequestBody = {
            "content": {body.media_type: media},  # type: ignore[dict-item]
            "required": body.required,
        }
        return request_body

    # -- responses ----------------------------------------------------------------------

    def _responses(self, route: APIRoute, plan: EndpointPlan) -> dict[str, Any]:
        response_class = _response_class(route, self.options.default_response_class)
        status_code = route.status_code or getattr(response_class, "status_code", None) or 200
        responses: dict[str, Any] = dict(self.responses.build(route, response_class, status_code))
        reads_input = bool(plan.value_params)
        if reads_input and not {"422", "4XX", "default"} & set(responses):
            responses["422"] = self._validation_error()
        return responses

    def _validation_error(self) -> dict[str, Any]:
        if self.options.problem_details:
            schema = self.registry.schema(VALIDATION_PROBLEM_BODY.core_schema, "serialization")
            media_type = "application/problem+json"
        else:
            schema = self.registry.schema(VALIDATION_ERROR_BODY.core_schema, "serialization")
            media_type = "application/json"
        return {"description": "Validation Error", "content": {media_type: {"schema": schema}}}

    # -- callbacks and security ---------------------------------------------------------

    def _callbacks(self, callbacks: Sequence[Any]) -> dict[str, dict[str, PathItem]]:
        found: dict[str, dict[str, PathItem]] = {}
        for callback in callbacks:
            if isinstance(callback, APIRoute):
                found.setdefault(callback.name, {}).update(self.path_items([callback]))
        return found

    def _security(self, plan: EndpointPlan) -> list[SecurityRequirement]:
        base = self._security_base
        if base is None:
            return []
        requirement: SecurityRequirement = {}
        for step in plan.steps:
            scheme = step.call
            if not isinstance(scheme, base):
                continue
            name: str = scheme.scheme_name
            model: Any = scheme.model
            if hasattr(model, "model_dump"):
                model = model.model_dump(mode="json", by_alias=True, exclude_none=True)
            self.security_schemes[name] = dict(model)
            scopes = requirement.setdefault(name, [])
            scopes.extend(scope for scope in step.scopes if scope not in scopes)
        return [requirement] if requirement else []


def _form_object(
    name: str, fields: FieldsSchema, values: list[tuple[ValueParam, str]]
) -> JsonSchema:
    """The object schema of a form body, each field under its wire name."""
    properties = fields.definition().get("properties", {})
    shown: dict[str, JsonSchema] = {}
    required: list[str] = []
    for value, key in values:
        if value.alias in shown:
            continue
        schema = dict(properties.get(key, {}))
        if schema.get("title") == field_title(key):
            schema["title"] = field_title(value.alias)
        if isinstance(value.marker, params.File):
            schema = _as_file(schema)
        shown[value.alias] = schema
        if value.marker.required:
            required.append(value.alias)
    schema_: JsonSchema = {"properties": shown, "type": "object"}
    if required:
        schema_["required"] = required
    schema_["title"] = name
    return schema_


def _embedded_object(name: str, fields: FieldsSchema, aliases: set[str]) -> JsonSchema:
    """The object schema of an embedded JSON body (several parameters, or ``embed=True``)."""
    definition = fields.definition()
    properties = {k: v for k, v in definition.get("properties", {}).items() if k in aliases}
    schema: JsonSchema = {"properties": properties, "type": "object"}
    required = [key for key in definition.get("required", []) if key in aliases]
    if required:
        schema["required"] = required
    schema["title"] = name
    return schema


def _as_file(schema: Any) -> Any:
    """Mark binary strings (``bytes``, ``UploadFile``) as uploaded files."""
    if is_list(schema):
        return [_as_file(item) for item in schema]
    if not is_dict(schema):
        return schema
    result = {key: _as_file(value) for key, value in schema.items()}
    if result.get("type") == "string" and result.get("format") == "binary":
        result["contentMediaType"] = "application/octet-stream"
    return result


def _operation_ids(route: APIRoute, methods: list[str]) -> dict[str, str]:
    """``route.unique_id`` for its first method; the other methods get their own suffix."""
    first = min(route.methods - {"HEAD"} or route.methods)
    unique_id = route.unique_id
    ids: dict[str, str] = {}
    for method in methods:
        if method == first or len(methods) == 1:
            ids[method] = unique_id
        elif unique_id.endswith("_" + first.lower()):
            ids[method] = unique_id[: -len(first)] + method.lower()
        else:
            ids[method] = f"{unique_id}_{method.lower()}"
    return ids


def _response_class(
    route: APIRoute, default: type[StarletteResponse] | None
) -> type[StarletteResponse]:
    """The class the route answers with, as the app resolves it."""
    chosen: Any = route.response_class
    if isinstance(chosen, DefaultPlaceholder):
        chosen = chosen.value or default
    if chosen is None:
        from hinted.responses import JSONResponse

        return JSONResponse
    response_class: type[StarletteResponse] = chosen
    return response_class


def _method_rank(method: str) -> tuple[int, str]:
    rank = _METHOD_ORDER.index(method) if method in _METHOD_ORDER else len(_METHOD_ORDER)
    return rank, method


def _security_base() -> type[SecurityBase] | None:
    """``hinted.security.base.SecurityBase``, or None while that module does not exist."""
    try:
        from hinted.security.base import SecurityBase
    except ImportError:
        return None
    return SecurityBase


__all__ = [
    "GeneratorOptions",
    "OperationGenerator",
    "default_summary",
    "openapi_path",
]
