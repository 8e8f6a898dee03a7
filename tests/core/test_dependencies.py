"""Dependency injection: sub-dependencies, caching, yield cleanup, overrides, scopes."""

import inspect
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

from hinted import APIRouter, App, Body, Depends, HTTPException, Security
from hinted.exceptions import HintedError
from hinted.security import SecurityScopes
from hinted.testclient import TestClient


def test_sub_dependencies_and_shared_dependency_called_once() -> None:
    calls: list[str] = []

    def settings() -> dict[str, str]:
        calls.append("settings")
        return {"db": "sqlite"}

    async def database(config: Annotated[dict[str, str], Depends(settings)]) -> str:
        calls.append("database")
        return f"db:{config['db']}"

    def repository(
        db: Annotated[str, Depends(database)],
        config: Annotated[dict[str, str], Depends(settings)],
    ) -> str:
        calls.append("repository")
        return f"repo({db}, {config['db']})"

    app = App()

    @app.get("/")
    async def handler(
        repo: Annotated[str, Depends(repository)],
        config: Annotated[dict[str, str], Depends(settings)],
    ) -> dict[str, str]:
        return {"repo": repo, "db": config["db"]}

    client = TestClient(app)
    assert client.get("/").json() == {"repo": "repo(db:sqlite, sqlite)", "db": "sqlite"}
    assert calls == ["settings", "database", "repository"]
    client.get("/")
    assert calls.count("settings") == 2  # once per request


def test_use_cache_false_calls_again() -> None:
    counter = {"n": 0}

    def count() -> int:
        counter["n"] += 1
        return counter["n"]

    app = App()

    @app.get("/")
    async def handler(
        first: Annotated[int, Depends(count)],
        second: Annotated[int, Depends(count, use_cache=False)],
    ) -> list[int]:
        return [first, second]

    assert TestClient(app).get("/").json() == [1, 2]


def test_dependencies_read_request_values() -> None:
    def pagination(skip: int = 0, limit: int = 10) -> dict[str, int]:
        return {"skip": skip, "limit": limit}

    app = App()

    @app.get("/items")
    async def items(page: Annotated[dict[str, int], Depends(pagination)]) -> dict[str, int]:
        return page

    client = TestClient(app)
    assert client.get("/items?skip=5").json() == {"skip": 5, "limit": 10}
    error = client.get("/items?limit=x").json()["detail"][0]
    assert error["loc"] == ["query", "limit"]


class Paginator:
    def __init__(self, skip: int = 0, limit: int = 100) -> None:
        self.skip = skip
        self.limit = limit


def test_class_dependency_with_bare_depends() -> None:
    app = App()

    @app.get("/")
    async def handler(page: Annotated[Paginator, Depends()]) -> dict[str, int]:
        return {"skip": page.skip, "limit": page.limit}

    @app.get("/old")
    async def old_style(page: Paginator = Depends()) -> dict[str, int]:
        return {"skip": page.skip, "limit": page.limit}

    client = TestClient(app)
    assert client.get("/?skip=3").json() == {"skip": 3, "limit": 100}
    assert client.get("/old?limit=7").json() == {"skip": 0, "limit": 7}


def test_yield_dependencies_cleanup_after_response_in_reverse_order() -> None:
    events: list[str] = []

    async def outer() -> AsyncIterator[str]:
        events.append("outer:start")
        try:
            yield "outer"
        except Exception as exc:
            events.append(f"outer:saw {type(exc).__name__}")
            raise
        finally:
            events.append("outer:end")

    def inner(o: Annotated[str, Depends(outer)]) -> Iterator[str]:
        events.append("inner:start")
        try:
            yield f"inner<{o}>"
        except Exception as exc:
            events.append(f"inner:saw {type(exc).__name__}")
            raise
        finally:
            events.append("inner:end")

    app = App()

    @app.get("/ok")
    async def ok(value: Annotated[str, Depends(inner)]) -> str:
        events.append("handler")
        return value

    @app.get("/fail")
    async def fail(value: Annotated[str, Depends(inner)]) -> str:
        raise HTTPException(409, "conflict")

    @app.get("/crash")
    def crash(value: Annotated[str, Depends(inner)]) -> str:
        raise ValueError("crash")

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/ok").json() == "inner<outer>"
    assert events == ["outer:start", "inner:start", "handler", "inner:end", "outer:end"]
    events.clear()
    response = client.get("/fail")
    assert (response.status_code, response.json()) == (409, {"detail": "conflict"})
    assert events == [
        "outer:start",
        "inner:start",
        "inner:saw HTTPException",
        "inner:end",
        "outer:saw HTTPException",
        "outer:end",
    ]
    events.clear()
    response = client.get("/crash")
    assert (response.status_code, response.json()) == (500, {"detail": "Internal Server Error"})
    assert events == [
        "outer:start",
        "inner:start",
        "inner:saw ValueError",
        "inner:end",
        "outer:saw ValueError",
        "outer:end",
    ]


def test_yield_dependency_that_swallows_the_error_still_gives_a_500() -> None:
    seen: list[str] = []

    async def swallowing() -> AsyncIterator[None]:
        try:
            yield
        except Exception as exc:
            seen.append(repr(exc))

    app = App()

    @app.get("/")
    async def handler(_: Annotated[None, Depends(swallowing)]) -> None:
        raise RuntimeError("lost?")

    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500
    assert seen == ["RuntimeError('lost?')"]


def test_yield_cleanup_runs_after_the_response_is_sent() -> None:
    from tests.core._asgi import raw_request

    order: list[str] = []

    async def resource() -> AsyncIterator[str]:
        yield "r"
        order.append("cleanup")

    app = App()

    @app.get("/")
    async def handler(r: Annotated[str, Depends(resource)]) -> str:
        return r

    original = app.__call__

    async def recording_app(scope: Any, receive: Any, send: Any) -> None:
        async def recording_send(message: Any) -> None:
            order.append(message["type"])
            await send(message)

        await original(scope, receive, recording_send)

    response = raw_request(recording_app, "GET", "/")
    assert response.status == 200
    assert order == ["http.response.start", "http.response.body", "cleanup"]


def test_router_and_app_level_dependencies_run_in_order() -> None:
    seen: list[str] = []

    def app_dep() -> None:
        seen.append("app")

    def router_dep() -> None:
        seen.append("router")

    def route_dep() -> None:
        seen.append("route")

    app = App(dependencies=[Depends(app_dep)])
    router = APIRouter(dependencies=[Depends(router_dep)])

    @router.get("/", dependencies=[Depends(route_dep)])
    async def handler() -> str:
        seen.append("handler")
        return "ok"

    app.include_router(router)
    assert TestClient(app).get("/").json() == "ok"
    assert seen == ["app", "router", "route", "handler"]


def test_dependency_overrides_set_changed_cleared_and_reassigned() -> None:
    def real_user() -> str:
        return "real"

    app = App()

    @app.get("/me")
    async def me(user: Annotated[str, Depends(real_user)]) -> str:
        return user

    client = TestClient(app)
    assert client.get("/me").json() == "real"
    app.dependency_overrides[real_user] = lambda: "fake"
    assert client.get("/me").json() == "fake"

    def with_query(name: str = "q") -> str:
        return f"query:{name}"

    app.dependency_overrides[real_user] = with_query
    assert client.get("/me?name=z").json() == "query:z"
    app.dependency_overrides.clear()
    assert client.get("/me").json() == "real"
    app.dependency_overrides = {real_user: lambda: "reassigned"}
    assert client.get("/me").json() == "reassigned"
    del app.dependency_overrides[real_user]
    assert client.get("/me").json() == "real"


def test_override_of_a_route_level_dependency() -> None:
    def guard() -> None:
        raise HTTPException(401, "no")

    app = App()

    @app.get("/guarded", dependencies=[Depends(guard)])
    async def guarded() -> str:
        return "in"

    client = TestClient(app)
    assert client.get("/guarded").status_code == 401
    app.dependency_overrides[guard] = lambda: None
    assert client.get("/guarded").json() == "in"


def test_security_scopes_accumulate() -> None:
    seen: list[list[str]] = []

    def current_user(security_scopes: SecurityScopes) -> str:
        seen.append(security_scopes.scopes)
        return "ann"

    def active_user(
        user: Annotated[str, Security(current_user, scopes=["me"])],
    ) -> str:
        return user

    app = App()

    @app.get("/items")
    async def items(user: Annotated[str, Security(active_user, scopes=["items"])]) -> str:
        return user

    assert TestClient(app).get("/items").json() == "ann"
    assert seen == [["items", "me"]]


def test_sync_code_runs_in_a_worker_thread_and_async_code_on_the_loop() -> None:
    threads: dict[str, int] = {}

    def sync_dep() -> None:
        threads["sync_dep"] = threading.get_ident()

    async def async_dep() -> None:
        threads["async_dep"] = threading.get_ident()

    def sync_gen() -> Iterator[None]:
        threads["sync_gen"] = threading.get_ident()
        yield
        threads["sync_gen_cleanup"] = threading.get_ident()

    app = App()

    @app.get("/sync")
    def sync_handler(
        _a: Annotated[None, Depends(sync_dep)],
        _b: Annotated[None, Depends(async_dep)],
        _c: Annotated[None, Depends(sync_gen)],
    ) -> str:
        threads["sync_handler"] = threading.get_ident()
        return "ok"

    @app.get("/async")
    async def async_handler() -> str:
        threads["async_handler"] = threading.get_ident()
        return "ok"

    @app.get("/sync-direct")
    def sync_direct() -> str:
        threads["sync_direct"] = threading.get_ident()
        return "ok"

    with TestClient(app) as client:  # one event loop, in one thread, for every request
        for path in ("/sync", "/async", "/sync-direct"):
            assert client.get(path).json() == "ok"
    loop = threads["async_dep"]
    assert threads["async_handler"] == loop
    for name in ("sync_dep", "sync_gen", "sync_gen_cleanup", "sync_handler", "sync_direct"):
        assert threads[name] != loop, name


def test_handlers_can_be_called_directly_with_plain_values() -> None:
    app = App()

    def settings() -> str:
        return "real"

    @app.get("/items/{item_id}")
    async def read_item(
        item_id: int, q: str | None = None, config: Annotated[str, Depends(settings)] = "x"
    ) -> dict[str, Any]:
        return {"item_id": item_id, "q": q, "config": config}

    @app.get("/sync")
    def read_sync(limit: int = 3) -> int:
        return limit * 2

    import anyio

    result = anyio.run(lambda: read_item(5, q="x", config="test"))
    assert result == {"item_id": 5, "q": "x", "config": "test"}
    assert read_sync(4) == 8


def test_circular_dependency_is_reported_at_startup() -> None:
    def first() -> None: ...

    def second(x: Annotated[None, Depends(first)]) -> None: ...

    # Close the loop after the fact: first now depends on second.
    first.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "y", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[None, Depends(second)]
            )
        ]
    )
    app = App()
    with pytest.raises(HintedError, match="Circular dependency: second -> first -> second"):
        app.get("/")(second)


class Item(BaseModel):
    name: str


class Owner(BaseModel):
    email: str


def test_body_parameter_read_by_a_dependency_and_the_handler() -> None:
    def item_name(item: Item) -> str:
        return item.name.upper()

    def owner_email(owner: Owner) -> str:
        return owner.email

    app = App()

    @app.post("/whole")
    async def whole(name: Annotated[str, Depends(item_name)], item: Item) -> Any:
        return {"name": name, "item": item.name}

    @app.post("/embedded")
    async def embedded(
        name: Annotated[str, Depends(item_name)],
        email: Annotated[str, Depends(owner_email)],
        item: Item,
    ) -> Any:
        return {"name": name, "email": email, "item": item.name}

    client = TestClient(app)
    assert client.post("/whole", json={"name": "pen"}).json() == {"name": "PEN", "item": "pen"}
    body = {"item": {"name": "pen"}, "owner": {"email": "a@b"}}
    assert client.post("/embedded", json=body).json() == {
        "name": "PEN",
        "email": "a@b",
        "item": "pen",
    }
    errors = client.post("/embedded", json={"item": {}}).json()["detail"]
    assert [e["loc"] for e in errors] == [["body", "item", "name"], ["body", "owner"]]


def test_optional_body_parameters_absent_with_dependencies() -> None:
    def nothing() -> None:
        return None

    app = App(dependencies=[Depends(nothing)])

    @app.post("/two")
    async def two(item: Item | None = None, owner: Owner | None = None) -> Any:
        return {"item": item, "owner": owner}

    @app.post("/embedded")
    async def embedded(item: Annotated[Item | None, Body(embed=True)] = None) -> Any:
        return {"item": item}

    client = TestClient(app)
    assert client.post("/two").json() == {"item": None, "owner": None}
    assert client.post("/two", json={"owner": {"email": "e"}}).json() == {
        "item": None,
        "owner": {"email": "e"},
    }
    assert client.post("/embedded").json() == {"item": None}
    assert client.post("/embedded", json={}).json() == {"item": None}


def test_override_of_a_sub_dependency_with_a_yield_dependency() -> None:
    events: list[str] = []

    def settings() -> str:
        return "real"

    def database(config: Annotated[str, Depends(settings)]) -> str:
        return f"db({config})"

    async def fake_database() -> AsyncIterator[str]:
        events.append("open")
        yield "fake-db"
        events.append("close")

    app = App()

    @app.get("/")
    async def handler(
        db: Annotated[str, Depends(database)], config: Annotated[str, Depends(settings)]
    ) -> list[str]:
        return [db, config]

    client = TestClient(app)
    app.dependency_overrides[settings] = lambda: "fake"
    assert client.get("/").json() == ["db(fake)", "fake"]
    app.dependency_overrides[database] = fake_database
    assert client.get("/").json() == ["fake-db", "fake"]
    assert events == ["open", "close"]


class ContainsWord:
    def __init__(self, word: str) -> None:
        self.word = word

    async def __call__(self, q: str = "") -> bool:
        return self.word in q


def test_callable_instance_as_dependency() -> None:
    app = App()

    @app.get("/")
    async def handler(found: Annotated[bool, Depends(ContainsWord("bar"))]) -> bool:
        return found

    client = TestClient(app)
    assert client.get("/?q=foobar").json() is True
    assert client.get("/?q=foo").json() is False
