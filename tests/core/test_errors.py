"""Errors: HTTPException, exception handlers, 500s, debug tracebacks, problem details."""

from typing import Any

import pytest
from starlette.exceptions import HTTPException as StarletteHTTPException

from hinted import App, HTTPException, Request
from hinted.exception_handlers import request_validation_exception_handler
from hinted.exceptions import RequestValidationError
from hinted.responses import JSONResponse, PlainTextResponse
from hinted.testclient import TestClient


class OutOfStock(Exception):
    def __init__(self, item: str) -> None:
        self.item = item


class Backorder(OutOfStock):
    pass


def make_app(**options: Any) -> App:
    app = App(**options)

    @app.get("/http/{code}")
    async def http_error(code: int) -> None:
        raise HTTPException(
            code, detail={"code": code, "reasons": ["a", 1]}, headers={"x-why": "test"}
        )

    @app.get("/plain-detail")
    async def plain_detail() -> None:
        raise HTTPException(404)

    @app.get("/starlette")
    async def starlette_error() -> None:
        raise StarletteHTTPException(409, "conflict")

    @app.get("/stock/{item}")
    async def stock(item: str) -> None:
        raise Backorder(item)

    @app.get("/boom")
    async def boom() -> None:
        raise ValueError("secret database password in message")

    @app.get("/boom-sync")
    def boom_sync() -> None:
        raise KeyError("sync failure")

    @app.get("/validate")
    async def validate(limit: int) -> int:
        return limit

    return app


def test_http_exception_detail_and_headers() -> None:
    client = TestClient(make_app())
    response = client.get("/http/418")
    assert response.status_code == 418
    assert response.json() == {"detail": {"code": 418, "reasons": ["a", 1]}}
    assert response.headers["x-why"] == "test"
    response = client.get("/plain-detail")
    assert response.json() == {"detail": "Not Found"}
    response = client.get("/starlette")
    assert (response.status_code, response.json()) == (409, {"detail": "conflict"})


def test_http_exception_without_body_status() -> None:
    response = TestClient(make_app()).get("/http/304")
    assert response.status_code == 304
    assert response.content == b""


def test_handler_by_exception_class_matches_subclasses() -> None:
    app = make_app()

    @app.exception_handler(OutOfStock)
    async def out_of_stock(request: Request, exc: OutOfStock) -> JSONResponse:
        return JSONResponse({"out_of_stock": exc.item, "path": request.url.path}, status_code=409)

    response = TestClient(app).get("/stock/pen")
    assert (response.status_code, response.json()) == (
        409,
        {"out_of_stock": "pen", "path": "/stock/pen"},
    )


def test_handler_by_status_code_also_answers_router_404_and_405() -> None:
    app = make_app()

    def not_found(request: Request, exc: Exception) -> PlainTextResponse:  # a sync handler
        return PlainTextResponse(f"nothing at {request.url.path}", status_code=404)

    async def not_allowed(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"allowed": exc.headers["Allow"]}, status_code=405)

    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, not_allowed)
    client = TestClient(app)
    assert client.get("/missing").text == "nothing at /missing"
    assert client.get("/plain-detail").text == "nothing at /plain-detail"
    response = client.post("/boom")
    assert (response.status_code, response.json()) == (405, {"allowed": "GET, HEAD"})


def test_http_exception_handler_override() -> None:
    app = make_app()

    @app.exception_handler(StarletteHTTPException)
    async def custom(request: Request, exc: StarletteHTTPException) -> PlainTextResponse:
        return PlainTextResponse(f"custom {exc.status_code}", status_code=exc.status_code)

    client = TestClient(app)
    assert client.get("/http/400").text == "custom 400"
    assert client.get("/nowhere").text == "custom 404"


def test_request_validation_error_override() -> None:
    app = make_app()

    @app.exception_handler(RequestValidationError)
    async def custom(request: Request, exc: RequestValidationError) -> JSONResponse:
        if request.query_params.get("plain"):
            return await request_validation_exception_handler(request, exc)  # type: ignore[return-value]
        return JSONResponse({"problems": len(exc.errors())}, status_code=400)

    client = TestClient(app)
    response = client.get("/validate?limit=x")
    assert (response.status_code, response.json()) == (400, {"problems": 1})
    response = client.get("/validate?limit=x&plain=1")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


@pytest.mark.parametrize("path", ["/boom", "/boom-sync"])
def test_unhandled_exception_is_a_bare_500(path: str) -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)
    response = client.get(path)
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert response.headers["content-type"] == "application/json"
    assert "Traceback" not in response.text and "password" not in response.text


def test_unhandled_exception_reaches_the_test_client() -> None:
    with pytest.raises(ValueError, match="secret"):
        TestClient(make_app()).get("/boom")


def test_debug_shows_the_traceback() -> None:
    client = TestClient(make_app(debug=True), raise_server_exceptions=False)
    response = client.get("/boom")
    assert response.status_code == 500
    assert "ValueError: secret database password in message" in response.text
    assert "Traceback" in response.text


def test_handler_for_500_and_for_exception() -> None:
    for key in (500, Exception):
        app = make_app()

        async def on_error(request: Request, exc: Exception) -> JSONResponse:
            return JSONResponse({"error": type(exc).__name__}, status_code=500)

        app.add_exception_handler(key, on_error)
        client = TestClient(app, raise_server_exceptions=False)
        response = client.get("/boom")
        assert (response.status_code, response.json()) == (500, {"error": "ValueError"}), key
        # HTTP errors keep their own handler.
        assert client.get("/http/400").status_code == 400


PROBLEM = "application/problem+json"


def test_problem_details() -> None:
    client = TestClient(make_app(problem_details=True), raise_server_exceptions=False)
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {"type": "about:blank", "title": "Not Found", "status": 404}

    response = client.delete("/boom")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["title"] == "Method Not Allowed"
    assert response.headers["allow"] == "GET, HEAD"

    response = client.get("/http/400")
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["x-why"] == "test"
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": {"code": 400, "reasons": ["a", 1]},
    }

    response = client.get("/validate?limit=x")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    document = response.json()
    assert document["status"] == 422
    assert document["title"] == "Unprocessable Content"
    assert [e["loc"] for e in document["errors"]] == [["query", "limit"]]

    response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
    }


def test_problem_titles_follow_rfc_9110_on_every_python() -> None:
    app = App(problem_details=True)

    @app.get("/too-large")
    async def too_large() -> None:
        raise HTTPException(413)

    response = TestClient(app).get("/too-large")
    # Starlette's default detail (Python's phrase) is not repeated as the detail.
    assert response.json() == {"type": "about:blank", "title": "Content Too Large", "status": 413}


def test_exception_handler_that_fails_is_a_json_500() -> None:
    app = make_app()

    @app.exception_handler(OutOfStock)
    async def broken(request: Request, exc: OutOfStock) -> JSONResponse:
        raise RuntimeError("the handler itself fails")

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/stock/pen")
    assert (response.status_code, response.json()) == (500, {"detail": "Internal Server Error"})
    with pytest.raises(RuntimeError, match="the handler itself fails"):
        TestClient(app).get("/stock/pen")


def test_errors_through_http_middleware() -> None:
    app = make_app()

    @app.middleware("http")
    async def tag(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["x-tagged"] = "1"
        return response

    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/nowhere")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert response.headers["x-tagged"] == "1"
    response = client.get("/validate?limit=x")
    assert response.status_code == 422
    response = client.get("/boom")
    assert (response.status_code, response.json()) == (500, {"detail": "Internal Server Error"})
