from pydantic import BaseModel

from hinted import App, HTTPException

app = App(problem_details=True)


class ChatEntry(BaseModel):
    message: str
    recipient: str


@app.post("/messages", status_code=201)
async def send_message(entry: ChatEntry) -> ChatEntry:
    return entry


@app.get("/messages/{message_id}")
async def read_message(message_id: int) -> ChatEntry:
    raise HTTPException(404, f"Message {message_id} not found")
