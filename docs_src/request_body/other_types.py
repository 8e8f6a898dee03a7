from dataclasses import dataclass

from pydantic import BaseModel
from typing_extensions import TypedDict  # typing.TypedDict works on Python 3.12+

from hinted import App

app = App()


@dataclass
class Point:
    x: float
    y: float


class Reaction(TypedDict):
    emoji: str
    count: int


class ChatEntry(BaseModel):
    message: str
    recipient: str


@app.post("/points")
async def add_point(point: Point) -> dict[str, float]:
    return {"distance": (point.x**2 + point.y**2) ** 0.5}


@app.post("/reactions")
async def add_reaction(reaction: Reaction) -> Reaction:
    return reaction


@app.post("/messages/batch")
async def send_batch(entries: list[ChatEntry]) -> dict[str, object]:
    return {"count": len(entries), "recipients": sorted({e.recipient for e in entries})}
