"""Reading a GraphQL request from HTTP, following the GraphQL over HTTP specification.

=====================  ==============================================================
``GET``                ``?query=...&variables=<JSON>&operationName=...&extensions=<JSON>``
``POST`` JSON          ``application/json`` body ``{"query", "variables", "operationName",
                       "extensions"}``
``POST`` GraphQL       ``application/graphql`` body: the document itself; variables and
                       the operation name may come in the query string as for ``GET``
=====================  ==============================================================

Anything else is a :class:`BadRequest` that the app answers with a GraphQL-shaped JSON
body: an unreadable body or a missing ``query`` is 400, another content type 415,
another method 405.

The response's media type follows the request's ``Accept``:
``application/graphql-response+json`` when the client lists it, else
``application/json`` (the specification's default for older clients).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers, QueryParams

from hinted._narrowing import is_dict

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"


@dataclasses.dataclass(frozen=True, slots=True)
class GraphQLParams:
    """One GraphQL request: the document and what goes with it."""

    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] | None = None


class BadRequest(Exception):
    """A request that is not a GraphQL request: answered with ``status`` and ``message``."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def params_from_mapping(data: object) -> GraphQLParams:
    """``{"query": ..., "variables": ..., "operationName": ..., "extensions": ...}`` checked."""
    if not is_dict(data):
        raise BadRequest(400, "The request body must be a JSON object.")
    query = data.get("query")
    if query is None:
        raise BadRequest(400, "Missing the 'query' parameter: send a GraphQL document.")
    if not isinstance(query, str):
        raise BadRequest(400, "The 'query' parameter must be a string.")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequest(400, "The 'operationName' parameter must be a string or null.")
    return GraphQLParams(
        query=query,
        variables=_object_or_none(data.get("variables"), "variables"),
        operation_name=operation_name or None,
        extensions=_object_or_none(data.get("extensions"), "extensions"),
    )


def _object_or_none(value: object, name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if is_dict(value):
        return value
    raise BadRequest(400, f"The '{name}' parameter must be a JSON object or null.")


def _json_parameter(query: QueryParams, name: str) -> object:
    text = query.get(name)
    if text is None or text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise BadRequest(400, f"The '{name}' parameter is not valid JSON.") from None


def params_from_query_string(query: QueryParams, *, document: str | None = None) -> GraphQLParams:
    """The parameters of a ``GET`` (or the extras of an ``application/graphql`` POST)."""
    return params_from_mapping(
        {
            "query": document if document is not None else query.get("query"),
            "variables": _json_parameter(query, "variables"),
            "operationName": query.get("operationName"),
            "extensions": _json_parameter(query, "extensions"),
        }
    )


def media_type(headers: Headers) -> str:
    """The request's ``Content-Type`` without parameters, lower-cased."""
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def params_from_body(content_type: str, body: bytes, query: QueryParams) -> GraphQLParams:
    """The parameters of a ``POST``, by its content type."""
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise BadRequest(400, f"The request body is not valid JSON: {exc}") from None
        return params_from_mapping(data)
    if content_type == "application/graphql":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(400, "The request body is not valid UTF-8.") from None
        return params_from_query_string(query, document=text)
    raise BadRequest(
        415,
        "Unsupported Media Type: send the request as application/json "
        "(or the document alone as application/graphql).",
    )


def _accepted(headers: Headers) -> list[str]:
    media: list[str] = []
    for part in headers.get("accept", "").split(","):
        name, *parameters = (item.strip() for item in part.split(";"))
        if any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in parameters):
            continue
        if name:
            media.append(name.lower())
    return media


def response_media_type(headers: Headers) -> str:
    """``application/graphql-response+json`` if the client accepts it, else JSON."""
    return (
        GRAPHQL_RESPONSE_JSON if GRAPHQL_RESPONSE_JSON in _accepted(headers) else APPLICATION_JSON
    )


def wants_html(headers: Headers) -> bool:
    """A browser asking for a page: ``text/html`` accepted, no GraphQL media type first."""
    accepted = _accepted(headers)
    if "text/html" not in accepted:
        return False
    html_at = accepted.index("text/html")
    for json_type in (GRAPHQL_RESPONSE_JSON, APPLICATION_JSON):
        if json_type in accepted and accepted.index(json_type) < html_at:
            return False
    return True


__all__ = [
    "APPLICATION_JSON",
    "GRAPHQL_RESPONSE_JSON",
    "BadRequest",
    "GraphQLParams",
    "media_type",
    "params_from_body",
    "params_from_mapping",
    "params_from_query_string",
    "response_media_type",
    "wants_html",
]
