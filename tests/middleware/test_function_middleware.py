"""``@app.middleware("http")``: pure ASGI, same task, streaming preserved."""

import contextvars
from collections.abc import Awaitable, Callable, Iterator

from hinted import App, Request, Response
from hinted.responses import StreamingResponse
from hinted.testclient import TestClient

request_user: contextvars.ContextVar[str] = contextvars.ContextVar("request_user", default="-")
CallNext = Callable[[Request], Awaitable[Response]]


def make_app(seen: dict[str, object]) -> App:
    app = App()

    @app.middleware("http")
    async def add_headers(request: Request, call_next: CallNext) -> Response:
        seen["body_seen_by_middleware"] = await request.body()
        response = await call_next(request)
        seen["user_after_call_next"] = request_user.get()
        seen["status"] = response.status_code
        response.headers["x-middleware"] = "yes"
        return response

    @app.post("/echo")
    async def echo(payload: dict[str, int]) -> dict[str, int]:
        request_user.set("alice")
        return payload

    @app.get("/stream")
    def stream() -> StreamingResponse:
        def numbers() -> Iterator[str]:
            for i in range(3):
                yield f"{i}\n"

        return StreamingResponse(numbers(), media_type="text/plain")

    @app.get("/missing")
    async def missing() -> None:
        from hinted import HTTPException

        raise HTTPException(404, "nothing here")

    return app


def test_middleware_sees_and_changes_the_response_and_handler_contextvars() -> None:
    seen: dict[str, object] = {}
    client = TestClient(make_app(seen))
    response = client.post("/echo", json={"a": 1})
    assert response.status_code == 200
    assert response.json() == {"a": 1}
    assert response.headers["x-middleware"] == "yes"
    # The body read by the middleware is replayed to the handler.
    assert seen["body_seen_by_middleware"] == b'{"a":1}'
    # The handler ran in the same task: its context variable is visible afterwards.
    assert seen["user_after_call_next"] == "alice"
    assert seen["status"] == 200


def test_streamed_responses_are_handed_over_unsent_and_still_stream() -> None:
    seen: dict[str, object] = {}
    client = TestClient(make_app(seen))
    with client.stream("GET", "/stream") as response:
        assert response.headers["x-middleware"] == "yes"
        assert list(response.iter_lines()) == ["0", "1", "2"]


def test_error_answers_pass_through_the_middleware() -> None:
    seen: dict[str, object] = {}
    client = TestClient(make_app(seen))
    response = client.get("/missing")
    assert response.status_code == 404
    assert response.json() == {"detail": "nothing here"}
    assert response.headers["x-middleware"] == "yes"
    assert seen["status"] == 404
    assert client.get("/nowhere").headers["x-middleware"] == "yes"


def test_unhandled_errors_are_a_json_500_with_user_middleware() -> None:
    app = App()

    @app.middleware("http")
    async def passthrough(request: Request, call_next: CallNext) -> Response:
        return await call_next(request)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert "secret" not in response.text


def test_an_error_in_the_middleware_itself_is_a_json_500() -> None:
    app = App()

    @app.middleware("http")
    async def broken(request: Request, call_next: CallNext) -> Response:
        raise ValueError("middleware bug")

    @app.get("/ok")
    async def ok() -> dict[str, bool]:
        return {"ok": True}

    response = TestClient(app, raise_server_exceptions=False).get("/ok")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
