"""Multipart bodies built by hand, and an ASGI driver that streams them in chunks."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

import anyio

BOUNDARY = "hinted-test-boundary"
MULTIPART = ("content-type", f"multipart/form-data; boundary={BOUNDARY}")


def part(name: str, content: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    if filename is not None:
        head += "Content-Type: application/octet-stream\r\n"
    return head.encode() + b"\r\n" + content + b"\r\n"


def multipart(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@dataclasses.dataclass
class Exchange:
    """What an app sent back, and how much of the body it asked for."""

    messages: list[dict[str, Any]]
    chunks_read: int
    error: BaseException | None

    @property
    def status(self) -> int | None:
        starts = [m for m in self.messages if m["type"] == "http.response.start"]
        return starts[0]["status"] if starts else None

    def json(self) -> Any:
        return json.loads(b"".join(m.get("body", b"") for m in self.messages[1:]))


def drive(
    app: Any,
    path: str,
    chunks: Sequence[bytes],
    *,
    headers: Sequence[tuple[str, str]] = (MULTIPART,),
    disconnect: bool = False,
) -> Exchange:
    """POST ``chunks`` to ``app`` one ASGI message each; then ``http.disconnect`` if asked.

    Without ``disconnect`` the last chunk ends the body; after the body, ``receive``
    waits (as a server does until the client leaves).
    """
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")]
        + [(k.lower().encode(), v.encode()) for k, v in headers],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    messages: list[dict[str, Any]] = []
    read = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(chunks):
            read += 1
            more = disconnect or read < len(chunks)
            return {"type": "http.request", "body": chunks[read - 1], "more_body": more}
        if disconnect:
            return {"type": "http.disconnect"}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    error: BaseException | None = None

    async def main() -> None:
        nonlocal error
        try:
            await app(scope, receive, send)
        except Exception as exc:
            error = exc

    anyio.run(main)
    return Exchange(messages, read, error)


def split(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]
