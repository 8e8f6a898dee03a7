"""``SecurityScopes``: the OAuth2 scopes required along a dependency chain."""

from __future__ import annotations

from collections.abc import Sequence


class SecurityScopes:
    """Ask for it in a security dependency to learn which scopes the endpoint requires.

    ``scopes`` lists them; ``scope_str`` joins them with spaces, ready for a
    ``WWW-Authenticate`` header.
    """

    def __init__(self, scopes: Sequence[str] | None = None) -> None:
        self.scopes: list[str] = list(scopes or [])
        self.scope_str: str = " ".join(self.scopes)

    def __repr__(self) -> str:
        return f"SecurityScopes({self.scopes!r})"


__all__ = ["SecurityScopes"]
