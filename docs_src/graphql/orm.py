from collections.abc import Iterator
from typing import Annotated, Any

import graphene
from graphene_sqlalchemy import SQLAlchemyObjectType
from sqlalchemy import Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from hinted import App, Depends
from hinted.graphql import GraphQL


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, doc="The author's full name")


engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
Base.metadata.create_all(engine)  # a real service runs alembic migrations instead
sessions = sessionmaker(engine, expire_on_commit=False)


def get_session() -> Iterator[Session]:
    with sessions() as session:
        yield session


class AuthorType(SQLAlchemyObjectType):
    class Meta:
        model = Author
        name = "Author"


class Query(graphene.ObjectType):
    authors = graphene.List(graphene.NonNull(AuthorType), required=True)

    def resolve_authors(root: Any, info: Any) -> list[Author]:
        return list(info.context.db.scalars(select(Author).order_by(Author.id)))


class AddAuthor(graphene.Mutation):
    class Arguments:
        name = graphene.String(required=True)

    Output = graphene.NonNull(AuthorType)

    def mutate(root: Any, info: Any, name: str) -> Author:
        author = Author(name=name)
        info.context.db.add(author)
        info.context.db.commit()  # before the answer: a reply means the row is stored
        return author


class Mutation(graphene.ObjectType):
    add_author = AddAuthor.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)

app = App()
app.mount("/graphql", GraphQL(schema, context={"db": Depends(get_session)}))


@app.get("/authors")
def list_authors(session: Annotated[Session, Depends(get_session)]) -> list[str]:
    return list(session.scalars(select(Author.name).order_by(Author.id)))
