"""The ``responses`` of an operation: the success response, ``responses=`` extras, 422.

The success response's status code and content type are the ones the endpoint uses to
answer (``status_code=``, the response class's media type); its schema is the
response model's in serialization mode. ``responses=`` entries add or extend
responses, FastAPI-style: ``{404: {"model": Message, "description": "Not found"}}``.
"""

from __future__ import annotations

import contextlib
import copy
import http
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter
from pydantic.json_schema import JsonSchemaMode
from pydantic_core import CoreSchema
from starlette.responses import Response as StarletteResponse

from hinted._narrowing import is_dict, is_mapping
from hinted._signature import CallKind
from hinted._streaming import JSON_LINES, stream_item_type
from hinted.openapi.models import MediaType, Response
from hinted.openapi.schemas import SchemaRegistry
from hinted.sse import EventSourceResponse

if TYPE_CHECKING:
    from hinted.routing.routes import APIRoute

_RANGES = {
    "1XX": "Information",
    "2XX": "Success",
    "3XX": "Redirection",
    "4XX": "Client Error",
    "5XX": "Server Error",
    "DEFAULT": "Default Response",
}


def body_allowed(status_code: int | str) -> bool:
    """False for the statuses that never carry a body (1xx, 204, 205, 304)."""
    text = str(status_code).upper()
    if text in _RANGES:
        return text not in ("1XX",)
    code = int(text)
    return code >= 200 and code not in (204, 205, 304)


def is_json(media_type: str | None) -> bool:
    """True for ``application/json`` and ``application/*+json`` content types."""
    if not media_type:
        return False
    main = media_type.split(";")[0].strip().lower()
    return main == "application/json" or main.endswith("+json")


def status_key(status: int | str) -> str:
    """A status code as a ``responses`` key: ``404`` -> ``"404"``, ``"5xx"`` -> ``"5XX"``."""
    text = str(status)
    return "default" if text.upper() == "DEFAULT" else text.upper()


def _describe(status: str) -> str:
    if status.upper() in _RANGES:
        return _RANGES[status.upper()]
    try:
        return http.HTTPStatus(int(status)).phrase
    except ValueError:
        return "Additional Response"


def deep_update(target: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Merge ``extra`` into ``target``: dictionaries key by key, lists end to end.

    Values of ``extra`` are put in ``target`` as they are: pass a copy if ``extra``
    is the user's.
    """
    for key, value in extra.items():
        current = target.get(key)
        if is_dict(current) and is_mapping(value):
            deep_update(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            target[key] = current + value
        else:
            target[key] = value


class ResponsesBuilder:
    """Builds ``responses`` objects, sharing one core schema per response model."""

    def __init__(self, registry: SchemaRegistry, output_mode: JsonSchemaMode) -> None:
        self.registry = registry
        self.output_mode: JsonSchemaMode = output_mode
        self._core: dict[Any, CoreSchema] = {}

    def model_schema(self, model: Any) -> dict[str, Any]:
        """A placeholder for ``model``'s schema, as the encoder serialises it."""
        try:
            core = self._core.get(model)
        except TypeError:  # an unhashable annotation
            core = None
        if core is None:
            core = TypeAdapter(model).core_schema
            with contextlib.suppress(TypeError):
                self._core[model] = core
        return self.registry.schema(core, self.output_mode)

    def build(
        self,
        route: APIRoute,
        response_class: type[StarletteResponse],
        status_code: int,
    ) -> dict[str, Response]:
        """The success response then ``route.responses``, keyed by status."""
        media_type = response_class.media_type
        main_key = str(status_code)
        main: Response = {"description": route.response_description}
        stream = self._stream_content(route, response_class)
        if stream is not None:
            media_type = next(iter(stream))
            main["content"] = stream
        elif media_type and body_allowed(status_code):
            schema: dict[str, Any] = {"type": "string"}
            if is_json(media_type):
                schema = (
                    {}
                    if route.response_model is None
                    else (self.model_schema(route.response_model))
                )
            main["content"] = {media_type: {"schema": schema}}
        responses: dict[str, Response] = {main_key: main}
        for status, extra in route.responses.items():
            key = status_key(status)
            extra_response = self._extra(extra, media_type or "application/json")
            existing = responses.get(key)
            if existing is None:
                extra_response.setdefault("description", _describe(key))
                responses[key] = extra_response  # type: ignore[assignment]
            else:
                deep_update(existing, extra_response)  # type: ignore[arg-type]
        return responses

    def _stream_content(
        self, route: APIRoute, response_class: type[StarletteResponse]
    ) -> dict[str, Any] | None:
        """For a generator handler: JSON Lines of its item type, or server-sent events."""
        if route.signature.kind not in (CallKind.ASYNC_GENERATOR, CallKind.SYNC_GENERATOR):
            return None
        item = stream_item_type(route.signature.return_annotation)
        item_schema = {} if item is None else self.model_schema(item)
        if issubclass(response_class, EventSourceResponse):
            return {
                "text/event-stream": {
                    "schema": {
                        "type": "string",
                        "description": "Server-sent events; each event's data is JSON.",
                    },
                    "x-event-data": item_schema,
                }
            }
        return {
            JSON_LINES: {
                "schema": item_schema,
                "x-stream": "Each line is one JSON document matching the schema.",
            }
        }

    def _extra(self, extra: Mapping[str, Any], media_type: str) -> dict[str, Any]:
        response = {k: copy.deepcopy(v) for k, v in extra.items() if k != "model"}
        model = extra.get("model")
        if model is not None:
            content: dict[str, MediaType] = response.setdefault("content", {})
            entry = content.setdefault(media_type, {})
            entry["schema"] = self.model_schema(model)
        return response


__all__ = ["ResponsesBuilder", "body_allowed", "deep_update", "is_json", "status_key"]
