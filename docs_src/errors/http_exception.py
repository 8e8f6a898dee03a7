from hinted import App, HTTPException

app = App()

messages = {1: "Hello"}


@app.get("/messages/{message_id}")
async def read_message(message_id: int) -> dict[str, str]:
    if message_id not in messages:
        raise HTTPException(status_code=404, detail=f"Message {message_id} not found")
    return {"message": messages[message_id]}


@app.get("/inbox")
async def inbox() -> dict[str, str]:
    raise HTTPException(
        status_code=401,
        detail={"reason": "login required", "login_url": "/login"},
        headers={"WWW-Authenticate": "Bearer"},
    )
