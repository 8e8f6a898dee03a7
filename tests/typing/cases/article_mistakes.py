"""The article's handler, as written: both mistakes on the Optional timestamp are caught."""

from typing import Optional

from pydantic import BaseModel, Field

from hinted import App


class ChatEntry(BaseModel):
    """A chat message."""

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
    message = "Received chat message at timestamp " + chat_entry.timestamp  # E: Unsupported operand types for + ("str" and "float")  # E: Unsupported operand types for + ("str" and "None")
    timeout = chat_entry.timestamp + 3600  # E: Unsupported operand types for + ("None" and "int")
    return StatusResponse(status=f"{message}, answer before {timeout}")


@app.get("/latest")
async def latest() -> ChatEntry:
    entry = ChatEntry(message="Hello", recipient="Dave")
    entry.timestamp = "yesterday"  # E: Incompatible types in assignment (expression has type "str", variable has type "float | None")
    return entry
