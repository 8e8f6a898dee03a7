"""GZipMiddleware, re-exported from Starlette."""

from starlette.middleware.gzip import GZipMiddleware

__all__ = ["GZipMiddleware"]
