"""HTTP and WebSocket status codes, as named constants (``status.HTTP_404_NOT_FOUND``)."""

from starlette.status import *  # noqa: F403
