import time

from pydantic import BaseModel, Field

from hinted import App


class ChatEntry(BaseModel):
    """A chat message."""

    version: str = Field(default="3.1", description="Protocol version")
    message: str = Field(description="Message body")
    recipient: str = Field(description="Receiver of message")
    author: str | None = Field(default=None, description="Sender of message")
    timestamp: float | None = Field(default=None, description="Unix timestamp")


class StatusResponse(BaseModel):
    status: str
    answer_before: float


app = App()


@app.post("/example")
def example(chat_entry: ChatEntry) -> StatusResponse:
    if chat_entry.timestamp is not None:
        message = f"Received chat message at timestamp {chat_entry.timestamp}"
        timeout = chat_entry.timestamp + 3600
    else:
        message = "Received chat message without a timestamp"
        timeout = time.time() + 3600
    return StatusResponse(status=message, answer_before=timeout)
