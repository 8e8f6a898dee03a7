"""The limits on the request head and JSON depth: status, JSON answer naming the limit, count."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import anyio
import pytest
from pydantic import BaseModel, Json

from hinted import App, Body, Cookie, Header, Query
from hinted.exceptions import LimitExceeded
from hinted.limits import PARSER_MAX_DEPTH, KiB, Limits, MiB, exceeded
from hinted.responses import JSONResponse
from tests.core._asgi import RawResponse, raw_request

JSON = [(b"content-type", b"application/json")]


class Node(BaseModel):
    value: Any = None
    children: list[Node] = []


def limited_app(limits: Limits | None = None, **options: Any) -> App:
    app = App(limits=limits, **options)

    @app.get("/q")
    async def query(
        a: str | None = None,
        many: Annotated[list[str], Query()] = [],  # noqa: B006
        session: Annotated[str | None, Cookie()] = None,
        x_token: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        return {"a": a, "many": len(many), "session": session}

    @app.get("/plain")
    async def plain() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/any")
    async def any_body(data: Annotated[Any, Body()]) -> dict[str, bool]:
        return {"ok": True}

    @app.post("/tree")
    async def tree(node: Node) -> dict[str, bool]:
        return {"ok": True}

    @app.post("/embedded")
    async def embedded(
        a: Annotated[list[Any], Body()], b: Annotated[int, Body()] = 0
    ) -> dict[str, int]:
        return {"a": len(a), "b": b}

    @app.get("/json-query")
    async def json_query(data: Annotated[Json[Any], Query()]) -> dict[str, bool]:
        return {"ok": True}

    roomy = dataclasses.replace(
        app.limits,
        max_query_params=5000,
        max_query_string_size=64 * KiB,
        max_headers=500,
        max_headers_size=256 * KiB,
        max_cookies=1000,
        max_json_depth=150,
    )

    @app.post("/roomy", limits=roomy)
    async def roomy_route(
        data: Annotated[Any, Body()],
        a: Annotated[list[str], Query()] = [],  # noqa: B006
        session: Annotated[str | None, Cookie()] = None,
    ) -> dict[str, int]:
        return {"a": len(a)}

    @app.get("/strict", limits=Limits(max_query_params=2, max_headers=3))
    async def strict(a: Annotated[list[str], Query()] = []) -> dict[str, int]:  # noqa: B006
        return {"a": len(a)}

    return app


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def expect_limit(response: RawResponse, status: int, limit: str) -> None:
    assert response.status == status, response.body
    assert response.header(b"content-type") == b"application/json"
    body = response.json()
    assert body["limit"] == limit
    assert isinstance(body["detail"], str) and str(getattr(Limits(), limit)) in body["detail"]


def test_the_documented_defaults() -> None:
    limits = Limits()
    assert limits.max_json_depth == 64
    assert limits.max_query_params == 1000
    assert limits.max_query_string_size == 8 * KiB
    assert limits.max_headers == 100
    assert limits.max_headers_size == 32 * KiB
    assert limits.max_cookies == 200
    assert limits.max_websocket_message_size == 1 * MiB


@pytest.mark.parametrize(
    ("limit", "status"),
    [
        ("max_body_size", 413),
        ("max_json_depth", 400),
        ("max_query_params", 414),
        ("max_query_string_size", 414),
        ("max_headers", 431),
        ("max_headers_size", 431),
        ("max_cookies", 431),
    ],
)
def test_each_limit_has_its_status(limit: str, status: int) -> None:
    error = exceeded(limit, 7)
    assert isinstance(error, LimitExceeded)
    assert (error.status_code, error.limit, error.maximum) == (status, limit, 7)
    assert "7" in error.detail


# -- query string ------------------------------------------------------------------------


def test_query_params_at_and_past_the_limit() -> None:
    app = limited_app()
    at_limit = b"&".join([b"many=x"] * 1000)
    response = raw_request(app, "GET", "/q", query_string=at_limit)
    assert response.status == 200
    assert response.json()["many"] == 1000
    expect_limit(
        raw_request(app, "GET", "/q", query_string=at_limit + b"&a=1"), 414, "max_query_params"
    )
    assert app.limit_hits == {"max_query_params": 1}


def test_empty_pieces_count_as_parameters() -> None:
    response = raw_request(limited_app(), "GET", "/q", query_string=b"&" * 1000)
    expect_limit(response, 414, "max_query_params")


def test_query_string_size() -> None:
    app = limited_app()
    response = raw_request(app, "GET", "/q", query_string=b"a=" + b"x" * (8 * KiB - 2))
    assert response.status == 200
    response = raw_request(app, "GET", "/q", query_string=b"a=" + b"x" * (8 * KiB - 1))
    expect_limit(response, 414, "max_query_string_size")


def test_query_limits_apply_to_routes_that_read_no_query() -> None:
    app = limited_app()
    response = raw_request(app, "GET", "/plain", query_string=b"x" * 10_000)
    expect_limit(response, 414, "max_query_string_size")


# -- headers and cookies ----------------------------------------------------------------


def test_header_count() -> None:
    app = limited_app()
    # raw_request sends a host header: 99 more make 100.
    headers = [(b"x-h%d" % i, b"v") for i in range(99)]
    assert raw_request(app, "GET", "/q", headers=headers).status == 200
    response = raw_request(app, "GET", "/q", headers=[*headers, (b"x-token", b"t")])
    expect_limit(response, 431, "max_headers")


def test_header_size_counts_names_and_values_together() -> None:
    app = limited_app()
    host = len(b"host") + len(b"testserver")
    fits = [(b"x-token", b"v" * (32 * KiB - host - len(b"x-token")))]
    assert raw_request(app, "GET", "/q", headers=fits).status == 200
    over = [(b"x-token", fits[0][1] + b"v")]
    expect_limit(raw_request(app, "GET", "/q", headers=over), 431, "max_headers_size")
    split = [(b"a" * 10_000, b"b" * 10_000), (b"c" * 10_000, b"d" * 10_000)]
    expect_limit(raw_request(app, "GET", "/plain", headers=split), 431, "max_headers_size")


def test_cookie_count() -> None:
    app = limited_app()
    cookies = b"; ".join(b"c%d=1" % i for i in range(199)) + b"; session=s"
    response = raw_request(app, "GET", "/q", headers=[(b"cookie", cookies)])
    assert response.json()["session"] == "s"
    response = raw_request(app, "GET", "/q", headers=[(b"cookie", cookies + b"; one=more")])
    expect_limit(response, 431, "max_cookies")


def test_cookies_are_counted_only_by_routes_that_read_them() -> None:
    cookies = b"; ".join(b"c%d=1" % i for i in range(500))
    response = raw_request(limited_app(), "GET", "/plain", headers=[(b"cookie", cookies)])
    assert response.status == 200


def test_head_limits_refuse_before_the_body_is_read() -> None:
    app = limited_app()
    received: list[Any] = []
    sent: list[Any] = []
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/any",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"x-h%d" % i, b"v") for i in range(200)],
    }

    async def receive() -> dict[str, Any]:
        received.append(1)
        return {"type": "http.request", "body": b"[]", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    assert sent[0]["status"] == 431
    assert received == []


# -- JSON depth -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/any", "/tree", "/embedded"])
def test_100_000_nested_brackets_are_a_clear_400(path: str) -> None:
    app = limited_app()
    for body in (nested(100_000), b"[" * 100_000, b'{"a":' * 100_000, b'{"a": ' + nested(100_000)):
        response = raw_request(app, "POST", path, body=body, headers=JSON)
        expect_limit(response, 400, "max_json_depth")
    assert app.limit_hits["max_json_depth"] == 4


def test_depth_at_and_past_the_limit() -> None:
    app = limited_app()
    assert raw_request(app, "POST", "/any", body=nested(64), headers=JSON).status == 200
    response = raw_request(app, "POST", "/any", body=nested(65), headers=JSON)
    expect_limit(response, 400, "max_json_depth")
    tree = b'{"children": [' * 32 + b"{}" + b"]}" * 32  # 65 levels of objects and arrays
    response = raw_request(app, "POST", "/tree", body=tree, headers=JSON)
    expect_limit(response, 400, "max_json_depth")
    tree = b'{"children": [' * 31 + b"{}" + b"]}" * 31
    assert raw_request(app, "POST", "/tree", body=tree, headers=JSON).status == 200


def test_a_deep_body_that_also_fails_validation_is_refused_for_its_depth() -> None:
    app = limited_app()
    response = raw_request(app, "POST", "/tree", body=nested(70), headers=JSON)
    expect_limit(response, 400, "max_json_depth")


def test_brackets_inside_strings_do_not_count() -> None:
    app = limited_app()
    body = b'["' + b"[" * 1000 + b'", "\\"' + b"{" * 1000 + b'\\\\"]'
    response = raw_request(app, "POST", "/any", body=body, headers=JSON)
    assert response.status == 200


def test_malformed_json_is_a_422_not_a_depth_error() -> None:
    app = limited_app()
    response = raw_request(app, "POST", "/any", body=b"[" * 100 + b"x", headers=JSON)
    assert response.status == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"
    assert app.limit_hits == {}


def test_a_route_may_allow_deeper_bodies() -> None:
    app = limited_app()
    response = raw_request(app, "POST", "/roomy", body=nested(150), headers=JSON)
    assert response.status == 200
    response = raw_request(app, "POST", "/roomy", body=nested(151), headers=JSON)
    assert response.status == 400
    assert response.json()["detail"] == "JSON body nested too deeply: the limit is 150 levels"


@pytest.mark.parametrize("depth", [200, 202, 250, 100_000])
def test_past_the_parsers_own_limit_it_is_a_422(depth: int) -> None:
    app = App(limits=Limits(max_json_depth=1000))

    @app.post("/any")
    async def any_body(data: Annotated[Any, Body()]) -> dict[str, bool]:
        return {"ok": True}

    response = raw_request(app, "POST", "/any", body=nested(depth), headers=JSON)
    if depth <= PARSER_MAX_DEPTH:
        assert response.status == 200
    else:
        assert response.status == 422
        assert response.json()["detail"][0]["type"] == "json_invalid"


def test_deep_json_in_a_query_parameter_is_a_422() -> None:
    app = limited_app()
    query = b"data=" + b"%5B" * 1000 + b"%5D" * 1000
    response = raw_request(app, "GET", "/json-query", query_string=query)
    assert response.status == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


# -- per route, problem details, custom handlers ----------------------------------------


def test_a_route_may_allow_more() -> None:
    app = limited_app()
    query = b"&".join([b"a=x"] * 3000)
    headers = [(b"x-h%d" % i, b"v" * 400) for i in range(300)]
    headers.append((b"cookie", b"; ".join(b"c%d=1" % i for i in range(900))))
    response = raw_request(app, "POST", "/roomy", query_string=query, headers=headers, body=b"1")
    assert response.status == 200
    assert response.json() == {"a": 3000}
    response = raw_request(app, "GET", "/q", query_string=query)
    expect_limit(response, 414, "max_query_string_size")


def test_a_route_may_allow_less() -> None:
    app = limited_app()
    assert raw_request(app, "GET", "/strict", query_string=b"a=1&a=2").json() == {"a": 2}
    response = raw_request(app, "GET", "/strict", query_string=b"a=1&a=2&a=3")
    assert response.status == 414
    assert response.json()["detail"] == "Too many query parameters: the limit is 2 parameters"
    response = raw_request(app, "GET", "/strict", headers=[(b"a", b"1"), (b"b", b"2"), (b"c", b"")])
    assert response.status == 431
    assert app.limit_hits == {"max_query_params": 1, "max_headers": 1}


@pytest.mark.parametrize(
    ("request_args", "status", "title", "limit"),
    [
        ({"query_string": b"a" * 9000}, 414, "URI Too Long", "max_query_string_size"),
        ({"headers": [(b"x", b"y" * 40_000)]}, 431, "Request Header Fields Too Large", None),
        ({"body": nested(100), "headers": JSON}, 400, "Bad Request", "max_json_depth"),
    ],
)
def test_problem_details(
    request_args: dict[str, Any], status: int, title: str, limit: str | None
) -> None:
    app = limited_app(problem_details=True)
    method, path = ("POST", "/any") if "body" in request_args else ("GET", "/q")
    response = raw_request(app, method, path, **request_args)
    assert response.status == status
    assert response.header(b"content-type") == b"application/problem+json"
    document = response.json()
    assert document["title"] == title
    assert document["status"] == status
    assert document["limit"] == (limit or "max_headers_size")


def test_a_handler_for_limit_exceeded_sees_the_status() -> None:
    app = limited_app()

    @app.exception_handler(LimitExceeded)
    async def handler(request: Any, exc: LimitExceeded) -> JSONResponse:
        return JSONResponse({"mine": exc.limit, "max": exc.maximum}, status_code=exc.status_code)

    response = raw_request(app, "GET", "/q", query_string=b"&" * 2000)
    assert response.status == 414
    assert response.json() == {"mine": "max_query_params", "max": 1000}
    assert app.limit_hits == {"max_query_params": 1}


def test_limit_hits_count_every_limit_by_name() -> None:
    app = limited_app()
    for _ in range(3):
        raw_request(app, "GET", "/q", query_string=b"a" * 9000)
    raw_request(app, "POST", "/any", body=b"x" * (16 * MiB + 1), headers=JSON)
    assert app.limit_hits == {"max_query_string_size": 3, "max_body_size": 1}


@pytest.mark.parametrize("name", ["max_json_depth", "max_headers", "max_cookies"])
def test_new_limits_are_checked_when_made(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Limits(**{name: -1})
