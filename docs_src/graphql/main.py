from collections.abc import Iterator
from typing import Annotated, Any

import graphene

from hinted import App, Depends, Header, HTTPException
from hinted.graphql import GraphQL

BOOKS = {1: "Dune", 2: "Solaris"}


class Store:
    """Stands in for a database session: one per request, closed after the response."""

    def __init__(self) -> None:
        self.books = BOOKS
        self.closed = False

    def close(self) -> None:
        self.closed = True


def get_store() -> Iterator[Store]:
    store = Store()
    try:
        yield store
    finally:
        store.close()


def current_user(x_user: Annotated[str | None, Header()] = None) -> str:
    if x_user is None:
        raise HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "X-User"})
    return x_user


class Book(graphene.ObjectType):
    id = graphene.Int(required=True)
    title = graphene.String(required=True)


class Query(graphene.ObjectType):
    books = graphene.List(graphene.NonNull(Book), required=True)
    me = graphene.String(required=True)

    def resolve_books(root: Any, info: Any) -> list[Book]:
        store: Store = info.context["db"]
        return [Book(id=id, title=title) for id, title in store.books.items()]

    def resolve_me(root: Any, info: Any) -> str:
        return info.context["user"]


class AddBook(graphene.Mutation):
    class Arguments:
        title = graphene.String(required=True)

    Output = graphene.NonNull(Book)

    def mutate(root: Any, info: Any, title: str) -> Book:
        books = info.context.db.books
        books[len(books) + 1] = title
        return Book(id=len(books), title=title)


class Mutation(graphene.ObjectType):
    add_book = AddBook.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)

app = App()
app.mount(
    "/graphql",
    GraphQL(
        schema,
        context={"db": Depends(get_store), "user": Depends(current_user)},
        max_depth=10,
    ),
)


@app.get("/books")
def list_books(
    store: Annotated[Store, Depends(get_store)], user: Annotated[str, Depends(current_user)]
) -> dict[int, str]:
    return store.books
