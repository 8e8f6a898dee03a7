"""GraphQL over HTTP: the same documents on Graphene, Strawberry and graphql-core schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hinted import App
from hinted.graphql import GraphQL
from hinted.limits import Limits
from hinted.testclient import TestClient
from tests.graphql.conftest import MakeClient

GRAPHQL_RESPONSE = "application/graphql-response+json"


def test_get_with_query_string(client: TestClient) -> None:
    answer = client.get("/graphql", params={"query": '{ hello(name: "GET") }'})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"data": {"hello": "Hello, GET!"}}


def test_post_json_with_variables(client: TestClient) -> None:
    answer = client.post(
        "/graphql",
        json={
            "query": "query Sum($a: Int!, $b: Int!) { add(a: $a, b: $b) }",
            "variables": {"a": 2, "b": 40},
        },
    )
    assert answer.status_code == 200
    assert answer.json() == {"data": {"add": 42}}


def test_get_variables_are_json_in_the_query_string(client: TestClient) -> None:
    answer = client.get(
        "/graphql",
        params={"query": "query($n: String) { hello(name: $n) }", "variables": '{"n": "vars"}'},
    )
    assert answer.json() == {"data": {"hello": "Hello, vars!"}}


def test_post_application_graphql(client: TestClient) -> None:
    answer = client.post(
        "/graphql",
        content="{ items(limit: 2) { id name } }",
        headers={"content-type": "application/graphql; charset=utf-8"},
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "data": {"items": [{"id": 1, "name": "item 0.1"}, {"id": 2, "name": "item 0.2"}]}
    }


def test_operation_name_picks_the_operation(client: TestClient) -> None:
    document = 'query A { hello(name: "A") } query B { hello(name: "B") }'
    answer = client.post("/graphql", json={"query": document, "operationName": "B"})
    assert answer.json() == {"data": {"hello": "Hello, B!"}}
    unnamed = client.post("/graphql", json={"query": document})
    assert unnamed.status_code == 200
    assert "name one in 'operationName'" in unnamed.json()["errors"][0]["message"]
    unknown = client.post("/graphql", json={"query": document, "operationName": "C"})
    assert unknown.json()["errors"][0]["message"] == "The document has no operation named 'C'."


def test_mutation_over_post(client: TestClient) -> None:
    answer = client.post(
        "/graphql",
        json={
            "query": "mutation($n: String!) { addItem(name: $n) { id name } }",
            "variables": {"n": "new"},
        },
    )
    assert answer.json() == {"data": {"addItem": {"id": 99, "name": "new"}}}


def test_mutation_over_get_is_405(client: TestClient) -> None:
    answer = client.get("/graphql", params={"query": 'mutation { addItem(name: "x") { id } }'})
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    assert answer.json() == {
        "errors": [{"message": "Mutations are not allowed over GET; use POST."}]
    }


def test_other_methods_are_405(client: TestClient) -> None:
    answer = client.put("/graphql", json={"query": "{ hello }"})
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, POST"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "The request body is not valid JSON"),
        (b"[1, 2]", "The request body must be a JSON object."),
        (b"{}", "Missing the 'query' parameter"),
        (b'{"query": 12}', "The 'query' parameter must be a string."),
        (
            b'{"query": "{ hello }", "variables": [1]}',
            "The 'variables' parameter must be a JSON object",
        ),
        (b'{"query": "{ hello }", "operationName": 3}', "The 'operationName' parameter must be"),
    ],
)
def test_a_malformed_body_is_a_400_json_error(
    client: TestClient, body: bytes, message: str
) -> None:
    answer = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/json"
    errors = answer.json()["errors"]
    assert len(errors) == 1 and errors[0]["message"].startswith(message)


def test_get_without_query_or_with_bad_variables_is_400(client: TestClient) -> None:
    assert client.get("/graphql").status_code == 400
    answer = client.get("/graphql", params={"query": "{ hello }", "variables": "{oops"})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"] == "The 'variables' parameter is not valid JSON."


def test_another_content_type_is_415(client: TestClient) -> None:
    answer = client.post(
        "/graphql", content="query={hello}", headers={"content-type": "text/plain"}
    )
    assert answer.status_code == 415
    assert "application/json" in answer.json()["errors"][0]["message"]


def test_a_body_over_the_app_limit_is_413(schema: Any) -> None:
    small = App(limits=Limits(max_body_size=64))
    small.mount("/graphql", GraphQL(schema))
    with TestClient(small) as small_client:
        answer = small_client.post("/graphql", json={"query": "{ hello }" + " " * 100})
    assert answer.status_code == 413
    assert "limit is 64 bytes" in answer.json()["errors"][0]["message"]


# -- GraphQL errors: request errors and field errors ------------------------------------

BAD_DOCUMENTS = [
    ("{ hello(", "Syntax Error"),
    ("{ nope }", "Cannot query field 'nope' on type 'Query'."),
    ("{ items { nope } }", "Cannot query field 'nope' on type 'Item'."),
]


@pytest.mark.parametrize(("document", "message"), BAD_DOCUMENTS)
def test_bad_documents_are_graphql_errors_with_200_for_application_json(
    client: TestClient, document: str, message: str
) -> None:
    answer = client.post("/graphql", json={"query": document})
    assert answer.status_code == 200
    body = answer.json()
    assert "data" not in body
    assert message in body["errors"][0]["message"]
    assert body["errors"][0]["locations"]


@pytest.mark.parametrize(("document", "message"), BAD_DOCUMENTS)
def test_bad_documents_are_400_for_graphql_response_json(
    client: TestClient, document: str, message: str
) -> None:
    answer = client.post("/graphql", json={"query": document}, headers={"accept": GRAPHQL_RESPONSE})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == GRAPHQL_RESPONSE
    assert message in answer.json()["errors"][0]["message"]


def test_wrong_variable_types_are_request_errors(client: TestClient) -> None:
    document = "query($a: Int!, $b: Int!) { add(a: $a, b: $b) }"
    answer = client.post(
        "/graphql",
        json={"query": document, "variables": {"a": "one", "b": None}},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert answer.status_code == 400
    messages = [error["message"] for error in answer.json()["errors"]]
    assert any("$a" in m and "Int cannot represent non-integer value: 'one'" in m for m in messages)
    assert any("$b" in m and "must not be null" in m for m in messages)


def test_a_failing_resolver_is_a_field_error_with_data(client: TestClient) -> None:
    for accept in ("application/json", GRAPHQL_RESPONSE):
        answer = client.post(
            "/graphql", json={"query": "{ hello boom }"}, headers={"accept": accept}
        )
        assert answer.status_code == 200
        body = answer.json()
        assert body["data"] == {"hello": "Hello, world!", "boom": None}
        assert body["errors"] == [
            {"message": "it went boom", "locations": [{"line": 1, "column": 9}], "path": ["boom"]}
        ]


def test_the_failing_resolver_is_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("ERROR", logger="hinted.graphql"):
        client.post("/graphql", json={"query": "{ boom }"})
    records = [r for r in caplog.records if r.name == "hinted.graphql"]
    assert records and records[0].exc_info is not None
    assert "boom" in records[0].getMessage()


def test_a_subscription_over_http_is_refused(client: TestClient) -> None:
    answer = client.post("/graphql", json={"query": "subscription { count(to: 2) }"})
    assert answer.status_code == 200
    assert "WebSocket" in answer.json()["errors"][0]["message"]


# -- introspection ----------------------------------------------------------------------

INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_is_on_by_default(client: TestClient) -> None:
    answer = client.post("/graphql", json={"query": INTROSPECTION})
    assert answer.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_introspection_can_be_switched_off(make_client: MakeClient) -> None:
    client = make_client(introspection=False)
    answer = client.post(
        "/graphql", json={"query": INTROSPECTION}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert answer.status_code == 400
    message = answer.json()["errors"][0]["message"]
    assert "introspection has been disabled" in message
    type_query = client.post("/graphql", json={"query": '{ __type(name: "Item") { name } }'})
    assert "introspection has been disabled" in type_query.json()["errors"][0]["message"]
    # __typename is not introspection of the schema: still allowed.
    assert client.post("/graphql", json={"query": "{ __typename }"}).json() == {
        "data": {"__typename": "Query"}
    }


# -- GraphiQL ---------------------------------------------------------------------------


def test_a_browser_get_receives_graphiql(client: TestClient) -> None:
    answer = client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "<title>GraphiQL</title>" in answer.text


def test_graphiql_can_be_switched_off(make_client: MakeClient) -> None:
    client = make_client(graphiql=False)
    answer = client.get("/graphql", headers={"accept": "text/html"})
    assert answer.status_code == 400  # a GET without a query
    assert answer.headers["content-type"] == "application/json"


def test_json_clients_never_get_the_page(client: TestClient) -> None:
    answer = client.get(
        "/graphql",
        params={"query": "{ hello }"},
        headers={"accept": "application/json, text/html"},
    )
    assert answer.json() == {"data": {"hello": "Hello, world!"}}


def test_the_response_is_compact_utf8_json(client: TestClient) -> None:
    answer = client.post("/graphql", json={"query": '{ hello(name: "Zoë") }'})
    assert (
        answer.content
        == json.dumps(
            {"data": {"hello": "Hello, Zoë!"}}, ensure_ascii=False, separators=(",", ":")
        ).encode()
    )
