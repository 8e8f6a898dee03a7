"""ASGI middleware. Any ASGI or Starlette middleware works with ``app.add_middleware``."""

from starlette.middleware import Middleware

__all__ = ["Middleware"]
