"""HTTP Basic, Bearer, Digest and the generic HTTPBase."""

from base64 import b64encode
from typing import Annotated, Any

import pytest

from hinted import App, Depends
from hinted.security import (
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    HTTPDigest,
)
from hinted.security.http import HTTPBase
from hinted.testclient import TestClient

NOT_AUTHENTICATED = {"detail": "Not authenticated"}


def basic(user_pass: bytes) -> dict[str, str]:
    return {"Authorization": "Basic " + b64encode(user_pass).decode("ascii")}


def make_client(scheme: HTTPBase) -> TestClient:
    app = App()

    @app.get("/me")
    async def me(credentials: Annotated[Any, Depends(scheme)]) -> Any:
        return None if credentials is None else credentials.model_dump()

    return TestClient(app)


# --- Basic --------------------------------------------------------------------------------


def test_basic_credentials() -> None:
    response = make_client(HTTPBasic()).get("/me", auth=("alice", "s3cret:with:colons"))
    assert response.status_code == 200
    assert response.json() == {"username": "alice", "password": "s3cret:with:colons"}


def test_basic_empty_password_and_lowercase_scheme() -> None:
    header = {"Authorization": "basic " + b64encode(b"alice:").decode()}
    response = make_client(HTTPBasic()).get("/me", headers=header)
    assert response.json() == {"username": "alice", "password": ""}


def test_basic_non_ascii_credentials_are_utf8() -> None:
    response = make_client(HTTPBasic()).get("/me", headers=basic("zoë:pässwörd€".encode()))
    assert response.status_code == 200
    assert response.json() == {"username": "zoë", "password": "pässwörd€"}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"Authorization": ""}, id="empty"),
        pytest.param({"Authorization": "Basic"}, id="no-credentials"),
        pytest.param({"Authorization": "Bearer abc"}, id="other-scheme"),
        pytest.param({"Authorization": "Basic not*base64!"}, id="bad-base64-characters"),
        pytest.param({"Authorization": "Basic YWxpY2U6cGFzcw"}, id="bad-base64-padding"),
        pytest.param(basic(b"no-colon-here"), id="no-colon"),
        pytest.param(basic(b"\xff\xfe:\xc3"), id="not-utf8"),
    ],
)
def test_basic_refusals_are_401_never_500(headers: dict[str, str]) -> None:
    response = make_client(HTTPBasic()).get("/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert response.headers["www-authenticate"] == "Basic"


def test_basic_realm_in_the_challenge() -> None:
    response = make_client(HTTPBasic(realm="staff area")).get("/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="staff area"'


def test_basic_realm_is_quoted() -> None:
    response = make_client(HTTPBasic(realm='say "hi"')).get("/me")
    assert response.headers["www-authenticate"] == 'Basic realm="say \\"hi\\""'


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer abc"}, basic(b"no-colon"), {"Authorization": "Basic %%%"}],
    ids=["missing", "other-scheme", "no-colon", "bad-base64"],
)
def test_basic_auto_error_false_gives_none(headers: dict[str, str]) -> None:
    response = make_client(HTTPBasic(auto_error=False)).get("/me", headers=headers)
    assert response.status_code == 200
    assert response.json() is None


def test_basic_credentials_model() -> None:
    credentials = HTTPBasicCredentials(username="a", password="b")
    assert (credentials.username, credentials.password) == ("a", "b")


# --- Bearer and Digest --------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_bearer_token(scheme: str) -> None:
    response = make_client(HTTPBearer()).get("/me", headers={"Authorization": f"{scheme} t0k"})
    assert response.status_code == 200
    assert response.json() == {"scheme": scheme, "credentials": "t0k"}


@pytest.mark.parametrize(
    ("cls", "challenge", "good"),
    [
        (HTTPBearer, "Bearer", "Bearer abc"),
        (HTTPDigest, "Digest", 'Digest username="alice", realm="r", nonce="n"'),
    ],
)
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"Authorization": ""}, id="empty"),
        pytest.param({"Authorization": "Bearer"}, id="bearer-without-token"),
        pytest.param({"Authorization": "Digest"}, id="digest-without-params"),
        pytest.param({"Authorization": "Basic YTpi"}, id="basic"),
        pytest.param({"Authorization": "abc"}, id="no-scheme"),
    ],
)
def test_refusals(cls: type[HTTPBase], challenge: str, good: str, headers: dict[str, str]) -> None:
    client = make_client(cls())
    response = client.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert response.headers["www-authenticate"] == challenge

    optional = make_client(cls(auto_error=False))
    response = optional.get("/me", headers=headers)
    assert (response.status_code, response.json()) == (200, None)
    assert optional.get("/me", headers={"Authorization": good}).status_code == 200


def test_digest_parameters_are_handed_over_unparsed() -> None:
    value = 'Digest username="alice", realm="r", nonce="n", response="x"'
    response = make_client(HTTPDigest()).get("/me", headers={"Authorization": value})
    assert response.json() == {
        "scheme": "Digest",
        "credentials": 'username="alice", realm="r", nonce="n", response="x"',
    }


def test_http_base_accepts_any_scheme() -> None:
    client = make_client(HTTPBase(scheme="other"))
    response = client.get("/me", headers={"Authorization": "Whatever xyz"})
    assert response.json() == {"scheme": "Whatever", "credentials": "xyz"}
    response = client.get("/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Other"


def test_authorization_credentials_model() -> None:
    credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials="t")
    assert credentials.model_dump() == {"scheme": "Bearer", "credentials": "t"}


# --- models -------------------------------------------------------------------------------


def test_models() -> None:
    assert HTTPBasic().model == {"type": "http", "scheme": "basic"}
    assert HTTPBasic(realm="r").model == {"type": "http", "scheme": "basic"}
    assert HTTPBearer().model == {"type": "http", "scheme": "bearer"}
    assert HTTPBearer(bearerFormat="JWT", description="A JWT.").model == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A JWT.",
    }
    assert HTTPDigest(description="d").model == {
        "type": "http",
        "scheme": "digest",
        "description": "d",
    }
    assert HTTPBase(scheme="hoba").model == {"type": "http", "scheme": "hoba"}


def test_scheme_names() -> None:
    assert HTTPBasic().scheme_name == "HTTPBasic"
    assert HTTPBearer().scheme_name == "HTTPBearer"
    assert HTTPDigest().scheme_name == "HTTPDigest"
    assert HTTPBearer(scheme_name="jwt").scheme_name == "jwt"
