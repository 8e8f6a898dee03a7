"""Drive an ASGI app with one raw request and check the invariants of its answer.

Raw ASGI, not an HTTP client: bytes a client refuses to send (latin-1 header values,
malformed percent-escapes, lying Content-Length headers, bodies cut in odd chunks)
still reach the app, as a lenient server would pass them on.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio

EXAMPLES = int(os.environ.get("HINTED_FUZZ_EXAMPLES", "200"))
"""Examples per property: small in CI; ``HINTED_FUZZ_EXAMPLES=20000`` for a long run."""

# Text that must never reach a client: tracebacks, source paths, internal modules.
LEAKS = (
    b"Traceback",
    b'File "',
    b"/work/",
    b"site-packages",
    b"hinted.",
    b"pydantic_core",
    b"starlette.",
    b"Error:",  # "KeyError: ..." as str(exc) of an unexpected exception would read
)


@dataclasses.dataclass
class RawRequest:
    method: str
    path: str
    query_string: bytes = b""
    headers: list[tuple[bytes, bytes]] = dataclasses.field(default_factory=list)
    chunks: list[bytes] = dataclasses.field(default_factory=list)
    disconnect: bool = False  # the client leaves after its last chunk

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    def scope(self) -> dict[str, Any]:
        raw_path = self.path.encode("utf-8", "surrogateescape")
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": self.method,
            "scheme": "http",
            "path": self.path,
            "raw_path": raw_path,
            "root_path": "",
            "query_string": self.query_string,
            "headers": list(self.headers),
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": {},
        }

    def text(self) -> bytes:
        """Everything the client sent, raw and percent-decoded: what an echo may show."""
        sent = b" ".join(
            [
                self.method.encode("utf-8", "surrogateescape"),
                self.path.encode("utf-8", "surrogateescape"),
                self.query_string,
                *(name + b": " + value for name, value in self.headers),
                self.body,
            ]
        )
        return sent + b" " + unquote_to_bytes(sent.replace(b"+", b" "))


@dataclasses.dataclass
class Outcome:
    status: int | None
    headers: list[tuple[bytes, bytes]]
    body: bytes
    escaped: BaseException | None
    messages: list[dict[str, Any]]

    def header(self, name: bytes) -> bytes | None:
        return next((v for k, v in self.headers if k.lower() == name), None)


def run(app: Any, request: RawRequest, timeout: float = 20) -> Outcome:
    """Send ``request`` to ``app``; collect what it sends and what it raises."""
    messages: list[dict[str, Any]] = []
    pending = [
        {"type": "http.request", "body": chunk, "more_body": index < len(request.chunks) - 1}
        for index, chunk in enumerate(request.chunks or [b""])
    ]
    escaped: list[BaseException] = []

    async def main() -> None:
        done = anyio.Event()

        async def receive() -> dict[str, Any]:
            if pending:
                return pending.pop(0)
            if not request.disconnect:
                await done.wait()  # as a server does: nothing more until the client leaves
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        with anyio.fail_after(timeout):
            try:
                await app(request.scope(), receive, send)
            except Exception as exc:
                escaped.append(exc)

    anyio.run(main)
    starts = [m for m in messages if m["type"] == "http.response.start"]
    status = starts[0]["status"] if starts else None
    headers = list(starts[0].get("headers", [])) if starts else []
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    if (b"content-encoding", b"gzip") in headers and body:
        body = gzip.decompress(body)
    return Outcome(status, headers, body, escaped[0] if escaped else None, messages)


def check(request: RawRequest, outcome: Outcome, violations: list[str]) -> None:
    """The invariants every answer to client input keeps."""
    assert outcome.escaped is None, f"exception escaped the app: {outcome.escaped!r}"
    assert not violations, f"a handler got unvalidated values: {violations}"
    if request.disconnect and outcome.status is None:
        return  # the client left before the app could answer: nobody to answer
    assert outcome.status is not None, "no response"
    assert outcome.status < 500, f"{outcome.status}: {outcome.body[:500]!r}"
    starts = [m for m in outcome.messages if m["type"] == "http.response.start"]
    assert len(starts) == 1, "more than one response start"
    if outcome.status >= 400 and request.method != "HEAD":
        content_type = outcome.header(b"content-type") or b""
        assert content_type.split(b";")[0].strip() in (
            b"application/json",
            b"application/problem+json",
        ), f"{outcome.status} answered as {content_type!r}"
        json.loads(outcome.body)
    echoed = request.text()
    answer = outcome.body + b" " + b" ".join(v for _, v in outcome.headers)
    for leak in LEAKS:
        if leak in answer and leak not in echoed:
            raise AssertionError(f"{leak!r} in a response: {outcome.body[:500]!r}")
