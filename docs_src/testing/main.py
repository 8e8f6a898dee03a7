import time
from typing import Annotated

from pydantic import BaseModel

from hinted import App, Depends, HTTPException

app = App()


class ChatEntry(BaseModel):
    message: str
    recipient: str
    author: str | None = None
    timestamp: float | None = None


class MessageStore:
    def __init__(self) -> None:
        self.entries: list[ChatEntry] = []

    def add(self, entry: ChatEntry) -> int:
        self.entries.append(entry)
        return len(self.entries)


store = MessageStore()


def get_store() -> MessageStore:
    return store


@app.post("/messages", status_code=201)
def create_message(
    entry: ChatEntry, store: Annotated[MessageStore, Depends(get_store)]
) -> dict[str, object]:
    if entry.timestamp is None:
        entry.timestamp = time.time()
    return {"id": store.add(entry), "timestamp": entry.timestamp}


@app.get("/messages/{message_id}")
def read_message(message_id: int, store: Annotated[MessageStore, Depends(get_store)]) -> ChatEntry:
    if not 1 <= message_id <= len(store.entries):
        raise HTTPException(404, "Message not found")
    return store.entries[message_id - 1]
