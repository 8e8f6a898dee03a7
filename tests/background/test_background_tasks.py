"""BackgroundTasks: run after the response, in order, and never fail silently.

The app is driven with raw ASGI messages so that each task can look at what had
been sent when it ran: the whole response, or not.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import anyio
import pytest

from hinted import App, BackgroundTasks, Depends
from hinted.responses import HTMLResponse, PlainTextResponse
from hinted.sse import EventSourceResponse
from hinted.testclient import TestClient


class Recorder:
    """What the app sent, and what each task saw of it when it ran."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.runs: list[tuple[str, Any, bool]] = []  # (task, its value, response complete)
        self.loop_thread: int | None = None
        self.task_threads: dict[str, int] = {}

    def complete(self) -> bool:
        last = self.sent[-1] if self.sent else None
        return (
            last is not None
            and last["type"] == "http.response.body"
            and not last.get("more_body", False)
        )

    def task(self, name: str) -> Callable[[Any], None]:
        def run(value: Any) -> None:
            self.task_threads[name] = threading.get_ident()
            self.runs.append((name, value, self.complete()))

        return run

    def async_task(self, name: str) -> Callable[[Any], Any]:
        async def run(value: Any) -> None:
            self.task_threads[name] = threading.get_ident()
            await anyio.sleep(0)
            self.runs.append((name, value, self.complete()))

        return run

    def call(self, app: Any, path: str) -> BaseException | None:
        """One GET; the exception the app raised after answering, if any."""
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path.partition("?")[0],
            "raw_path": path.partition("?")[0].encode(),
            "root_path": "",
            "query_string": path.partition("?")[2].encode(),
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 1234),
            "server": ("testserver", 80),
        }
        failure: BaseException | None = None
        requests = [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive() -> dict[str, Any]:
            if requests:
                return requests.pop()
            await anyio.sleep_forever()  # the client stays until the app is done
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            self.sent.append(message)

        async def main() -> None:
            nonlocal failure
            self.loop_thread = threading.get_ident()
            try:
                await app(scope, receive, send)
            except Exception as exc:
                failure = exc

        anyio.run(main)
        return failure

    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")


def test_tasks_run_after_the_response_in_order_with_the_handlers_values() -> None:
    recorder = Recorder()
    app = App()

    @app.get("/messages/{message_id}")
    async def send_message(message_id: int, tasks: BackgroundTasks) -> dict[str, int]:
        tasks.add_task(recorder.task("sync"), message_id)
        tasks.add_task(recorder.async_task("async"), {"id": message_id})
        tasks.add_task(recorder.task("sync again"), value=message_id * 2)
        return {"message_id": message_id}

    assert recorder.call(app, "/messages/7") is None
    assert recorder.body() == b'{"message_id":7}'
    assert recorder.runs == [
        ("sync", 7, True),
        ("async", {"id": 7}, True),
        ("sync again", 14, True),
    ]
    # Sync tasks go to the thread pool, async ones stay on the event loop.
    assert recorder.task_threads["sync"] != recorder.loop_thread
    assert recorder.task_threads["async"] == recorder.loop_thread


@pytest.mark.parametrize("path", ["/json", "/html", "/response", "/events"])
def test_each_kind_of_response_runs_its_tasks_after_it_is_sent(path: str) -> None:
    recorder = Recorder()
    app = App()

    @app.get("/json")
    def json_answer(tasks: BackgroundTasks) -> dict[str, bool]:
        tasks.add_task(recorder.task("json"), 1)
        return {"ok": True}

    @app.get("/html", response_class=HTMLResponse)
    def html_answer(tasks: BackgroundTasks) -> str:
        tasks.add_task(recorder.task("html"), 2)
        return "<p>ok</p>"

    @app.get("/response")
    def response_answer(tasks: BackgroundTasks) -> PlainTextResponse:
        tasks.add_task(recorder.task("response"), 3)
        return PlainTextResponse("ok")

    @app.get("/events", response_class=EventSourceResponse)
    async def events(tasks: BackgroundTasks) -> Any:
        tasks.add_task(recorder.async_task("events"), 4)
        yield {"n": 1}

    assert recorder.call(app, path) is None
    assert len(recorder.runs) == 1
    _, _, complete = recorder.runs[0]
    assert complete, "the task ran before the response was complete"


def _failing_app(recorder: Recorder) -> App:
    app = App()

    def fail(message: str) -> None:
        raise RuntimeError(message)

    @app.get("/json")
    def json_answer(tasks: BackgroundTasks) -> dict[str, bool]:
        tasks.add_task(fail, "json task failed")
        tasks.add_task(recorder.task("never"), 0)
        return {"ok": True}

    @app.get("/html", response_class=HTMLResponse)
    def html_answer(tasks: BackgroundTasks) -> str:
        tasks.add_task(fail, "html task failed")
        return "<p>ok</p>"

    @app.get("/response")
    def response_answer(tasks: BackgroundTasks) -> PlainTextResponse:
        tasks.add_task(fail, "response task failed")
        return PlainTextResponse("ok")

    return app


@pytest.mark.parametrize(
    ("path", "body"),
    [("/json", b'{"ok":true}'), ("/html", b"<p>ok</p>"), ("/response", b"ok")],
)
def test_a_failing_task_is_logged_and_the_sent_response_stands(
    path: str, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    with caplog.at_level(logging.ERROR, logger="hinted"):
        failure = recorder.call(_failing_app(recorder), path)
    # The response went out whole, with its status, before the task ran.
    assert recorder.sent[0]["status"] == 200
    assert recorder.complete()
    assert recorder.body() == body
    # The error is logged once, with its traceback, and re-raised for the server.
    records = [r for r in caplog.records if r.name == "hinted"]
    assert [r.getMessage() for r in records] == ["A background task failed"]
    assert records[0].exc_info is not None
    assert str(records[0].exc_info[1]) == f"{path[1:]} task failed"
    assert isinstance(failure, RuntimeError)
    # Later tasks are skipped (as in Starlette and FastAPI).
    assert recorder.runs == []


def test_a_failing_task_through_the_test_client(caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(_failing_app(Recorder()), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="hinted"):
        response = client.get("/json")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert "A background task failed" in caplog.messages


def test_a_dependency_and_the_handler_share_one_instance() -> None:
    recorder = Recorder()
    app = App()
    seen: list[BackgroundTasks] = []

    def audit(tasks: BackgroundTasks, user: str = "ada") -> str:
        seen.append(tasks)
        tasks.add_task(recorder.task("audit"), f"user {user}")
        return user

    def notify(tasks: BackgroundTasks, user: Annotated[str, Depends(audit)]) -> Iterator[str]:
        seen.append(tasks)
        tasks.add_task(recorder.async_task("notify"), f"notify {user}")
        yield user

    @app.get("/send")
    async def send(
        tasks: BackgroundTasks,
        user: Annotated[str, Depends(notify)],
    ) -> dict[str, str]:
        seen.append(tasks)
        tasks.add_task(recorder.task("handler"), f"sent by {user}")
        return {"user": user}

    assert recorder.call(app, "/send?user=bob") is None
    assert len(seen) == 3
    assert seen[0] is seen[1] is seen[2]
    assert recorder.runs == [
        ("audit", "user bob", True),
        ("notify", "notify bob", True),
        ("handler", "sent by bob", True),
    ]


def test_tasks_run_after_a_function_middleware_returned_the_response() -> None:
    recorder = Recorder()
    app = App()
    order: list[str] = []

    @app.middleware("http")
    async def mark(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        order.append("middleware")
        response.headers["X-Seen"] = "yes"
        return response

    @app.get("/", response_class=HTMLResponse)
    def page(tasks: BackgroundTasks) -> str:
        tasks.add_task(lambda: order.append("task"))
        return "<p>ok</p>"

    assert recorder.call(app, "/") is None
    assert order == ["middleware", "task"]
    assert (b"x-seen", b"yes") in recorder.sent[0]["headers"]


def test_tasks_wait_for_the_outermost_of_two_function_middlewares() -> None:
    recorder = Recorder()
    app = App()
    order: list[str] = []

    @app.middleware("http")
    async def inner(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        order.append("inner")
        return response

    @app.middleware("http")
    async def outer(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        order.append("outer")
        return response

    @app.get("/")
    def page(tasks: BackgroundTasks) -> dict[str, bool]:
        tasks.add_task(lambda: order.append("task"))
        return {"ok": True}

    assert recorder.call(app, "/") is None
    assert order == ["inner", "outer", "task"]
    assert recorder.body() == b'{"ok":true}'


def test_a_returned_response_with_its_own_task_keeps_the_request_tasks_too() -> None:
    from starlette.background import BackgroundTask

    from hinted import App, BackgroundTasks
    from hinted.responses import PlainTextResponse
    from hinted.testclient import TestClient

    ran: list[str] = []
    app = App()

    @app.get("/both")
    def both(tasks: BackgroundTasks) -> PlainTextResponse:
        tasks.add_task(ran.append, "request task")
        return PlainTextResponse("ok", background=BackgroundTask(ran.append, "own task"))

    assert TestClient(app).get("/both").text == "ok"
    assert ran == ["own task", "request task"]
