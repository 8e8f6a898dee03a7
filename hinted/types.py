"""The ASGI vocabulary and shared type aliases, defined once. No logic lives here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DecoratedCallable = TypeVar("DecoratedCallable", bound=Callable[..., Any])
"""A handler passed through a route decorator keeps its own type."""

RawHeaders = list[tuple[bytes, bytes]]

__all__ = ["ASGIApp", "DecoratedCallable", "Message", "RawHeaders", "Receive", "Scope", "Send"]
