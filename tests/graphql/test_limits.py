"""Depth and cost limits: counted before any resolver runs, refused with a clear error."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from hinted.graphql import query_cost, query_depth
from tests.graphql.conftest import MakeClient

DEEP = "{ items { children { children { children { id } } } } }"  # depth 5


def _operation(document: str) -> tuple[OperationDefinitionNode, dict[str, Any]]:
    parsed = parse(document)
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return operations[0], fragments


@pytest.mark.parametrize(
    ("document", "depth"),
    [
        ("{ hello }", 1),
        ("{ hello items { id } }", 2),
        (DEEP, 5),
        ("{ items { ...F } } fragment F on Item { children { id } }", 3),
        ("{ items { ... on Item { children { children { id } } } } }", 4),
        ("{ __schema { types { fields { type { ofType { name } } } } } }", 0),
        ("{ items { __typename id } }", 2),
    ],
)
def test_query_depth(document: str, depth: int) -> None:
    operation, fragments = _operation(document)
    assert query_depth(operation, fragments) == depth


@pytest.mark.parametrize(
    ("document", "variables", "cost"),
    [
        ("{ hello }", {}, 1),
        ("{ items { id name } }", {}, 3),
        ("{ items(limit: 10) { id name } }", {}, 21),
        ("query($n: Int) { items(limit: $n) { id } }", {"n": 5}, 6),
        ("{ items(limit: 10) { children(first: 3) { id } } }", {}, 1 + 10 * (1 + 3)),
        ("{ items { ...F ...F } } fragment F on Item { id }", {}, 3),
    ],
)
def test_query_cost(document: str, variables: dict[str, Any], cost: int) -> None:
    operation, fragments = _operation(document)
    assert query_cost(operation, fragments, variables) == cost


def test_a_cyclic_fragment_does_not_hang_the_counters() -> None:
    operation, fragments = _operation(
        "{ items { ...A } } fragment A on Item { children { ...B } } "
        "fragment B on Item { children { ...A } }"
    )
    assert query_depth(operation, fragments) == 3
    assert query_cost(operation, fragments) == 3


def test_too_deep_is_refused(make_client: MakeClient) -> None:
    client = make_client(max_depth=4)
    shallow = "{ items { children { children { id } } } }"
    assert "errors" not in client.post("/graphql", json={"query": shallow}).json()
    answer = client.post(
        "/graphql",
        json={"query": DEEP},
        headers={"accept": "application/graphql-response+json"},
    )
    assert answer.status_code == 400
    (error,) = answer.json()["errors"]
    assert error["message"] == "The query is 5 levels deep; the limit is 4."
    assert error["extensions"] == {"code": "QUERY_TOO_DEEP", "depth": 5, "maxDepth": 4}


def test_too_costly_is_refused_with_variables_counted(make_client: MakeClient) -> None:
    client = make_client(max_cost=50)
    document = "query($n: Int) { items(limit: $n) { id name } }"
    small = client.post("/graphql", json={"query": document, "variables": {"n": 5}})
    assert len(small.json()["data"]["items"]) == 5
    answer = client.post("/graphql", json={"query": document, "variables": {"n": 100}})
    assert answer.status_code == 200  # application/json: GraphQL errors in a 200
    body = answer.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["message"] == "The query's estimated cost is 201; the limit is 50."
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"


def test_introspection_is_not_limited(make_client: MakeClient) -> None:
    from graphql import get_introspection_query

    limited = make_client(max_depth=3, max_cost=20)
    answer = limited.post("/graphql", json={"query": get_introspection_query()})
    assert answer.status_code == 200
    assert answer.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_limits_must_be_positive() -> None:
    from hinted.graphql import GraphQL
    from tests.graphql.schemas import core_schema

    with pytest.raises(ValueError, match="max_depth must be at least 1"):
        GraphQL(core_schema, max_depth=0)
