from typing import Literal

from pydantic import BaseModel, Field

from hinted import App

app = App()


class ChatEntry(BaseModel):
    """A chat message"""

    version: Literal["3.1"] = Field("3.1", description="Protocol version")
    message: str = Field(description="Message body")
    recipient: str = Field(description="Receiver of message")
    author: str | None = Field(None, description="Sender of message")
    timestamp: float | None = Field(None, description="Unix timestamp")


@app.post("/messages", status_code=201)
async def send_message(entry: ChatEntry, notify: bool = False) -> ChatEntry:
    return entry
