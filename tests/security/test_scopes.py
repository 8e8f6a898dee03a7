"""SecurityScopes: the scopes of ``Security(..., scopes=[...])`` markers along a chain."""

from typing import Annotated

from hinted import App, Depends, HTTPException, Security
from hinted.security import OAuth2PasswordBearer, SecurityScopes
from hinted.testclient import TestClient

oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"me": "You.", "items": "Items."})

# token -> the scopes it grants
TOKENS = {"all": {"me", "items", "admin"}, "me-only": {"me"}}


async def current_user(
    security_scopes: SecurityScopes, token: Annotated[str, Depends(oauth2)]
) -> dict[str, object]:
    granted = TOKENS.get(token)
    challenge = (
        f'Bearer scope="{security_scopes.scope_str}"' if security_scopes.scopes else "Bearer"
    )
    if granted is None:
        raise HTTPException(401, "Could not validate credentials", {"WWW-Authenticate": challenge})
    missing = [scope for scope in security_scopes.scopes if scope not in granted]
    if missing:
        raise HTTPException(401, "Not enough permissions", {"WWW-Authenticate": challenge})
    return {"token": token, "required": security_scopes.scopes}


async def active_user(
    user: Annotated[dict[str, object], Security(current_user, scopes=["me"])],
) -> dict[str, object]:
    return user


def required_scopes(security_scopes: SecurityScopes) -> list[str]:
    return security_scopes.scopes


def make_client() -> TestClient:
    app = App()

    @app.get("/me")
    async def me(user: Annotated[dict[str, object], Depends(active_user)]) -> dict[str, object]:
        return user

    @app.get("/items")
    async def items(
        user: Annotated[dict[str, object], Security(active_user, scopes=["items"])],
    ) -> dict[str, object]:
        return user

    @app.get("/admin")
    async def admin(
        user: Annotated[dict[str, object], Security(active_user, scopes=["items", "admin"])],
    ) -> dict[str, object]:
        return user

    @app.get("/plain")
    async def plain(
        user: Annotated[dict[str, object], Depends(current_user)],
    ) -> dict[str, object]:
        return user

    @app.get("/scopes", dependencies=[Security(required_scopes, scopes=["z"])])
    async def own_scopes(
        scopes: SecurityScopes,
        inner: Annotated[list[str], Security(required_scopes, scopes=["x"])],
        plain: Annotated[list[str], Depends(required_scopes)],
    ) -> dict[str, list[str]]:
        return {"endpoint": scopes.scopes, "inner": inner, "plain": plain}

    return TestClient(app)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_scopes_accumulate_from_the_endpoint_down() -> None:
    client = make_client()
    assert client.get("/me", headers=bearer("all")).json() == {"token": "all", "required": ["me"]}
    assert client.get("/items", headers=bearer("all")).json() == {
        "token": "all",
        "required": ["items", "me"],
    }
    assert client.get("/admin", headers=bearer("all")).json() == {
        "token": "all",
        "required": ["items", "admin", "me"],
    }


def test_no_scopes_without_security_markers() -> None:
    response = make_client().get("/plain", headers=bearer("me-only"))
    assert response.json() == {"token": "me-only", "required": []}


def test_each_dependency_sees_its_own_chain() -> None:
    # As in FastAPI: the endpoint itself sees no scopes; a sibling's do not leak.
    response = make_client().get("/scopes")
    assert response.json() == {"endpoint": [], "inner": ["x"], "plain": []}


def test_insufficient_scope_challenge_lists_the_required_scopes() -> None:
    client = make_client()
    assert client.get("/me", headers=bearer("me-only")).status_code == 200
    response = client.get("/items", headers=bearer("me-only"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Not enough permissions"}
    assert response.headers["www-authenticate"] == 'Bearer scope="items me"'


def test_bad_token_and_missing_token() -> None:
    client = make_client()
    response = client.get("/admin", headers=bearer("forged"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Could not validate credentials"}
    assert response.headers["www-authenticate"] == 'Bearer scope="items admin me"'
    response = client.get("/admin")
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_security_scopes_object() -> None:
    scopes = SecurityScopes(["a", "b"])
    assert (scopes.scopes, scopes.scope_str) == (["a", "b"], "a b")
    assert (SecurityScopes().scopes, SecurityScopes().scope_str) == ([], "")
