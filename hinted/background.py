"""Tasks that run after the response has been sent."""

from starlette.background import BackgroundTasks

__all__ = ["BackgroundTasks"]
