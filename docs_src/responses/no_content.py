from hinted import App, HTTPException

app = App()

messages = {1: "Hello", 2: "Bye"}


@app.delete("/messages/{message_id}", status_code=204)
async def delete_message(message_id: int) -> None:
    if messages.pop(message_id, None) is None:
        raise HTTPException(404, "Message not found")
