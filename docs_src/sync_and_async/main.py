import asyncio
import time

from hinted import App
from hinted.concurrency import run_in_threadpool

app = App()


def on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def read_legacy_file() -> str:
    time.sleep(0.01)  # a blocking call: a file, a socket, a C library
    return "legacy data"


@app.get("/sync")
def sync_handler() -> dict[str, object]:
    data = read_legacy_file()  # fine: this runs in a worker thread
    return {"data": data, "on_event_loop": on_event_loop()}


@app.get("/async")
async def async_handler() -> dict[str, object]:
    await asyncio.sleep(0.01)  # non-blocking: other requests run meanwhile
    return {"on_event_loop": on_event_loop()}


@app.get("/mixed")
async def mixed_handler() -> dict[str, object]:
    data = await run_in_threadpool(read_legacy_file)  # blocking work, off the loop
    return {"data": data, "on_event_loop": on_event_loop()}
