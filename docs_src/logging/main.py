import logging

from hinted import App
from hinted.logging import RequestLogMiddleware, configure_logging
from hinted.middleware import RequestIDMiddleware

configure_logging(json=True)  # JSON lines on stderr, level INFO
logger = logging.getLogger("chat")

app = App()
app.add_middleware(RequestLogMiddleware)
app.add_middleware(RequestIDMiddleware)  # added last, runs first: its id reaches every line


@app.post("/rooms/{room}/messages", status_code=201)
async def post_message(room: str) -> dict[str, str]:
    logger.info("message posted", extra={"room": room})
    return {"room": room}
