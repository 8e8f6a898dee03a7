"""ASGI middleware. Any ASGI or Starlette middleware works with ``app.add_middleware``.

Shipped here, all pure ASGI: CORS, GZip, TrustedHost and HTTPSRedirect (Starlette's,
in the submodules FastAPI users know), plus :class:`RequestIDMiddleware` and
:class:`TimingMiddleware`; request logging lives in :mod:`hinted.logging`.
"""

from starlette.middleware import Middleware

from hinted.middleware.requestid import RequestIDMiddleware, get_request_id
from hinted.middleware.timing import TimingMiddleware

__all__ = ["Middleware", "RequestIDMiddleware", "TimingMiddleware", "get_request_id"]
