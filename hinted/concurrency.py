"""Helpers to run blocking code off the event loop."""

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool, run_until_first_complete

__all__ = ["iterate_in_threadpool", "run_in_threadpool", "run_until_first_complete"]
