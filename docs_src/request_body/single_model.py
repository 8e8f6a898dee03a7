from pydantic import BaseModel

from hinted import App

app = App()


class ChatEntry(BaseModel):
    message: str
    recipient: str
    author: str | None = None


@app.post("/rooms/{room_id}/messages")
async def send_message(room_id: int, entry: ChatEntry, notify: bool = False) -> dict[str, object]:
    return {"room_id": room_id, "notify": notify, "entry": entry}
