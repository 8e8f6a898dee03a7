"""The resolver context: the request, and hinted dependencies resolved as for a route."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import pytest
from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema, GraphQLString

from hinted import App, BackgroundTasks, Body, Depends, Header, HTTPException, Request
from hinted.exceptions import HintedError
from hinted.graphql import Context, GraphQL
from hinted.testclient import TestClient

events: list[str] = []


@pytest.fixture(autouse=True)
def _clear_events() -> Iterator[None]:
    events.clear()
    yield
    events.clear()


class Session:
    """A stand-in for a database session: records whether it committed."""

    def __init__(self) -> None:
        self.committed = False


def get_session() -> Iterator[Session]:
    session = Session()
    events.append("session opened")
    try:
        yield session
    except Exception as exc:
        events.append(f"rolled back after {exc}")
        raise
    events.append("committed")


def current_user(x_user: Annotated[str | None, Header()] = None) -> str:
    if x_user is None:
        raise HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})
    return x_user


async def audit(request: Request) -> AsyncIterator[None]:
    events.append(f"audit {request.method}")
    yield
    events.append("audit done")


def _context_schema() -> GraphQLSchema:
    def whoami(root: Any, info: Any) -> str:
        context: Context = info.context
        session = context["db"]
        assert isinstance(session, Session)
        return f"{context.user} via {context.request.url.path}"

    def set_cookie(root: Any, info: Any) -> str:
        info.context["response"].set_cookie("seen", "yes")
        info.context["background"].add_task(events.append, "background task")
        return "ok"

    def fail(root: Any, info: Any) -> str:
        raise ValueError("resolver failed")

    fields = {
        "whoami": GraphQLField(GraphQLString, resolve=whoami),
        "setCookie": GraphQLField(GraphQLString, resolve=set_cookie),
        "fail": GraphQLField(GraphQLString, resolve=fail),
    }
    return GraphQLSchema(query=GraphQLObjectType("Query", fields))


context_schema = _context_schema()


def make_app(**options: Any) -> App:
    app = App()
    options.setdefault("context", {"db": Depends(get_session), "user": Depends(current_user)})
    app.mount("/graphql", GraphQL(context_schema, **options))

    @app.get("/rest/whoami")
    def rest_whoami(user: Annotated[str, Depends(current_user)]) -> str:
        return user

    return app


def test_dependencies_fill_the_context_and_yield_cleanup_runs_after() -> None:
    with TestClient(make_app()) as client:
        answer = client.post("/graphql", json={"query": "{ whoami }"}, headers={"x-user": "ada"})
    assert answer.json() == {"data": {"whoami": "ada via /graphql"}}
    assert events == ["session opened", "committed"]


def test_a_failing_dependency_answers_as_the_rest_route_does() -> None:
    with TestClient(make_app()) as client:
        graphql = client.post("/graphql", json={"query": "{ whoami }"})
        rest = client.get("/rest/whoami")
    assert graphql.status_code == rest.status_code == 401
    assert graphql.json() == rest.json() == {"detail": "Not authenticated"}
    assert graphql.headers["www-authenticate"] == "Bearer"
    # The session opened before the user was checked, and is closed all the same.
    assert events[0] == "session opened" and events[-1].startswith("rolled back")


def test_a_resolver_exception_reaches_yield_dependencies() -> None:
    with TestClient(make_app()) as client:
        answer = client.post("/graphql", json={"query": "{ fail }"}, headers={"x-user": "ada"})
    assert answer.status_code == 200
    assert answer.json()["errors"][0]["message"] == "resolver failed"
    assert events == ["session opened", "rolled back after resolver failed"]


def test_dependency_overrides_apply() -> None:
    app = make_app()
    app.dependency_overrides[current_user] = lambda: "override"
    with TestClient(app) as client:
        answer = client.post("/graphql", json={"query": "{ whoami }"})
        assert answer.json() == {"data": {"whoami": "override via /graphql"}}
        app.dependency_overrides.clear()
        assert client.post("/graphql", json={"query": "{ whoami }"}).status_code == 401


def test_route_style_dependencies_run_for_their_effect() -> None:
    app = make_app(context={}, dependencies=[Depends(audit)])
    with TestClient(app) as client:
        answer = client.post("/graphql", json={"query": "{ setCookie }"})
    assert answer.json() == {"data": {"setCookie": "ok"}}
    assert events == ["audit POST", "background task", "audit done"]


def test_response_headers_and_background_tasks() -> None:
    with TestClient(make_app(context={})) as client:
        answer = client.post("/graphql", json={"query": "{ setCookie }"})
    assert answer.cookies["seen"] == "yes"
    assert events == ["background task"]


def test_context_getter_is_a_dependency_and_its_mapping_is_merged() -> None:
    def get_context(
        user: Annotated[str, Depends(current_user)], tasks: BackgroundTasks
    ) -> dict[str, Any]:
        return {"user": user.upper(), "db": Session()}

    app = make_app(context={}, context_getter=get_context)
    with TestClient(app) as client:
        answer = client.post("/graphql", json={"query": "{ whoami }"}, headers={"x-user": "ada"})
    assert answer.json() == {"data": {"whoami": "ADA via /graphql"}}


def test_context_getter_returning_an_object_replaces_the_context() -> None:
    class Custom:
        pass

    def fields(root: Any, info: Any) -> str:
        return type(info.context).__name__

    schema = GraphQLSchema(
        query=GraphQLObjectType("Query", {"kind": GraphQLField(GraphQLString, resolve=fields)})
    )
    app = App()
    app.mount("/graphql", GraphQL(schema, context_getter=lambda: Custom()))
    with TestClient(app) as client:
        assert client.post("/graphql", json={"query": "{ kind }"}).json() == {
            "data": {"kind": "Custom"}
        }


def test_constant_context_values_pass_through() -> None:
    def value(root: Any, info: Any) -> str:
        return str(info.context["setting"])

    schema = GraphQLSchema(
        query=GraphQLObjectType("Query", {"setting": GraphQLField(GraphQLString, resolve=value)})
    )
    app = App()
    app.mount("/graphql", GraphQL(schema, context={"setting": 42}))
    with TestClient(app) as client:
        assert client.get("/graphql?query={setting}").json() == {"data": {"setting": "42"}}


def test_a_context_dependency_may_not_read_the_body() -> None:
    def reads_body(payload: Annotated[dict[str, Any], Body()]) -> None:
        return None

    app = App()
    app.mount("/graphql", GraphQL(context_schema, context={"x": Depends(reads_body)}))
    with (
        TestClient(app) as client,
        pytest.raises(HintedError, match="cannot read the request body"),
    ):
        client.post("/graphql", json={"query": "{ whoami }"})


def test_without_a_hinted_app_dependencies_still_resolve() -> None:
    graphql = GraphQL(
        context_schema, context={"db": Depends(get_session), "user": Depends(current_user)}
    )
    with TestClient(graphql) as client:
        ok = client.post("/", json={"query": "{ whoami }"}, headers={"x-user": "bob"})
        denied = client.post("/", json={"query": "{ whoami }"})
    assert ok.json() == {"data": {"whoami": "bob via /"}}
    assert denied.status_code == 401
    assert denied.json() == {"detail": "Not authenticated"}
