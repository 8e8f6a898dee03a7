import asyncio
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from hinted import App, Header, Request, Response
from hinted.sse import EventSourceResponse, ServerSentEvent

current_user: contextvars.ContextVar[str] = contextvars.ContextVar("current_user", default="-")

app = App()


@app.middleware("http")
async def add_user_header(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    # The handler ran in this task: the context variable it set is visible here.
    response.headers["X-User"] = current_user.get()
    return response


@app.get("/me")
async def me(x_user: Annotated[str, Header()] = "anonymous") -> dict[str, str]:
    current_user.set(x_user)
    return {"user": x_user}


@app.get("/ticks", response_class=EventSourceResponse)
async def ticks() -> AsyncIterator[ServerSentEvent]:
    n = 0
    while True:  # endless: the middleware has the response before the first event
        n += 1
        yield ServerSentEvent(data={"n": n}, id=str(n))
        await asyncio.sleep(0.01)
