"""Framework-independent pieces shared by the benchmark apps.

``ChatEntry`` is the request/response model of the chat scenarios, and ``filler_routes``
describes the 100 routes registered before ``/target/{id}`` in the routing scenario.
"""

from pydantic import BaseModel

FILLER_ROUTE_COUNT = 100


class ChatEntry(BaseModel):
    version: str = "3.1"
    message: str
    recipient: str
    author: str | None = None
    timestamp: float | None = None


def filler_routes() -> list[tuple[int, bool]]:
    """(index, parameterised) for /r0 ... /r99: even ones static, odd ones /r{i}/{id}."""
    return [(i, i % 2 == 1) for i in range(FILLER_ROUTE_COUNT)]
