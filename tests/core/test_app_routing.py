"""App and APIRouter: verbs, including routers, mounts, slashes, lifespan, URLs."""

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import NoMatchFound
from starlette.routing import Route as StarletteRoute

from hinted import APIRouter, App, Depends, HTTPException, Request
from hinted.staticfiles import StaticFiles
from hinted.testclient import TestClient


def test_every_verb_decorator_registers_its_method() -> None:
    app = App()
    for verb in ("get", "post", "put", "patch", "delete", "options"):

        async def handler(verb: str = verb) -> dict[str, str]:
            return {"verb": verb}

        getattr(app, verb)("/thing")(handler)

    @app.head("/only-head")
    async def only_head() -> None:
        return None

    client = TestClient(app)
    for verb in ("get", "post", "put", "patch", "delete", "options"):
        response = client.request(verb.upper(), "/thing")
        assert response.status_code == 200, verb
        assert response.json() == {"verb": verb}
    assert client.head("/only-head").status_code == 200
    assert client.get("/only-head").status_code == 405


def test_api_route_and_add_api_route() -> None:
    app = App()

    @app.api_route("/multi", methods=["GET", "POST"])
    async def multi(request: Request) -> dict[str, str]:
        return {"method": request.method}

    async def plain() -> str:
        return "plain"

    route = app.add_api_route("/plain", plain, methods=["PUT"], status_code=202)
    assert route.path == "/plain"
    client = TestClient(app)
    assert client.get("/multi").json() == {"method": "GET"}
    assert client.post("/multi").json() == {"method": "POST"}
    assert client.delete("/multi").status_code == 405
    response = client.put("/plain")
    assert (response.status_code, response.json()) == (202, "plain")


def test_include_router_with_prefix_tags_dependencies_and_responses() -> None:
    seen: list[str] = []

    def outer_dependency() -> None:
        seen.append("outer")

    def router_dependency() -> None:
        seen.append("router")

    router = APIRouter(
        prefix="/users",
        tags=["users"],
        dependencies=[Depends(router_dependency)],
        responses={404: {"description": "No such user"}},
    )

    @router.get("/{user_id}", tags=["read"])
    async def read_user(user_id: int) -> dict[str, int]:
        seen.append("handler")
        return {"user_id": user_id}

    app = App()
    app.include_router(
        router,
        prefix="/v1",
        tags=["v1"],
        dependencies=[Depends(outer_dependency)],
        responses={418: {"description": "Teapot"}},
    )
    (route,) = [r for r in app.routes if getattr(r, "path", "") == "/v1/users/{user_id}"]
    assert route.tags == ["v1", "users", "read"]  # type: ignore[union-attr]
    assert set(route.responses) == {404, 418}  # type: ignore[union-attr]
    client = TestClient(app)
    assert client.get("/v1/users/7").json() == {"user_id": 7}
    assert seen == ["outer", "router", "handler"]
    assert client.get("/users/7").status_code == 404


def test_nested_routers() -> None:
    inner = APIRouter(prefix="/inner")

    @inner.get("/leaf")
    async def leaf() -> str:
        return "leaf"

    middle = APIRouter(prefix="/middle")
    middle.include_router(inner)
    app = App()
    app.include_router(middle, prefix="/api")
    assert TestClient(app).get("/api/middle/inner/leaf").json() == "leaf"


def test_router_prefix_must_be_well_formed() -> None:
    with pytest.raises(ValueError, match="prefix"):
        APIRouter(prefix="/trailing/")
    with pytest.raises(ValueError, match="prefix"):
        App().include_router(APIRouter(), prefix="no-slash")


def test_mount_an_asgi_app() -> None:
    async def hello(request: Any) -> PlainTextResponse:
        return PlainTextResponse(f"hello from {request.url.path} at {request.scope['root_path']}")

    sub = Starlette(routes=[StarletteRoute("/hello", hello)])
    app = App()
    app.mount("/sub", sub, name="sub")
    client = TestClient(app)
    response = client.get("/sub/hello")
    assert response.status_code == 200
    assert response.text == "hello from /sub/hello at /sub"
    assert client.get("/sub/missing").status_code == 404


def test_mount_static_files(tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("static hello")
    app = App()
    app.mount("/static", StaticFiles(directory=tmp_path), name="static")

    @app.get("/link")
    async def link(request: Request) -> str:
        return str(request.url_for("static", path="hello.txt"))

    client = TestClient(app)
    response = client.get("/static/hello.txt")
    assert (response.status_code, response.text) == (200, "static hello")
    assert client.get("/static/nope.txt").status_code == 404
    assert client.get("/link").json() == "http://testserver/static/hello.txt"
    assert app.url_path_for("static", path="hello.txt") == "/static/hello.txt"


def test_redirect_slashes() -> None:
    app = App()

    @app.get("/items")
    async def items() -> str:
        return "items"

    @app.get("/folder/")
    async def folder() -> str:
        return "folder"

    client = TestClient(app, follow_redirects=False)
    response = client.get("/items/?q=1")
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/items?q=1"
    response = client.get("/folder")
    assert response.status_code == 307
    assert response.headers["location"] == "http://testserver/folder/"
    assert TestClient(app).get("/items/").json() == "items"


def test_redirect_slashes_disabled() -> None:
    app = App(redirect_slashes=False)

    @app.get("/items")
    async def items() -> str:
        return "items"

    client = TestClient(app, follow_redirects=False)
    response = client.get("/items/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_lifespan_state_reaches_requests_and_shutdown_runs() -> None:
    events: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: App) -> AsyncIterator[dict[str, Any]]:
        events.append("startup")
        yield {"db": "connection"}
        events.append("shutdown")

    app = App(lifespan=lifespan)

    @app.get("/db")
    async def db(request: Request) -> str:
        return str(request.state.db)

    with TestClient(app) as client:
        assert events == ["startup"]
        assert client.get("/db").json() == "connection"
    assert events == ["startup", "shutdown"]


def test_lifespan_startup_failure_is_raised() -> None:
    @contextlib.asynccontextmanager
    async def lifespan(app: App) -> AsyncIterator[None]:
        raise RuntimeError("database unreachable")
        yield

    app = App(lifespan=lifespan)
    with pytest.raises(RuntimeError, match="database unreachable"), TestClient(app):
        pass


def test_app_state_and_legacy_event_hooks() -> None:
    app = App()
    app.state.counter = 0
    calls: list[str] = []

    @app.on_event("startup")
    async def start() -> None:
        calls.append("startup")
        app.state.counter += 1

    @app.on_event("shutdown")
    def stop() -> None:
        calls.append("shutdown")

    @app.get("/counter")
    async def counter(request: Request) -> int:
        value: int = request.app.state.counter
        return value

    with TestClient(app) as client:
        assert client.get("/counter").json() == 1
    assert calls == ["startup", "shutdown"]


def test_url_path_for_and_url_for() -> None:
    router = APIRouter(prefix="/users")

    @router.get("/{user_id}/posts/{post_id}", name="user_post")
    async def user_post(user_id: int, post_id: int, request: Request) -> str:
        return str(request.url_for("user_post", user_id=user_id, post_id=post_id + 1))

    app = App()
    app.include_router(router)
    assert app.url_path_for("user_post", user_id=1, post_id=2) == "/users/1/posts/2"
    with pytest.raises(NoMatchFound):
        app.url_path_for("user_post", user_id=1)
    with pytest.raises(NoMatchFound):
        app.url_path_for("nobody")
    response = TestClient(app).get("/users/1/posts/2")
    assert response.json() == "http://testserver/users/1/posts/3"


def test_routes_added_after_the_first_request_are_served() -> None:
    app = App()

    @app.get("/first")
    async def first() -> str:
        return "first"

    client = TestClient(app)
    assert client.get("/first").status_code == 200

    @app.get("/second")
    async def second() -> str:
        return "second"

    assert client.get("/second").json() == "second"


def test_http_exception_in_router_dependency() -> None:
    def deny() -> None:
        raise HTTPException(403, "Forbidden here")

    router = APIRouter(dependencies=[Depends(deny)])

    @router.get("/secret")
    async def secret() -> str:
        return "secret"

    app = App()
    app.include_router(router)
    response = TestClient(app).get("/secret")
    assert (response.status_code, response.json()) == (403, {"detail": "Forbidden here"})
