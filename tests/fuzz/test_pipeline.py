"""Property-based fuzzing of the request pipeline, raw ASGI, against two apps.

Invariants for every request: no 5xx, a JSON body on every error, no traceback, source
path or internal module name in a response, no exception escaping the app, and no
handler called with a value its validation did not produce.

``HINTED_FUZZ_EXAMPLES`` sets the examples per property (200 by default).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import kitchen_sink
from tests.fuzz._driver import EXAMPLES, RawRequest, check, run
from tests.fuzz._strategies import json_bodies, requests

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

# Long runs (HINTED_FUZZ_EXAMPLES) get time in proportion.
pytestmark = pytest.mark.timeout(max(120, EXAMPLES))

KITCHEN = kitchen_sink.create_app()
# The same routes behind middleware (function middleware, GZip, CORS, request ids,
# timing), answering errors as problem details.
LAYERED = kitchen_sink.create_app(middleware=True)
# The documentation pages are not reached by client input and carry the framework's
# own script names; their bodies are not checked for internal names.
DOC_PATHS = ("/docs", "/redoc", "/asyncapi")


def check_kitchen(request: RawRequest, layered: bool = False) -> None:
    kitchen_sink.VIOLATIONS.clear()
    before = dict(kitchen_sink.CLEANUPS)
    outcome = run(LAYERED if layered else KITCHEN, request)
    if request.path.rstrip("/") in DOC_PATHS and outcome.status == 200:
        outcome.body = b""
    if layered and _cors_refusal(request, outcome.body):
        # Starlette's CORSMiddleware, re-exported unchanged, refuses a preflight in
        # plain text ("Disallowed CORS origin"); browsers never read that body.
        outcome.headers = [(b"content-type", b"application/json")]
        outcome.body = b"{}"
    check(request, outcome, kitchen_sink.VIOLATIONS)
    entered = kitchen_sink.CLEANUPS["entered"] - before["entered"]
    exited = kitchen_sink.CLEANUPS["exited"] - before["exited"]
    assert entered == exited, "a yield dependency was not cleaned up exactly once"


def _cors_refusal(request: RawRequest, body: bytes) -> bool:
    names = {name for name, _ in request.headers}
    preflight = {b"origin", b"access-control-request-method"} <= names
    return request.method == "OPTIONS" and preflight and body.startswith(b"Disallowed CORS")


@FUZZ
@given(
    requests(
        kitchen_sink.ROUTES,
        kitchen_sink.QUERY_NAMES,
        kitchen_sink.HEADER_NAMES,
        kitchen_sink.COOKIE_NAMES,
        kitchen_sink.FORM_NAMES,
        kitchen_sink.MODELS,
    ),
    st.booleans(),
)
def test_kitchen_sink(request: RawRequest, layered: bool) -> None:
    check_kitchen(request, layered)


BODY_ROUTES = [("POST", "/items"), ("PUT", "/items/7"), ("POST", "/tree"), ("POST", "/values"),
               ("POST", "/anything"), ("PATCH", "/merge")]  # fmt: skip


@FUZZ
@given(
    route=st.sampled_from(BODY_ROUTES),
    body=json_bodies(kitchen_sink.MODELS),
    content_type=st.sampled_from(
        [b"application/json", b"application/json; charset=utf-8", b"application/x+json"]
    ),
)
def test_kitchen_sink_json_bodies(route: tuple[str, str], body: bytes, content_type: bytes) -> None:
    """JSON aimed at the body routes, with a JSON content type: most of it gets parsed."""
    method, path = route
    check_kitchen(
        RawRequest(method, path, headers=[(b"content-type", content_type)], chunks=[body])
    )


# -- the demo app -------------------------------------------------------------------------

CHAT_ROUTES = [
    ("POST", "/messages"),
    ("GET", "/messages"),
    ("GET", "/messages/{message_id}"),
    ("DELETE", "/messages/{message_id}"),
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
]
CHAT_MODELS = [
    {"message": "Hello", "recipient": "Dave"},
    {"version": "3.1", "message": "Hi", "recipient": "Dave", "author": "A", "timestamp": 1.5},
]


@pytest.fixture(scope="module")
def chat_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from examples.chat.app import create_app
    from examples.chat.migrate import upgrade_to_head
    from examples.chat.settings import Settings

    database = Path(tmp_path_factory.mktemp("chat")) / "chat.db"
    settings_ = Settings(database_url=f"sqlite:///{database}", migrate_on_startup=False)
    app = create_app(settings_)
    upgrade_to_head(app.state.database.engine)
    yield app
    app.state.database.engine.dispose()


@FUZZ
@given(
    data=st.data(),
)
def test_chat_demo(chat_app: Any, data: st.DataObject) -> None:
    request = data.draw(
        requests(
            CHAT_ROUTES,
            ["recipient", "since", "limit", "before"],
            ["content-type", "x-api-key", "authorization"],
            [],
            [],
            CHAT_MODELS,
        )
    )
    outcome = run(chat_app, request)
    if request.path.rstrip("/") in DOC_PATHS and outcome.status == 200:
        outcome.body = b""
    check(request, outcome, [])
