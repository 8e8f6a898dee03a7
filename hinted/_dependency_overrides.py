"""The mapping behind ``app.dependency_overrides``: it counts its changes.

Plans are compiled with the overrides in force; a change of the mapping makes the
app recompile them before the next request, so an override costs nothing per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class DependencyOverrides(dict[Callable[..., Any], Callable[..., Any]]):
    """A dict of ``original dependency -> replacement`` that knows when it changed."""

    def __init__(self) -> None:
        super().__init__()
        self.version = 0
        self.listeners: list[Callable[[], None]] = []

    def _bump(self) -> None:
        self.version += 1
        for listener in self.listeners:
            listener()

    def __setitem__(self, key: Callable[..., Any], value: Callable[..., Any]) -> None:
        super().__setitem__(key, value)
        self._bump()

    def __delitem__(self, key: Callable[..., Any]) -> None:
        super().__delitem__(key)
        self._bump()

    def clear(self) -> None:
        super().clear()
        self._bump()

    def pop(self, key: Any, *default: Any) -> Any:
        value = super().pop(key, *default)
        self._bump()
        return value

    def popitem(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        item = super().popitem()
        self._bump()
        return item

    def setdefault(self, key: Any, default: Any = None) -> Any:
        value = super().setdefault(key, default)
        self._bump()
        return value

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self._bump()


__all__ = ["DependencyOverrides"]
