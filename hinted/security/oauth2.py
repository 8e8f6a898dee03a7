"""OAuth2: bearer tokens issued by a token endpoint, and the form that asks for one.

- :class:`OAuth2PasswordBearer` and :class:`OAuth2AuthorizationCodeBearer` read
  ``Authorization: Bearer <token>`` and describe their flow (token URL, scopes) in
  OpenAPI, so the docs UI can log in;
- :class:`OAuth2` is their base: any set of flows, the raw ``Authorization`` header;
- :class:`OAuth2PasswordRequestForm` (and its strict twin) reads the form a client posts
  to the token endpoint.

A missing token is answered with 401, ``{"detail": "Not authenticated"}`` and
``WWW-Authenticate: Bearer``; ``auto_error=False`` gives ``None`` instead. Checking the
token and its scopes is the application's job: ask for :class:`SecurityScopes` in the
dependency that does it.

```python
from typing import Annotated

from hinted import App, Depends, HTTPException, Security
from hinted.security import OAuth2PasswordBearer, SecurityScopes

app = App()
oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"items": "Read items."})


async def current_user(
    scopes: SecurityScopes, token: Annotated[str, Depends(oauth2)]
) -> str:
    granted = decode(token)  # the application's own token check
    if not set(scopes.scopes) <= granted.scopes:
        raise HTTPException(
            401, "Not enough permissions",
            headers={"WWW-Authenticate": f'Bearer scope="{scopes.scope_str}"'},
        )
    return granted.user


@app.get("/items/")
async def items(user: Annotated[str, Security(current_user, scopes=["items"])]) -> str:
    return user
```
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel
from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from hinted._security_scopes import SecurityScopes
from hinted.exceptions import HTTPException
from hinted.param_functions import Form
from hinted.security.base import SecurityBase, scheme_object
from hinted.security.utils import get_authorization_scheme_param

_SECRET = {"format": "password"}


class OAuth2PasswordRequestForm:
    """The form of the OAuth2 password flow (RFC 6749, section 4.3), as a dependency.

    ```python
    @app.post("/token")
    async def login(
        form: Annotated[OAuth2PasswordRequestForm, Depends()],
    ) -> dict[str, str]:
        user = authenticate(form.username, form.password)
        return {"access_token": issue_token(user, form.scopes), "token_type": "bearer"}
    ```
    ``scope`` is a space-separated string on the wire and ``scopes``, a list, here.
    ``grant_type`` may be left out; use :class:`OAuth2PasswordRequestFormStrict` to
    require ``grant_type=password`` as the specification does.
    """

    def __init__(
        self,
        *,
        grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
        username: Annotated[str, Form()],
        password: Annotated[str, Form(json_schema_extra=_SECRET)],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form(json_schema_extra=_SECRET)] = None,
    ) -> None:
        self.grant_type = grant_type
        self.username = username
        self.password = password
        self.scopes = scope.split()
        self.client_id = client_id
        self.client_secret = client_secret


class OAuth2PasswordRequestFormStrict(OAuth2PasswordRequestForm):
    """:class:`OAuth2PasswordRequestForm`, with ``grant_type=password`` required.

    ```python
    @app.post("/token")
    async def login(form: Annotated[OAuth2PasswordRequestFormStrict, Depends()]) -> ...: ...
    ```
    """

    def __init__(
        self,
        grant_type: Annotated[str, Form(pattern="^password$")],
        username: Annotated[str, Form()],
        password: Annotated[str, Form(json_schema_extra=_SECRET)],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form(json_schema_extra=_SECRET)] = None,
    ) -> None:
        super().__init__(
            grant_type=grant_type,
            username=username,
            password=password,
            scope=scope,
            client_id=client_id,
            client_secret=client_secret,
        )


def _flows_object(flows: Mapping[str, Mapping[str, Any]] | BaseModel) -> dict[str, Any]:
    """The OpenAPI OAuth Flows Object as JSON data, without ``None`` fields."""
    if isinstance(flows, BaseModel):
        dumped: dict[str, Any] = flows.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped
    return {name: scheme_object(**flow) for name, flow in flows.items()}


class OAuth2(SecurityBase):
    """OAuth2 with any flows; the dependency gives the raw ``Authorization`` header.

    ```python
    oauth2 = OAuth2(flows={"clientCredentials": {"tokenUrl": "/token", "scopes": {}}})
    ```
    ``flows`` is the OpenAPI OAuth Flows Object, as a mapping or a pydantic model.
    """

    def __init__(
        self,
        *,
        flows: Mapping[str, Mapping[str, Any]] | BaseModel | None = None,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = scheme_object(
            type="oauth2", description=description, flows=_flows_object(flows or {})
        )
        self._set_scheme_name(scheme_name)
        self.auto_error = auto_error

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 raised when no token was sent."""
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )

    def _refuse(self) -> None:
        if self.auto_error:
            raise self.make_not_authenticated_error()

    def _bearer_token(self, request: HTTPConnection) -> str | None:
        scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
        if scheme.lower() != "bearer" or not token:
            self._refuse()
            return None
        return token

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("Authorization")
        if not authorization:
            self._refuse()
            return None
        return authorization


class OAuth2PasswordBearer(OAuth2):
    """A bearer token obtained with the password flow from ``tokenUrl``.

    ```python
    oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"me": "Read your profile."})

    @app.get("/me")
    async def me(token: Annotated[str, Depends(oauth2)]) -> str:
        return token
    ```
    """

    def __init__(
        self,
        tokenUrl: str,
        scheme_name: str | None = None,
        scopes: Mapping[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
        refreshUrl: str | None = None,
    ) -> None:
        flow = {"tokenUrl": tokenUrl, "refreshUrl": refreshUrl, "scopes": dict(scopes or {})}
        super().__init__(
            flows={"password": flow},
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)


class OAuth2AuthorizationCodeBearer(OAuth2):
    """A bearer token obtained with the authorization code flow.

    ```python
    oauth2 = OAuth2AuthorizationCodeBearer(
        authorizationUrl="https://id.example.com/authorize",
        tokenUrl="https://id.example.com/token",
    )
    ```
    """

    def __init__(
        self,
        authorizationUrl: str,
        tokenUrl: str,
        refreshUrl: str | None = None,
        scheme_name: str | None = None,
        scopes: Mapping[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        flow = {
            "authorizationUrl": authorizationUrl,
            "tokenUrl": tokenUrl,
            "refreshUrl": refreshUrl,
            "scopes": dict(scopes or {}),
        }
        super().__init__(
            flows={"authorizationCode": flow},
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)


__all__ = [
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "SecurityScopes",
]
