"""The wire format: the article's ``ChatEntry``, in pydantic v2.

The article's JSON Schema (``"version": {"const": "3.1"}``, ``"timestamp": {"type":
"number"}``) maps onto a ``Literal`` and a strict, finite float: the string ``"3.2"``,
``"abc"`` and ``"1e999"`` are all rejected with a 422 naming the field.

>>> entry = ChatEntry(message="Hello", recipient="Dave")
>>> entry.version, entry.author, entry.timestamp
('3.1', None, None)
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION: Final = "3.1"


class ChatEntry(BaseModel):
    """A chat message, as a client sends it."""

    version: Literal["3.1"] = Field(
        PROTOCOL_VERSION, description="Protocol version", examples=[PROTOCOL_VERSION]
    )
    message: str = Field(description="Message body", examples=["Hello", "Are you there?"])
    recipient: str = Field(description="Receiver of message", examples=["Dave"])
    author: str | None = Field(None, description="Sender of message", examples=["Alice"])
    timestamp: float | None = Field(
        None,
        strict=True,
        allow_inf_nan=False,
        description="Unix timestamp; the server fills in the time of receipt when omitted",
        examples=[1599307407.9207017],
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"message": "Hello", "recipient": "Dave"},
                {
                    "version": "3.1",
                    "message": "Are you there?",
                    "recipient": "Dave",
                    "author": "Alice",
                    "timestamp": 1599307407.9207017,
                },
            ]
        }
    )


class StoredChatEntry(ChatEntry):
    """A chat message as the service stored it: with its ``id``, always timestamped."""

    id: int = Field(description="Identifier assigned by the service", examples=[1])
    timestamp: float = Field(description="Unix timestamp (the client's, or the time of receipt)")

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "version": "3.1",
                    "message": "Hello",
                    "recipient": "Dave",
                    "author": None,
                    "timestamp": 1599307407.9207017,
                }
            ]
        },
    )


class ErrorMessage(BaseModel):
    """The body of an error response other than a validation error (those are 422s)."""

    detail: str = Field(description="What went wrong", examples=["Message not found"])
