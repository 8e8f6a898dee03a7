from typing import Annotated

from pydantic import BaseModel

from hinted import App, Body

app = App()


class ChatEntry(BaseModel):
    message: str
    recipient: str


@app.post("/messages")
async def send_message(entry: Annotated[ChatEntry, Body(embed=True)]) -> ChatEntry:
    return entry
