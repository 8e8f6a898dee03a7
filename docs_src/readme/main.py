from typing import Annotated

from pydantic import BaseModel, Field

from hinted import App, HTTPException, Query

app = App(title="Chat")


class ChatEntry(BaseModel):
    version: str = Field("3.1", description="Protocol version")
    message: str = Field(description="Message body")
    recipient: str = Field(description="Receiver of message")
    author: str | None = Field(None, description="Sender of message")
    timestamp: float | None = Field(None, description="Unix timestamp")


entries: list[ChatEntry] = []


@app.post("/messages", status_code=201)
async def post_message(entry: ChatEntry) -> ChatEntry:
    entries.append(entry)
    return entry


@app.get("/messages")
async def list_messages(
    recipient: str, limit: Annotated[int, Query(ge=1, le=100)] = 50
) -> list[ChatEntry]:
    return [e for e in entries if e.recipient == recipient][:limit]


@app.get("/messages/{index}")
async def read_message(index: int) -> ChatEntry:
    if not 0 <= index < len(entries):
        raise HTTPException(404, "Message not found")
    return entries[index]
