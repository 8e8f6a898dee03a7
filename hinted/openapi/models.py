"""The shape of an OpenAPI 3.1 document, as typed dictionaries.

These describe the document only; :mod:`hinted.openapi.generator` builds it. They are
``TypedDict`` rather than models because the document is plain JSON data: it is built
once, cached and served as it is, so it never needs validating or dumping. A test
checks a generated document against them with ``TypeAdapter(OpenAPI)``.

Keys that are not Python identifiers (``in``, ``$ref``) use the functional syntax.
Only the parts hinted generates are spelled out; everything else is ``dict[str, Any]``
(user data such as ``openapi_extra`` may add any key, so every object allows extras).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict

JsonSchema = dict[str, Any]
"""A JSON Schema (2020-12 dialect, as OpenAPI 3.1 uses it)."""


class Contact(TypedDict, total=False):
    """Who to contact about the API."""

    name: str
    url: str
    email: str


class License(TypedDict, total=False):
    """The API's licence: a name and an SPDX identifier or a URL."""

    name: str
    identifier: str
    url: str


class Info(TypedDict):
    """``info``: the API's title, version and descriptions."""

    title: str
    version: str
    summary: NotRequired[str]
    description: NotRequired[str]
    termsOfService: NotRequired[str]
    contact: NotRequired[Contact]
    license: NotRequired[License]


class ServerVariable(TypedDict):
    """A variable of a server URL template."""

    default: str
    enum: NotRequired[list[str]]
    description: NotRequired[str]


class Server(TypedDict):
    """A base URL the API is served at."""

    url: str
    description: NotRequired[str]
    variables: NotRequired[dict[str, ServerVariable]]


class Example(TypedDict, total=False):
    """An entry of an ``examples`` map (``openapi_examples=`` on a parameter)."""

    summary: str
    description: str
    value: Any
    externalValue: str


ParameterLocation = Literal["path", "query", "header", "cookie"]

Parameter = TypedDict(
    "Parameter",
    {
        "name": str,
        "in": ParameterLocation,
        "required": bool,
        "schema": JsonSchema,
        "description": NotRequired[str],
        "deprecated": NotRequired[bool],
        "examples": NotRequired[dict[str, Example]],
    },
)
"""A path, query, header or cookie parameter of an operation."""


class Encoding(TypedDict, total=False):
    """How one property of a multipart or urlencoded body is encoded."""

    contentType: str
    headers: dict[str, Any]
    style: str
    explode: bool


class MediaType(TypedDict, total=False):
    """A body's schema for one content type."""

    schema: JsonSchema
    example: Any
    examples: dict[str, Example]
    encoding: dict[str, Encoding]


class RequestBody(TypedDict):
    """An operation's request body, by content type."""

    content: dict[str, MediaType]
    required: NotRequired[bool]
    description: NotRequired[str]


class Response(TypedDict):
    """One response of an operation; ``content`` is absent for a response without a body."""

    description: str
    content: NotRequired[dict[str, MediaType]]
    headers: NotRequired[dict[str, Any]]
    links: NotRequired[dict[str, Any]]


SecurityRequirement = dict[str, list[str]]
"""Scheme name -> required scopes; all schemes of one requirement apply together."""


class Operation(TypedDict, total=False):
    """One HTTP method of a path."""

    tags: list[str]
    summary: str
    description: str
    operationId: str
    parameters: list[Parameter]
    requestBody: RequestBody
    responses: dict[str, Response]
    callbacks: dict[str, dict[str, PathItem]]
    deprecated: bool
    security: list[SecurityRequirement]
    servers: list[Server]


class PathItem(TypedDict, total=False):
    """The operations of one path, by lower-case method."""

    get: Operation
    put: Operation
    post: Operation
    delete: Operation
    options: Operation
    head: Operation
    patch: Operation
    trace: Operation


class Components(TypedDict, total=False):
    """Reusable objects: schemas (models) and security schemes."""

    schemas: dict[str, JsonSchema]
    securitySchemes: dict[str, dict[str, Any]]


class ExternalDocumentation(TypedDict):
    """A link to further documentation."""

    url: str
    description: NotRequired[str]


class Tag(TypedDict):
    """A tag's name and description (``App(openapi_tags=[...])``)."""

    name: str
    description: NotRequired[str]
    externalDocs: NotRequired[ExternalDocumentation]


class OpenAPI(TypedDict):
    """The whole document, as served at ``/openapi.json``."""

    openapi: str
    info: Info
    paths: dict[str, PathItem]
    servers: NotRequired[list[Server]]
    webhooks: NotRequired[dict[str, PathItem]]
    components: NotRequired[Components]
    security: NotRequired[list[SecurityRequirement]]
    tags: NotRequired[list[Tag]]
    externalDocs: NotRequired[ExternalDocumentation]


__all__ = [
    "Components",
    "Contact",
    "Encoding",
    "Example",
    "ExternalDocumentation",
    "Info",
    "JsonSchema",
    "License",
    "MediaType",
    "OpenAPI",
    "Operation",
    "Parameter",
    "ParameterLocation",
    "PathItem",
    "RequestBody",
    "Response",
    "SecurityRequirement",
    "Server",
    "ServerVariable",
    "Tag",
]
