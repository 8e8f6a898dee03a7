from typing import Any

import graphene

from hinted import App
from hinted.graphql import GraphQL


class Person(graphene.ObjectType):
    name = graphene.String(required=True)
    friends = graphene.List(
        graphene.NonNull(lambda: Person), required=True, first=graphene.Int(default_value=10)
    )

    def resolve_friends(root: Any, info: Any, first: int) -> list["Person"]:
        return [Person(name=f"friend {n}") for n in range(first)]


class Query(graphene.ObjectType):
    me = graphene.Field(Person, required=True, resolver=lambda root, info: Person(name="me"))


schema = graphene.Schema(query=Query)

app = App()
app.mount("/graphql", GraphQL(schema, max_depth=4, max_cost=200, introspection=False))
