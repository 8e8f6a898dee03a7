from typing import Annotated

from hinted import App, Depends, Query

app = App()


class Page:
    def __init__(
        self,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> None:
        self.offset = offset
        self.limit = limit

    def slice(self, items: list[int]) -> list[int]:
        return items[self.offset : self.offset + self.limit]


@app.get("/numbers")
async def numbers(page: Annotated[Page, Depends()]) -> list[int]:
    return page.slice(list(range(100)))
