"""The benchmark app of ``$BENCH_FRAMEWORK`` (hinted or fastapi) plus a WebSocket echo.

Served by ``benchmarks.startup`` to measure the resident memory of an idle app and what
1,000 open WebSockets add to it.  Only the chosen framework is imported, so its process
holds nothing of the other.  Both frameworks take the same code: hinted mirrors
FastAPI's API.
"""

import importlib
import os

FRAMEWORK = os.environ.get("BENCH_FRAMEWORK", "hinted")
if FRAMEWORK not in ("hinted", "fastapi"):
    raise RuntimeError(f"BENCH_FRAMEWORK must be hinted or fastapi, not {FRAMEWORK!r}")

app = importlib.import_module(f"benchmarks.apps.{FRAMEWORK}_app").app
WebSocket = importlib.import_module(FRAMEWORK).WebSocket


@app.websocket("/ws")
async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    async for message in websocket.iter_text():
        await websocket.send_text(message)
