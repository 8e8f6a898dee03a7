"""``isinstance`` checks that narrow to ``dict[Any, Any]``, ``Mapping[Any, Any]``, ``list[Any]``.

``isinstance(value, dict)`` on an ``Any`` value narrows to ``dict[Unknown, Unknown]``
for pyright; these guards say what the code means: a dictionary (or list) of values
it then inspects one by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard


def is_dict(value: object) -> TypeGuard[dict[Any, Any]]:
    """``isinstance(value, dict)``."""
    return isinstance(value, dict)


def is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    """``isinstance(value, Mapping)``."""
    return isinstance(value, Mapping)


def is_list(value: object) -> TypeGuard[list[Any]]:
    """``isinstance(value, list)``."""
    return isinstance(value, list)


__all__ = ["is_dict", "is_list", "is_mapping"]
