from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, TypedDict

from hinted import App, Depends, Request


class MessageStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self.messages: list[str] = []
        self.closed = False

    async def close(self) -> None:
        self.closed = True


class State(TypedDict):
    store: MessageStore


@asynccontextmanager
async def lifespan(app: App) -> AsyncIterator[State]:
    store = MessageStore(app.state.database_url)  # startup
    yield {"store": store}
    await store.close()  # shutdown


app = App(lifespan=lifespan)
app.state.database_url = "sqlite:///chat.db"


def get_store(request: Request) -> MessageStore:
    store: MessageStore = request.state.store
    return store


@app.post("/messages", status_code=201)
async def send_message(
    text: str, store: Annotated[MessageStore, Depends(get_store)]
) -> dict[str, int]:
    store.messages.append(text)
    return {"count": len(store.messages)}


@app.get("/messages")
async def list_messages(store: Annotated[MessageStore, Depends(get_store)]) -> list[str]:
    return store.messages


@app.get("/config")
async def config(request: Request) -> dict[str, str]:
    return {"database_url": request.app.state.database_url}
