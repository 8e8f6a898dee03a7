from typing import Annotated

from pydantic import BaseModel

from hinted import App, Body

app = App()


class ChatEntry(BaseModel):
    message: str
    recipient: str


class Sender(BaseModel):
    name: str
    email: str


@app.post("/messages")
async def send_message(
    entry: ChatEntry,
    sender: Sender,
    priority: Annotated[int, Body(ge=0, le=9)] = 0,
) -> dict[str, object]:
    return {"entry": entry, "sender": sender, "priority": priority}
