from typing import Literal

from pydantic import BaseModel, Field

from hinted import App, HTTPException, Query


class ChatEntry(BaseModel):
    """A chat message."""

    version: Literal["3.1"] = Field(default="3.1", description="Protocol version")
    message: str = Field(description="Message body")
    recipient: str = Field(description="Receiver of message")
    author: str | None = Field(default=None, description="Sender of message")
    timestamp: float | None = Field(default=None, description="Unix timestamp")


class StoredEntry(ChatEntry):
    id: int


app = App(title="Chat")
messages: list[StoredEntry] = []


@app.post("/messages", status_code=201)
def create_message(entry: ChatEntry) -> StoredEntry:
    stored = StoredEntry(id=len(messages) + 1, **entry.model_dump())
    messages.append(stored)
    return stored


@app.get("/messages")
def list_messages(
    offset: int = Query(0, ge=0), limit: int = Query(10, ge=1, le=100)
) -> list[StoredEntry]:
    return messages[offset : offset + limit]


@app.get("/messages/{message_id}")
def read_message(message_id: int) -> StoredEntry:
    if not 1 <= message_id <= len(messages):
        raise HTTPException(status_code=404, detail=f"Message {message_id} not found")
    return messages[message_id - 1]
