"""``isinstance`` checks as TypeGuards: ``dict[Any, Any]`` rather than ``dict[Unknown, ...]``.

``isinstance(value, dict)`` on an ``Any`` value narrows to ``dict[Unknown, Unknown]``
for pyright (likewise ``list``, ``Mapping`` and ``type``); these guards say what the
code means: a container (or class) whose items it then inspects one by one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, TypeGuard


def is_dict(value: object) -> TypeGuard[dict[Any, Any]]:
    """``isinstance(value, dict)``."""
    return isinstance(value, dict)


def is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    """``isinstance(value, Mapping)``."""
    return isinstance(value, Mapping)


def is_awaitable(value: object) -> TypeGuard[Awaitable[Any]]:
    """``isinstance(value, Awaitable)`` (unlike ``inspect.isawaitable``, no other test)."""
    return isinstance(value, Awaitable)


def is_class(value: object) -> TypeGuard[type[Any]]:
    """``isinstance(value, type)``, as ``type[Any]``."""
    return isinstance(value, type)


def is_list(value: object) -> TypeGuard[list[Any]]:
    """``isinstance(value, list)``."""
    return isinstance(value, list)


__all__ = ["is_awaitable", "is_class", "is_dict", "is_list", "is_mapping"]
