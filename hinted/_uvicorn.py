"""uvicorn's WebSocket protocol, closing open sockets with 1001 when the server stops.

On shutdown uvicorn stops accepting connections, then closes every open WebSocket
with 1012 (Service Restart), and only after the in-flight requests have finished (or
its graceful timeout has passed) runs the app's lifespan shutdown. So an app cannot
close its sockets itself from its lifespan: they are gone by then. ``hinted run``
serves WebSockets with this protocol instead, which closes them with 1001 (Going
Away, "the server is going down"), as browsers and clients expect of a server that
stops; the handler's ``receive()`` sees a ``websocket.disconnect`` with that code.
Everything else is uvicorn's default WebSocket implementation, unchanged.
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

GOING_AWAY = 1001
SHUTDOWN_REASON = "Server shutting down"


class GoingAwayWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's ``websockets-sansio`` protocol, closing with 1001 on shutdown."""

    def shutdown(self) -> None:
        if not self.handshake_complete or self.close_sent:
            super().shutdown()  # a 500 before the handshake, or a close already under way
            return
        self.stop_keepalive()
        self.queue.put_nowait(
            {"type": "websocket.disconnect", "code": GOING_AWAY, "reason": SHUTDOWN_REASON}
        )
        self.conn.send_close(GOING_AWAY, SHUTDOWN_REASON)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.transport.close()


PROTOCOL = f"{__name__}:{GoingAwayWebSocketProtocol.__name__}"
"""The import string uvicorn's ``ws=`` option takes (a string survives ``--workers``)."""

__all__ = ["GOING_AWAY", "PROTOCOL", "GoingAwayWebSocketProtocol"]
