from enum import StrEnum
from typing import Annotated, Literal

from hinted import App, Path, Query

app = App()


class Sort(StrEnum):
    newest = "newest"
    oldest = "oldest"


@app.get("/rooms/{room_id}/messages")
async def list_messages(
    room_id: Annotated[int, Path(ge=1)],
    tag: Annotated[list[str], Query(default_factory=list)],
    author: str | None = None,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    search: Annotated[str | None, Query(min_length=3)] = None,
    sort: Sort = Sort.newest,
    format: Literal["full", "short"] = "full",
) -> dict[str, object]:
    return {
        "room_id": room_id,
        "author": author,
        "unread": unread,
        "limit": limit,
        "search": search,
        "tag": tag,
        "sort": sort,
        "format": format,
    }
