"""OAuth2 bearers, the OAuth2 base, OpenID Connect, and the password request forms."""

from typing import Annotated, Any

import pytest
from pydantic import BaseModel

from hinted import App, Depends
from hinted.security import (
    OAuth2,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    OAuth2PasswordRequestFormStrict,
    OpenIdConnect,
)
from hinted.security.base import SecurityBase
from hinted.testclient import TestClient

NOT_AUTHENTICATED = {"detail": "Not authenticated"}


def make_client(scheme: SecurityBase) -> TestClient:
    app = App()

    @app.get("/me")
    async def me(token: Annotated[str | None, Depends(scheme)]) -> dict[str, str | None]:
        return {"token": token}

    return TestClient(app)


BEARERS = [
    pytest.param(lambda **kw: OAuth2PasswordBearer(tokenUrl="token", **kw), id="password"),
    pytest.param(
        lambda **kw: OAuth2AuthorizationCodeBearer(
            authorizationUrl="authorize", tokenUrl="token", **kw
        ),
        id="authorization-code",
    ),
]


@pytest.mark.parametrize("make", BEARERS)
def test_bearer_gives_the_token(make: Any) -> None:
    client = make_client(make())
    for value in ("Bearer abc.def", "bearer abc.def", "Bearer   abc.def  "):
        response = client.get("/me", headers={"Authorization": value})
        assert (response.status_code, response.json()) == (200, {"token": "abc.def"})


@pytest.mark.parametrize("make", BEARERS)
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"Authorization": ""}, id="empty"),
        pytest.param({"Authorization": "Bearer"}, id="no-token"),
        pytest.param({"Authorization": "Basic YTpi"}, id="other-scheme"),
        pytest.param({"Authorization": "abc.def"}, id="no-scheme"),
    ],
)
def test_bearer_refusals(make: Any, headers: dict[str, str]) -> None:
    response = make_client(make()).get("/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert response.headers["www-authenticate"] == "Bearer"

    response = make_client(make(auto_error=False)).get("/me", headers=headers)
    assert (response.status_code, response.json()) == (200, {"token": None})


@pytest.mark.parametrize(
    "scheme",
    [OAuth2(), OpenIdConnect(openIdConnectUrl="/.well-known/openid-configuration")],
    ids=["oauth2", "openid-connect"],
)
def test_raw_authorization_header(scheme: SecurityBase) -> None:
    client = make_client(scheme)
    response = client.get("/me", headers={"Authorization": "Whatever abc"})
    assert response.json() == {"token": "Whatever abc"}
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED
    assert response.headers["www-authenticate"] == "Bearer"


def test_raw_authorization_header_auto_error_false() -> None:
    for scheme in (OAuth2(auto_error=False), OpenIdConnect(openIdConnectUrl="u", auto_error=False)):
        response = make_client(scheme).get("/me")
        assert (response.status_code, response.json()) == (200, {"token": None})


# --- models -------------------------------------------------------------------------------


def test_password_bearer_model() -> None:
    assert OAuth2PasswordBearer(tokenUrl="token").model == {
        "type": "oauth2",
        "flows": {"password": {"tokenUrl": "token", "scopes": {}}},
    }
    full = OAuth2PasswordBearer(
        tokenUrl="/token",
        scopes={"me": "Read your profile.", "items": "Read items."},
        refreshUrl="/refresh",
        description="Log in with your user name.",
        scheme_name="password",
    )
    assert full.model == {
        "type": "oauth2",
        "description": "Log in with your user name.",
        "flows": {
            "password": {
                "tokenUrl": "/token",
                "refreshUrl": "/refresh",
                "scopes": {"me": "Read your profile.", "items": "Read items."},
            }
        },
    }
    assert full.scheme_name == "password"
    assert OAuth2PasswordBearer("token").scheme_name == "OAuth2PasswordBearer"


def test_authorization_code_bearer_model() -> None:
    scheme = OAuth2AuthorizationCodeBearer(
        authorizationUrl="https://id.example.com/authorize",
        tokenUrl="https://id.example.com/token",
        scopes={"openid": "Who you are."},
    )
    assert scheme.model == {
        "type": "oauth2",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "https://id.example.com/authorize",
                "tokenUrl": "https://id.example.com/token",
                "scopes": {"openid": "Who you are."},
            }
        },
    }
    assert scheme.scheme_name == "OAuth2AuthorizationCodeBearer"


def test_oauth2_model() -> None:
    assert OAuth2().model == {"type": "oauth2", "flows": {}}
    flows = {
        "implicit": {"authorizationUrl": "/auth", "scopes": {}, "refreshUrl": None},
        "clientCredentials": {"tokenUrl": "/token", "scopes": {"a": "A"}},
    }
    assert OAuth2(flows=flows, description="d").model == {
        "type": "oauth2",
        "description": "d",
        "flows": {
            "implicit": {"authorizationUrl": "/auth", "scopes": {}},
            "clientCredentials": {"tokenUrl": "/token", "scopes": {"a": "A"}},
        },
    }


def test_oauth2_flows_from_a_pydantic_model() -> None:
    class Flow(BaseModel):
        tokenUrl: str
        refreshUrl: str | None = None
        scopes: dict[str, str] = {}

    class Flows(BaseModel):
        clientCredentials: Flow | None = None
        password: Flow | None = None

    model = OAuth2(flows=Flows(password=Flow(tokenUrl="/token"))).model
    assert model == {"type": "oauth2", "flows": {"password": {"tokenUrl": "/token", "scopes": {}}}}


def test_open_id_connect_model() -> None:
    scheme = OpenIdConnect(openIdConnectUrl="https://id.example.com/.well-known/oidc")
    assert scheme.model == {
        "type": "openIdConnect",
        "openIdConnectUrl": "https://id.example.com/.well-known/oidc",
    }
    assert scheme.scheme_name == "OpenIdConnect"
    described = OpenIdConnect(openIdConnectUrl="u", description="d", scheme_name="oidc")
    assert described.model == {"type": "openIdConnect", "openIdConnectUrl": "u", "description": "d"}
    assert described.scheme_name == "oidc"


# --- the password request forms -----------------------------------------------------------


def form_client(form_class: type[OAuth2PasswordRequestForm]) -> TestClient:
    app = App()

    @app.post("/token")
    async def login(form: Annotated[form_class, Depends()]) -> dict[str, Any]:  # type: ignore[valid-type]
        return {
            "grant_type": form.grant_type,
            "username": form.username,
            "password": form.password,
            "scopes": form.scopes,
            "client_id": form.client_id,
            "client_secret": form.client_secret,
        }

    return TestClient(app)


@pytest.mark.parametrize("form_class", [OAuth2PasswordRequestForm, OAuth2PasswordRequestFormStrict])
def test_form_with_every_field(form_class: type[OAuth2PasswordRequestForm]) -> None:
    data = {
        "grant_type": "password",
        "username": "alice",
        "password": "s3cret",
        "scope": "me  items:read ",
        "client_id": "app",
        "client_secret": "shh",
    }
    response = form_client(form_class).post("/token", data=data)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "grant_type": "password",
        "username": "alice",
        "password": "s3cret",
        "scopes": ["me", "items:read"],
        "client_id": "app",
        "client_secret": "shh",
    }


def test_form_defaults() -> None:
    response = form_client(OAuth2PasswordRequestForm).post(
        "/token", data={"username": "alice", "password": "s3cret"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "grant_type": None,
        "username": "alice",
        "password": "s3cret",
        "scopes": [],
        "client_id": None,
        "client_secret": None,
    }


def test_form_from_multipart() -> None:
    files = {"username": (None, "alice"), "password": (None, "pw")}
    response = form_client(OAuth2PasswordRequestForm).post("/token", files=files)
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "alice"


def error_fields(body: dict[str, Any]) -> list[tuple[str, Any, str]]:
    return [(e["type"], e["loc"], e["msg"]) for e in body["detail"]]


def test_form_missing_fields_is_422() -> None:
    response = form_client(OAuth2PasswordRequestForm).post("/token", data={"scope": "me"})
    assert response.status_code == 422
    # The exact body FastAPI 0.165 answers.
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "username"],
                "msg": "Field required",
                "input": None,
            },
            {
                "type": "missing",
                "loc": ["body", "password"],
                "msg": "Field required",
                "input": None,
            },
        ]
    }


def test_form_without_a_body_is_422() -> None:
    response = form_client(OAuth2PasswordRequestForm).post("/token")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["body", "username"],
        ["body", "password"],
    ]


def test_form_wrong_grant_type_is_422() -> None:
    data = {"grant_type": "client_credentials", "username": "a", "password": "b"}
    response = form_client(OAuth2PasswordRequestForm).post("/token", data=data)
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_pattern_mismatch",
                "loc": ["body", "grant_type"],
                "msg": "String should match pattern '^password$'",
                "input": "client_credentials",
                "ctx": {"pattern": "^password$"},
            }
        ]
    }


def test_strict_form_requires_grant_type() -> None:
    client = form_client(OAuth2PasswordRequestFormStrict)
    response = client.post("/token", data={"username": "alice", "password": "pw"})
    assert response.status_code == 422
    assert error_fields(response.json()) == [("missing", ["body", "grant_type"], "Field required")]
