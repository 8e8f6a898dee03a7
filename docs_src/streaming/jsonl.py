import asyncio
from collections.abc import AsyncIterator, Iterator

from pydantic import BaseModel

from hinted import App
from hinted.responses import StreamingResponse


class ChatEntry(BaseModel):
    message: str
    recipient: str


class StoredEntry(ChatEntry):
    ip_address: str  # never sent: the item type is ChatEntry


app = App()


@app.get("/messages/export")
async def export_messages(count: int = 3) -> AsyncIterator[ChatEntry]:
    for n in range(count):
        await asyncio.sleep(0)  # e.g. the next page of a database query
        yield StoredEntry(message=f"message {n}", recipient="bob", ip_address="10.0.0.1")


@app.get("/messages.csv")
def messages_csv() -> StreamingResponse:
    def rows() -> Iterator[str]:  # a sync generator runs in the thread pool
        yield "message,recipient\n"
        for n in range(3):
            yield f"message {n},bob\n"

    return StreamingResponse(rows(), media_type="text/csv")
