"""HTTP authentication schemes: the ``Authorization`` header (RFC 9110, section 11).

- :class:`HTTPBasic` decodes ``Basic <base64(user:password)>`` into
  :class:`HTTPBasicCredentials`;
- :class:`HTTPBearer` and :class:`HTTPDigest` check the scheme and hand over the rest as
  :class:`HTTPAuthorizationCredentials`;
- :class:`HTTPBase` accepts any scheme (name it in ``scheme=`` for the OpenAPI document).

Missing or malformed credentials are answered with 401, ``{"detail": "Not
authenticated"}`` and a ``WWW-Authenticate`` challenge naming the scheme (``Basic
realm="..."`` when a realm is given). With ``auto_error=False`` the dependency gives
``None`` instead.
"""

from __future__ import annotations

import binascii
from base64 import b64decode

from pydantic import BaseModel
from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from hinted.exceptions import HTTPException
from hinted.security.base import SecurityBase, scheme_object
from hinted.security.utils import get_authorization_scheme_param


class HTTPBasicCredentials(BaseModel):
    """The user name and password sent with HTTP Basic authentication."""

    username: str
    password: str


class HTTPAuthorizationCredentials(BaseModel):
    """An ``Authorization`` header split in two: ``scheme`` and ``credentials``.

    ``Authorization: Bearer abc`` gives ``scheme="Bearer"``, ``credentials="abc"``.
    """

    scheme: str
    credentials: str


class HTTPBase(SecurityBase):
    """Any HTTP authentication scheme; the subclasses below check theirs.

    ```python
    hoba = HTTPBase(scheme="hoba")

    @app.get("/me")
    async def me(auth: Annotated[HTTPAuthorizationCredentials, Depends(hoba)]) -> str:
        return auth.credentials
    ```
    """

    def __init__(
        self,
        *,
        scheme: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = scheme_object(type="http", scheme=scheme, description=description)
        self._set_scheme_name(scheme_name)
        self.auto_error = auto_error

    @property
    def _scheme(self) -> str:
        scheme: str = self.model["scheme"]
        return scheme

    def make_authenticate_headers(self) -> dict[str, str]:
        """The ``WWW-Authenticate`` challenge sent with the 401."""
        return {"WWW-Authenticate": self._scheme.title()}

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 raised for missing or malformed credentials."""
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers=self.make_authenticate_headers(),
        )

    def _refuse(self) -> None:
        if self.auto_error:
            raise self.make_not_authenticated_error()

    def _credentials(
        self, request: HTTPConnection, *, expected: str | None
    ) -> HTTPAuthorizationCredentials | None:
        """Both halves of the header, when present and (if given) of the ``expected`` scheme."""
        scheme, credentials = get_authorization_scheme_param(request.headers.get("Authorization"))
        if not (scheme and credentials) or (expected and scheme.lower() != expected):
            self._refuse()
            return None
        return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, expected=None)


class HTTPBasic(HTTPBase):
    """HTTP Basic authentication (RFC 7617): a user name and a password.

    ```python
    basic = HTTPBasic(realm="staff")

    @app.get("/me")
    async def me(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]) -> str:
        return credentials.username
    ```
    Credentials are decoded as UTF-8. Malformed base64, bytes that are not UTF-8 or a
    missing ``:`` are refused like missing credentials: 401 (or ``None``).
    """

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        realm: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="basic",
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )
        self.realm = realm

    def make_authenticate_headers(self) -> dict[str, str]:
        if self.realm:
            quoted = self.realm.replace("\\", "\\\\").replace('"', '\\"')
            return {"WWW-Authenticate": f'Basic realm="{quoted}"'}
        return {"WWW-Authenticate": "Basic"}

    async def __call__(  # type: ignore[override]
        self, request: HTTPConnection
    ) -> HTTPBasicCredentials | None:
        authorization = self._credentials(request, expected="basic")
        if authorization is None:
            return None
        try:
            decoded = b64decode(authorization.credentials, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):  # not base64, non-ASCII, not UTF-8
            self._refuse()
            return None
        username, colon, password = decoded.partition(":")
        if not colon:
            self._refuse()
            return None
        return HTTPBasicCredentials(username=username, password=password)


class HTTPBearer(HTTPBase):
    """A bearer token (RFC 6750) in ``Authorization: Bearer <token>``.

    ```python
    bearer = HTTPBearer(bearerFormat="JWT")

    @app.get("/me")
    async def me(auth: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> str:
        return auth.credentials  # the token
    ```
    """

    def __init__(
        self,
        *,
        bearerFormat: str | None = None,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="bearer",
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )
        if bearerFormat is not None:
            self.model["bearerFormat"] = bearerFormat

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, expected="bearer")


class HTTPDigest(HTTPBase):
    """HTTP Digest authentication (RFC 7616): the parameters are handed over unparsed.

    ```python
    digest = HTTPDigest()

    @app.get("/me")
    async def me(auth: Annotated[HTTPAuthorizationCredentials, Depends(digest)]) -> str:
        return auth.credentials  # 'username="...", realm="...", ...'
    ```
    """

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="digest",
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, expected="digest")


__all__ = [
    "HTTPAuthorizationCredentials",
    "HTTPBase",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPDigest",
]
