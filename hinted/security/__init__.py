"""Security schemes: dependencies that read credentials and describe themselves in OpenAPI.

One scheme per module: :mod:`~hinted.security.api_key`, :mod:`~hinted.security.http`,
:mod:`~hinted.security.oauth2`, :mod:`~hinted.security.open_id_connect_url`. Each is
used as a dependency and hands the endpoint what the client sent:

```python
from typing import Annotated

from hinted import App, Depends
from hinted.security import HTTPBasic, HTTPBasicCredentials

app = App()
basic = HTTPBasic()


@app.get("/me")
async def me(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]) -> str:
    return credentials.username
```

The OpenAPI generator lists every :class:`~hinted.security.base.SecurityBase` found
along a route's dependencies, under its ``scheme_name``, with the scopes required by the
``Security(..., scopes=[...])`` markers on the way.
"""

from hinted.security.api_key import APIKeyCookie, APIKeyHeader, APIKeyQuery
from hinted.security.base import SecurityBase
from hinted.security.http import (
    HTTPAuthorizationCredentials,
    HTTPBase,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    HTTPDigest,
)
from hinted.security.oauth2 import (
    OAuth2,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    OAuth2PasswordRequestFormStrict,
    SecurityScopes,
)
from hinted.security.open_id_connect_url import OpenIdConnect
from hinted.security.utils import get_authorization_scheme_param

__all__ = [
    "APIKeyCookie",
    "APIKeyHeader",
    "APIKeyQuery",
    "HTTPAuthorizationCredentials",
    "HTTPBase",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPDigest",
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "OpenIdConnect",
    "SecurityBase",
    "SecurityScopes",
    "get_authorization_scheme_param",
]
