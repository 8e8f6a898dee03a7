from hinted import App, WebSocket
from hinted.channels import Channels

channels = Channels(queue_size=100)
app = App(lifespan=channels.lifespan)


@app.post("/users/{user}/notify", status_code=202)
async def notify(user: str, text: str) -> None:
    await channels.publish(f"user:{user}", {"text": text})


@app.post("/broadcast", status_code=202)
async def broadcast(text: str) -> None:
    await channels.publish("broadcast", {"text": text})


@app.websocket("/ws/notifications/{user}")
async def notifications(websocket: WebSocket, user: str) -> None:
    await websocket.accept()
    async with channels.subscribe(f"user:{user}", "broadcast") as subscription:
        async for message in subscription:
            note = message.json()
            await websocket.send_json(
                {
                    "channel": message.channel,
                    "text": note["text"].upper(),
                    "missed": subscription.dropped,
                }
            )
            if note["text"] == "bye":
                break
    await websocket.close()
