"""``get_openapi``: an app's routes -> its OpenAPI 3.1 document, as JSON data.

``App.openapi()`` calls it once and caches the result; call it yourself to customise
the document (FastAPI's recipe works unchanged):

```python
from hinted.openapi.utils import get_openapi

def custom_openapi() -> dict[str, Any]:
    if app.openapi_schema is None:
        document = get_openapi(title="Shop", version="2.0", routes=app.routes)
        document["info"]["x-logo"] = {"url": "/static/logo.png"}
        app.openapi_schema = document
    return app.openapi_schema

app.openapi = custom_openapi
```
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import Response

from hinted._plan import EndpointPlan
from hinted.openapi.generator import GeneratorOptions, OperationGenerator
from hinted.openapi.models import Info


def get_openapi(
    *,
    title: str,
    version: str,
    openapi_version: str = "3.1.0",
    summary: str | None = None,
    description: str | None = None,
    routes: Sequence[Any],
    webhooks: Sequence[Any] | None = None,
    tags: list[dict[str, Any]] | None = None,
    servers: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
    separate_input_output_schemas: bool = True,
    problem_details: bool = False,
    default_response_class: type[Response] | None = None,
    plans: Mapping[Any, EndpointPlan] | None = None,
) -> dict[str, Any]:
    """The OpenAPI document describing ``routes`` (and ``webhooks``).

    Routes other than HTTP API routes (mounts, Starlette-style routes, WebSockets) and
    routes with ``include_in_schema=False`` are left out. ``problem_details`` documents
    422 answers as RFC 9457 problems, as ``App(problem_details=True)`` sends them.
    ``plans`` maps routes to endpoint plans already built (the app's, at startup);
    the plans of the other routes are built here.
    """
    generator = OperationGenerator(
        GeneratorOptions(
            separate_input_output_schemas=separate_input_output_schemas,
            problem_details=problem_details,
            default_response_class=default_response_class,
        ),
        plans=plans,
    )
    document: dict[str, Any] = {
        "openapi": openapi_version,
        "info": _info(
            title, version, summary, description, terms_of_service, contact, license_info
        ),
    }
    if servers:
        document["servers"] = copy.deepcopy(servers)
    document["paths"] = generator.path_items(routes)
    if webhooks:
        document["webhooks"] = generator.path_items(webhooks)
    components = generator.finish()
    if components:
        document["components"] = components
    if tags:
        document["tags"] = copy.deepcopy(tags)
    return document


def _info(
    title: str,
    version: str,
    summary: str | None,
    description: str | None,
    terms_of_service: str | None,
    contact: dict[str, Any] | None,
    license_info: dict[str, Any] | None,
) -> Info:
    info: Info = {"title": title, "version": version}
    if summary:
        info["summary"] = summary
    if description:
        info["description"] = description
    if terms_of_service:
        info["termsOfService"] = terms_of_service
    if contact:
        info["contact"] = copy.deepcopy(contact)  # type: ignore[typeddict-item]
    if license_info:
        info["license"] = copy.deepcopy(license_info)  # type: ignore[typeddict-item]
    return info


__all__ = ["get_openapi"]
