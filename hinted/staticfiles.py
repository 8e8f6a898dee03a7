"""Serve a directory of static files: ``app.mount("/static", StaticFiles(directory="static"))``."""

from starlette.staticfiles import StaticFiles

__all__ = ["StaticFiles"]
