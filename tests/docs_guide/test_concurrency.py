"""docs/guide/concurrency.md."""

import threading

from hinted.concurrency import INLINE_MARKER
from hinted.testclient import TestClient
from tests.docs_guide._examples import load


def test_inline_dependency_and_thread_pool_handler() -> None:
    module = load("concurrency")
    assert module.app.thread_pool_size == 8
    assert getattr(module.api_version, INLINE_MARKER) is True
    client = TestClient(module.app)
    assert client.get("/version", headers={"X-API-Version": "2"}).json() == {"version": 2}
    assert client.get("/report").json() == {"report": "report"}


def test_the_inline_dependency_runs_on_the_event_loop_thread() -> None:
    module = load("concurrency")
    threads: dict[str, int] = {}
    original = module.api_version

    def spy(x_api_version: str = "1") -> int:
        threads["dependency"] = threading.get_ident()
        return int(x_api_version)

    # Same marker, same signature: the override runs the way api_version does.
    module.app.dependency_overrides[original] = module.inline(spy)

    @module.app.get("/loop")
    async def loop() -> dict[str, int]:
        threads["loop"] = threading.get_ident()
        return {}

    with TestClient(module.app) as client:  # one event loop for both requests
        assert client.get("/version").json() == {"version": 1}
        client.get("/loop")
    assert threads["dependency"] == threads["loop"]
