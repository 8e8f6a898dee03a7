"""The chat's data: what clients send and what they get back."""

from pydantic import BaseModel, Field


class ChatEntry(BaseModel):
    """A chat message."""

    version: str = Field("3.1", description="Protocol version")
    message: str = Field(..., min_length=1, description="Message body")
    recipient: str = Field(..., description="Receiver of message")
    author: str | None = Field(None, description="Sender of message")
    timestamp: float | None = Field(None, description="Unix timestamp")


class StoredEntry(ChatEntry):
    id: int


class User(BaseModel):
    username: str
    full_name: str | None = None
    disabled: bool = False


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
