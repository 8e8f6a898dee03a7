"""Load the guide's examples as a reader runs them; read endless streams from them."""

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio

DOCS_SRC = Path(__file__).resolve().parents[2] / "docs_src"


def load(folder: str, module: str = "main") -> ModuleType:
    """Import ``docs_src/<folder>/<module>.py`` with its folder first on ``sys.path``.

    The folder's modules are imported afresh (a new app, empty module-level lists)
    and dropped from ``sys.modules`` afterwards, so examples never see each other.
    """
    directory = DOCS_SRC / folder
    names = {path.stem for path in directory.glob("*.py")}

    def forget() -> None:
        for name in names:
            sys.modules.pop(name, None)

    forget()
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(directory))
        forget()


def read_stream(app: Any, path: str, chunks: int) -> tuple[int, dict[str, str], list[bytes]]:
    """GET ``path``, keep the first ``chunks`` non-empty body chunks, then disconnect.

    For endless responses, which a test client would wait on forever.
    """
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    status = 0
    headers: dict[str, str] = {}
    body: list[bytes] = []
    enough = anyio.Event()

    async def receive() -> dict[str, Any]:
        if not hasattr(receive, "sent"):
            receive.sent = True  # type: ignore[attr-defined]
            return {"type": "http.request", "body": b"", "more_body": False}
        await enough.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = {k.decode(): v.decode() for k, v in message.get("headers", [])}
        elif message.get("body") and len(body) < chunks:
            body.append(message["body"])
            if len(body) == chunks:
                enough.set()

    async def main() -> None:
        with anyio.fail_after(10):
            await app(scope, receive, send)

    anyio.run(main)
    return status, headers, body
