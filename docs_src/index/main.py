from hinted import App

app = App(title="Chat")


@app.get("/")
async def root() -> dict[str, str]:
    return {"message": "Hello, world"}


@app.get("/messages/{message_id}")
async def read_message(message_id: int, full: bool = False) -> dict[str, object]:
    return {"message_id": message_id, "full": full}
