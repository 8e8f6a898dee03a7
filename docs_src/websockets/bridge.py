from pydantic import BaseModel

from hinted import App, WebSocket
from hinted.channels import Channels

channels = Channels()
app = App(lifespan=channels.lifespan)


class Shout(BaseModel):
    text: str


@app.websocket("/shouts")
async def shouts(websocket: WebSocket) -> None:
    """Every valid frame goes to everyone connected, sender included."""
    await channels.bridge(websocket, "shouts", incoming=Shout)
