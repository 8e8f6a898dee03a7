from typing import Annotated

import strawberry

from hinted import App, Depends, Header
from hinted.graphql import GraphQL


def current_user(x_user: Annotated[str, Header()] = "anonymous") -> str:
    return x_user


@strawberry.type
class Book:
    id: int
    title: str


@strawberry.type
class Query:
    @strawberry.field
    def books(self) -> list[Book]:
        return [Book(id=1, title="Dune"), Book(id=2, title="Solaris")]

    @strawberry.field
    async def me(self, info: strawberry.Info) -> str:
        return info.context["user"]


schema = strawberry.Schema(query=Query)

app = App()
app.mount("/graphql", GraphQL(schema, context={"user": Depends(current_user)}))
