"""API keys sent in a header, a query parameter or a cookie.

Each class reads the key from one place and hands it to the endpoint as a string:

```python
from typing import Annotated

from hinted import App, Depends
from hinted.security import APIKeyHeader

app = App()
api_key = APIKeyHeader(name="X-API-Key")


@app.get("/items/")
async def read_items(key: Annotated[str, Depends(api_key)]) -> dict[str, str]:
    return {"key": key}
```

A missing or empty key is answered with 401, ``{"detail": "Not authenticated"}`` and
``WWW-Authenticate: APIKey`` (HTTP requires a challenge with every 401; ``APIKey`` is a
custom one, as API keys have no standard scheme). With ``auto_error=False`` the
dependency gives ``None`` instead, so the endpoint can try another way in.
"""

from __future__ import annotations

from typing import Literal

from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from hinted.exceptions import HTTPException
from hinted.security.base import SecurityBase, scheme_object

APIKeyLocation = Literal["header", "query", "cookie"]


class APIKeyBase(SecurityBase):
    """What the three API key schemes share: the model, the check, the 401."""

    location: APIKeyLocation

    def __init__(
        self,
        *,
        name: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.name = name
        self.auto_error = auto_error
        self.model = scheme_object(
            type="apiKey", description=description, name=name, **{"in": self.location}
        )
        self._set_scheme_name(scheme_name)

    def make_not_authenticated_error(self) -> HTTPException:
        """The 401 raised when the key is missing."""
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "APIKey"},
        )

    def check_api_key(self, api_key: str | None) -> str | None:
        """``api_key`` itself, or the 401 (``None`` with ``auto_error=False``) when empty."""
        if api_key:
            return api_key
        if self.auto_error:
            raise self.make_not_authenticated_error()
        return None


class APIKeyHeader(APIKeyBase):
    """An API key in a request header.

    ```python
    api_key = APIKeyHeader(name="X-API-Key")

    @app.get("/me")
    async def me(key: Annotated[str, Depends(api_key)]) -> str: ...
    ```
    """

    location = "header"

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.headers.get(self.name))


class APIKeyQuery(APIKeyBase):
    """An API key in a query parameter, such as ``/items?api_key=...``.

    ```python
    api_key = APIKeyQuery(name="api_key", auto_error=False)

    @app.get("/items")
    async def items(key: Annotated[str | None, Depends(api_key)]) -> list[str]: ...
    ```
    """

    location = "query"

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.query_params.get(self.name))


class APIKeyCookie(APIKeyBase):
    """An API key in a cookie.

    ```python
    session = APIKeyCookie(name="session", description="Set by /login")

    @app.get("/me")
    async def me(token: Annotated[str, Depends(session)]) -> str: ...
    ```
    """

    location = "cookie"

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self.check_api_key(request.cookies.get(self.name))


__all__ = ["APIKeyBase", "APIKeyCookie", "APIKeyHeader", "APIKeyQuery"]
