"""OpenID Connect discovery: the scheme points the docs UI at the provider's metadata."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from hinted.exceptions import HTTPException
from hinted.security.base import SecurityBase, scheme_object


class OpenIdConnect(SecurityBase):
    """OpenID Connect; the dependency gives the raw ``Authorization`` header.

    ```python
    oidc = OpenIdConnect(
        openIdConnectUrl="https://id.example.com/.well-known/openid-configuration"
    )

    @app.get("/me")
    async def me(authorization: Annotated[str, Depends(oidc)]) -> str:
        return authorization  # "Bearer <token>": checking it is the application's job
    ```
    A missing header is answered with 401 and ``WWW-Authenticate: Bearer``;
    ``auto_error=False`` gives ``None`` instead.
    """

    def __init__(
        self,
        *,
        openIdConnectUrl: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = scheme_object(
            type="openIdConnect", description=description, openIdConnectUrl=openIdConnectUrl
        )
        self._set_scheme_name(scheme_name)
        self.auto_error = auto_error

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 raised when no ``Authorization`` header was sent."""
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("Authorization")
        if authorization:
            return authorization
        if self.auto_error:
            raise self.make_not_authenticated_error()
        return None


__all__ = ["OpenIdConnect"]
