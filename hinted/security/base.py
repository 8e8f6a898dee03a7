"""``SecurityBase``: what every security scheme shares.

A scheme is a dependency (an instance with ``async def __call__(self, request)``) that
also describes itself in OpenAPI. The OpenAPI generator finds the instances of
``SecurityBase`` along a route's dependency chain and reads exactly two attributes:

- ``model``: the OpenAPI 3.1 Security Scheme Object, as plain JSON data;
- ``scheme_name``: the key under ``components.securitySchemes`` (the class name
  unless given).
"""

from __future__ import annotations

from typing import Any


class SecurityBase:
    """Base class of the security schemes in :mod:`hinted.security`.

    ```python
    class PartnerToken(SecurityBase):
        def __init__(self) -> None:
            self.model = {"type": "apiKey", "in": "header", "name": "X-Partner"}
            self.scheme_name = "partner"
    ```
    """

    model: dict[str, Any]
    scheme_name: str

    def _set_scheme_name(self, scheme_name: str | None) -> None:
        self.scheme_name = scheme_name or type(self).__name__


def scheme_object(**fields: Any) -> dict[str, Any]:
    """A Security Scheme Object from keyword fields, leaving out those that are ``None``.

    ```python
    scheme_object(type="http", scheme="basic", description=None)
    # {"type": "http", "scheme": "basic"}
    ```
    """
    return {key: value for key, value in fields.items() if value is not None}


__all__ = ["SecurityBase"]
