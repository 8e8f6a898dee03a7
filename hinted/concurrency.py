"""Running blocking code off the event loop, and marking cheap code to run on it.

A ``def`` handler or dependency runs in a worker thread, so blocking I/O in it never
stalls other requests. That hop costs a few microseconds; for a sync function that
only computes something small (reads a setting, checks a header), mark it
:func:`inline` and it is called directly on the event loop instead.

The pool's size is ``App(thread_pool_size=N)`` (anyio's default is 40 threads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

# Starlette annotates run_until_first_complete's arguments with a bare ``dict``.
from starlette.concurrency import (
    iterate_in_threadpool,
    run_in_threadpool,
    run_until_first_complete,  # pyright: ignore[reportUnknownVariableType]
)

INLINE_MARKER = "__hinted_inline__"

CallableT = TypeVar("CallableT", bound=Callable[..., object])


def inline(func: CallableT) -> CallableT:
    """Run this sync handler or dependency on the event loop, without a thread hop.

    Only for code that never blocks: no I/O, no locks, no heavy computation.

    ```python
    @inline
    def api_version(x_api_version: Annotated[str, Header()] = "1") -> int:
        return int(x_api_version)
    ```
    """
    setattr(func, INLINE_MARKER, True)
    return func


__all__ = [
    "INLINE_MARKER",
    "inline",
    "iterate_in_threadpool",
    "run_in_threadpool",
    "run_until_first_complete",
]
