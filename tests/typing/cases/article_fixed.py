"""The same handler, with the timestamp narrowed before use: no error."""

import time
from typing import Optional

from pydantic import BaseModel, Field

from hinted import App


class ChatEntry(BaseModel):
    version: str = Field(default="3.1", description="Protocol version")
    message: str = Field(..., description="Message body")
    recipient: str = Field(..., description="Receiver of message")
    author: Optional[str] = Field(default=None, description="Sender of message")
    timestamp: Optional[float] = Field(default=None, description="Unix timestamp")


class StatusResponse(BaseModel):
    status: str


app = App()


@app.post("/example", response_model=StatusResponse)
def example(chat_entry: ChatEntry) -> StatusResponse:
    if chat_entry.timestamp is not None:
        message = f"Received chat message at timestamp {chat_entry.timestamp}"
        timeout = chat_entry.timestamp + 3600
    else:
        message = "Received chat message without a timestamp"
        timeout = time.time() + 3600
    return StatusResponse(status=f"{message}, answer before {timeout}")
