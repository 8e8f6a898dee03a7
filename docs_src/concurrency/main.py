import time
from typing import Annotated

from hinted import App, Depends, Header
from hinted.concurrency import inline

# At most 8 sync handlers and dependencies run at once; the others wait their turn.
app = App(thread_pool_size=8)


@inline  # cheap and never blocks: runs on the event loop, no thread hop
def api_version(x_api_version: Annotated[str, Header()] = "1") -> int:
    return int(x_api_version)


def slow_report() -> str:  # blocking I/O: a plain def, so a worker thread runs it
    time.sleep(0.01)
    return "report"


@app.get("/version")
async def version(value: Annotated[int, Depends(api_version)]) -> dict[str, int]:
    return {"version": value}


@app.get("/report")
def report(text: Annotated[str, Depends(slow_report)]) -> dict[str, str]:
    return {"report": text}
