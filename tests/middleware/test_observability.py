"""Request ids, Server-Timing and structured request logs."""

import json
import logging
import re

import pytest

from hinted import App, Request
from hinted.logging import JSONFormatter, RequestLogMiddleware
from hinted.middleware import RequestIDMiddleware, TimingMiddleware, get_request_id
from hinted.testclient import TestClient

handler_logger = logging.getLogger("tests.handler")


def make_app() -> App:
    app = App()

    @app.get("/id")
    async def show_id(request: Request) -> dict[str, str | None]:
        handler_logger.info("handling")
        return {"from_context": get_request_id(), "from_state": request.state.request_id}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    app.add_middleware(TimingMiddleware)
    app.add_middleware(RequestLogMiddleware)
    app.add_middleware(RequestIDMiddleware)
    return app


def test_request_id_is_generated_echoed_and_visible_in_the_handler() -> None:
    client = TestClient(make_app())
    response = client.get("/id")
    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert response.json() == {"from_context": request_id, "from_state": request_id}
    assert get_request_id() is None  # reset once the request is over


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced() -> None:
    client = TestClient(make_app())
    assert client.get("/id", headers={"x-request-id": "abc-123"}).json()["from_context"] == (
        "abc-123"
    )
    hostile = client.get("/id", headers={"x-request-id": "a b\tc"})
    assert hostile.headers["x-request-id"] != "a b\tc"
    too_long = client.get("/id", headers={"x-request-id": "x" * 500})
    assert len(too_long.headers["x-request-id"]) == 32


def test_server_timing_header() -> None:
    response = TestClient(make_app()).get("/id")
    assert re.fullmatch(r"app;dur=\d+\.\d{3}", response.headers["server-timing"])


def test_request_log_records_carry_method_path_status_duration_and_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)
    with caplog.at_level(logging.INFO):
        ok = client.get("/id")
        client.get("/boom")
    access = [r for r in caplog.records if r.name == "hinted.access"]
    assert [(r.method, r.path, r.status) for r in access] == [  # type: ignore[attr-defined]
        ("GET", "/id", 200),
        ("GET", "/boom", 500),
    ]
    assert access[0].request_id == ok.headers["x-request-id"]  # type: ignore[attr-defined]
    assert access[0].duration_ms >= 0  # type: ignore[attr-defined]


def test_json_formatter_adds_the_current_request_id_to_handler_logs() -> None:
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    collector = Collect()
    collector.setFormatter(JSONFormatter())
    handler_logger.addHandler(collector)
    handler_logger.setLevel(logging.INFO)
    try:
        response = TestClient(make_app()).get("/id")
    finally:
        handler_logger.removeHandler(collector)
    document = json.loads(lines[0])
    assert document["message"] == "handling"
    assert document["level"] == "INFO"
    assert document["request_id"] == response.headers["x-request-id"]


def test_disabled_access_log_passes_requests_straight_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="hinted.access"):
        response = TestClient(make_app()).get("/id")
    assert response.status_code == 200
    assert not [r for r in caplog.records if r.name == "hinted.access"]
