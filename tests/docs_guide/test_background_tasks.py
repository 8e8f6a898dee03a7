"""docs/guide/background-tasks.md."""

import logging

import pytest

from hinted.testclient import TestClient
from tests.docs_guide._examples import load


def test_tasks_from_the_dependency_and_the_handler_run_in_order() -> None:
    module = load("background_tasks")
    response = TestClient(module.app).post(
        "/messages?user=ada", json={"message": "Hi", "recipient": "bob"}
    )
    assert response.status_code == 201
    assert response.json() == {"status": "queued", "author": "ada"}
    assert module.audit_log == ["ada posted"]
    assert module.outbox == ["to bob: Hi"]


def test_a_failing_task_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    module = load("background_tasks")
    client = TestClient(module.app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="hinted"):
        response = client.post("/broken")
    assert response.status_code == 200
    assert response.json() == {"status": "queued"}
    [record] = [r for r in caplog.records if r.name == "hinted"]
    assert record.getMessage() == "A background task failed"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ConnectionError)
    assert module.audit_log == []
