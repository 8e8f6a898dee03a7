"""Helpers shared by the security schemes."""

from __future__ import annotations


def get_authorization_scheme_param(authorization_header_value: str | None) -> tuple[str, str]:
    """Split an ``Authorization`` header value into its scheme and its parameter.

    The scheme is everything before the first space; the parameter is the rest, with
    surrounding whitespace removed. A missing or empty value gives ``("", "")``.

    ```python
    get_authorization_scheme_param("Bearer abc.def")  # ("Bearer", "abc.def")
    get_authorization_scheme_param("Bearer")          # ("Bearer", "")
    get_authorization_scheme_param(None)              # ("", "")
    ```
    """
    if not authorization_header_value:
        return "", ""
    scheme, _, param = authorization_header_value.partition(" ")
    return scheme, param.strip()


__all__ = ["get_authorization_scheme_param"]
