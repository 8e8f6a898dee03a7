"""schemathesis against the running chat demo: no 5xx, no answer its document denies.

Every operation of the demo's document gets generated requests, valid ones (positive
mode) and invalid ones (negative mode), sent over TCP to the uvicorn server of
``conftest.demo``. The checks: no server error, every status code documented, every
response body valid against the documented schema. Bounded: at most ``MAX_EXAMPLES``
cases per operation and mode, no shrinking, no example database on disk.

``DELETE /messages/{message_id}`` runs twice: with the key schemathesis makes up (so
the documented 401) and with the server's real key (204 and 404).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from examples.chat.app import create_app
from examples.chat.settings import Settings
from tests.openapi_demo.conftest import Demo

pytestmark = pytest.mark.timeout(120)

MAX_EXAMPLES = {"positive": 50, "negative": 25}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
METHODS = ("get", "put", "post", "patch", "delete")


def operations() -> list[tuple[str, dict[str, Any]]]:
    """``"METHOD /path"`` and the operation, read from the demo's document in-process."""
    document = create_app(Settings(database_url="sqlite://")).openapi()
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def cases() -> list[Any]:
    params = []
    for label, operation in operations():
        has_input = bool(operation.get("parameters") or operation.get("requestBody"))
        keys = ["generated", "real"] if operation.get("security") else ["none"]
        # Negative mode needs something to make invalid; GET /health takes nothing.
        modes = ["positive", "negative"] if has_input else ["positive"]
        for mode in modes:
            for key in keys:
                name = f"{label} {mode}" + (f" {key} key" if key != "none" else "")
                params.append(pytest.param(label, mode, key, id=name))
    return params


@pytest.fixture(scope="module")
def schema(demo: Demo) -> Any:
    """The document as the server serves it, at /openapi.json."""
    return schemathesis.openapi.from_url(f"{demo.base_url}/openapi.json")


@pytest.mark.parametrize(("label", "mode", "key"), cases())
def test_the_demo_answers_as_documented(
    schema: Any, demo: Demo, label: str, mode: str, key: str
) -> None:
    operation = schema.find_operation_by_label(label)
    assert operation is not None, f"the served document has no {label}"
    generation_mode = (
        schemathesis.GenerationMode.POSITIVE
        if mode == "positive"
        else schemathesis.GenerationMode.NEGATIVE
    )
    headers = {"X-API-Key": demo.api_key} if key == "real" else None
    statuses: list[int] = []

    @settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=generation_mode))
    def run(case: Any) -> None:
        response = case.call_and_validate(base_url=demo.base_url, headers=headers, checks=CHECKS)
        statuses.append(response.status_code)

    run()
    assert statuses, f"no request was sent for {label}"
    if key == "generated":
        assert set(statuses) <= {401, 422}, statuses
    if key == "real" and mode == "positive":
        assert set(statuses) & {204, 404}, statuses
