from typing import TYPE_CHECKING, reveal_type

from hinted import App, Query

app = App()


@app.get("/messages/{message_id}")
async def read_message(message_id: int, full: bool = Query(False)) -> dict[str, object]:
    return {"message_id": message_id, "full": full}


if TYPE_CHECKING:
    reveal_type(read_message)
