"""Apps serving the test schemas: ``graphql_app(schema, **options)`` mounts one at /graphql."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hinted import App
from hinted.graphql import GraphQL
from hinted.testclient import TestClient
from tests.graphql.schemas import SCHEMA_NAMES, SCHEMAS

MakeClient = Callable[..., TestClient]


@pytest.fixture(params=SCHEMA_NAMES)
def schema(request: pytest.FixtureRequest) -> Any:
    """Each test using this runs on the Graphene, Strawberry and graphql-core schemas."""
    return SCHEMAS[request.param]


@pytest.fixture
def make_client(schema: Any) -> Iterator[MakeClient]:
    """``make_client(**GraphQL options)``: a client of an app with the schema at /graphql."""
    clients: list[TestClient] = []

    def make(**options: Any) -> TestClient:
        app = App()
        app.mount("/graphql", GraphQL(schema, **options))
        client = TestClient(app)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()
