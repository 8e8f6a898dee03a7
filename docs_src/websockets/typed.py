from typing import Annotated, Literal

from pydantic import BaseModel, Field

from hinted import App, Query, WebSocket
from hinted.websockets import MessageOptions, TypedWebSocket

app = App()


class Move(BaseModel):
    """What a player sends: a cell of the board."""

    x: int = Field(ge=0, le=2)
    y: int = Field(ge=0, le=2)


class Placed(BaseModel):
    """What every move becomes."""

    kind: Literal["placed"] = "placed"
    x: int
    y: int
    player: str


GameSocket = Annotated[
    TypedWebSocket[Move, Placed],
    MessageOptions(max_size=1024, max_bad_messages=3),
]


@app.websocket("/games/{game_id}")
async def play(
    ws: GameSocket,
    game_id: int,
    player: Annotated[str, Query(min_length=2, max_length=20)],
) -> None:
    """Play a game: send moves, receive them back as placed."""
    await ws.accept()
    async for move in ws:  # each frame validated as a Move
        await ws.send(Placed(x=move.x, y=move.y, player=player))


@app.websocket("/echo")
async def echo(websocket: WebSocket) -> None:
    """A plain socket: raw frames, no validation."""
    await websocket.accept()
    async for text in websocket.iter_text():
        await websocket.send_text(text)
