"""One API, three schema libraries: Graphene 3, Strawberry and plain graphql-core.

Every schema answers the same documents the same way, so the HTTP tests run each
query against all three::

    type Query {
      hello(name: String = "world"): String!
      add(a: Int!, b: Int!): Int!
      items(limit: Int = 3): [Item!]!
      boom: String              # raises
      whoami: String            # info.context["user"], from a hinted dependency
    }
    type Item { id: Int!  name: String!  children: [Item!]! }
    type Mutation { addItem(name: String!): Item! }
    type Subscription { count(to: Int!): Int!  roomMessages(room: String!): String! }
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import graphene
import strawberry
from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
)

from hinted.graphql import channel_stream

SCHEMA_NAMES = ["graphene", "strawberry", "graphql-core"]


class Boom(Exception):
    """What the ``boom`` field raises."""


def make_items(limit: int, depth: int = 0) -> list[dict[str, Any]]:
    return [{"id": i + 1, "name": f"item {depth}.{i + 1}", "depth": depth} for i in range(limit)]


def _value(item: Any, key: str) -> Any:
    return item[key] if isinstance(item, dict) else getattr(item, key)


def _user(info: Any) -> str | None:
    user = info.context.get("user") if isinstance(info.context, dict) else None
    return None if user is None else str(user)


async def count_to(to: int) -> AsyncIterator[int]:
    for number in range(1, to + 1):
        await anyio.sleep(0)
        yield number


async def room_messages(info: Any, room: str) -> AsyncIterator[str]:
    async for data in channel_stream(info.context["channels"], f"room:{room}"):
        yield str(data["text"])


# -- Graphene ---------------------------------------------------------------------------


class GrapheneItem(graphene.ObjectType):
    class Meta:
        name = "Item"

    id = graphene.Int(required=True)
    name = graphene.String(required=True)
    children = graphene.List(graphene.NonNull(lambda: GrapheneItem), required=True)

    def resolve_id(item: Any, info: Any) -> int:
        return int(_value(item, "id"))

    def resolve_name(item: Any, info: Any) -> str:
        return str(_value(item, "name"))

    def resolve_children(item: Any, info: Any) -> list[dict[str, Any]]:
        return make_items(2, _value(item, "depth") + 1)


class GrapheneQuery(graphene.ObjectType):
    class Meta:
        name = "Query"

    hello = graphene.String(required=True, name=graphene.String(default_value="world"))
    add = graphene.Int(required=True, a=graphene.Int(required=True), b=graphene.Int(required=True))
    items = graphene.List(
        graphene.NonNull(GrapheneItem), required=True, limit=graphene.Int(default_value=3)
    )
    boom = graphene.String()
    whoami = graphene.String()

    def resolve_hello(root: Any, info: Any, name: str) -> str:
        return f"Hello, {name}!"

    def resolve_add(root: Any, info: Any, a: int, b: int) -> int:
        return a + b

    def resolve_items(root: Any, info: Any, limit: int) -> list[dict[str, Any]]:
        return make_items(limit)

    def resolve_boom(root: Any, info: Any) -> str:
        raise Boom("it went boom")

    def resolve_whoami(root: Any, info: Any) -> str | None:
        return _user(info)


class GrapheneAddItem(graphene.Mutation):
    class Meta:
        name = "AddItem"

    class Arguments:
        name = graphene.String(required=True)

    Output = graphene.NonNull(GrapheneItem)

    def mutate(root: Any, info: Any, name: str) -> dict[str, Any]:
        return {"id": 99, "name": name, "depth": 0}


class GrapheneMutation(graphene.ObjectType):
    class Meta:
        name = "Mutation"

    add_item = GrapheneAddItem.Field()


class GrapheneSubscription(graphene.ObjectType):
    class Meta:
        name = "Subscription"

    count = graphene.Int(required=True, to=graphene.Int(required=True))
    room_messages = graphene.String(required=True, room=graphene.String(required=True))

    async def subscribe_count(root: Any, info: Any, to: int) -> AsyncIterator[int]:
        async for number in count_to(to):
            yield number

    def resolve_count(number: int, info: Any, to: int) -> int:
        return number

    async def subscribe_room_messages(root: Any, info: Any, room: str) -> AsyncIterator[str]:
        async for text in room_messages(info, room):
            yield text

    def resolve_room_messages(text: str, info: Any, room: str) -> str:
        return text


graphene_schema = graphene.Schema(
    query=GrapheneQuery, mutation=GrapheneMutation, subscription=GrapheneSubscription
)

# -- Strawberry -------------------------------------------------------------------------


@strawberry.type(name="Item")
class StrawberryItem:
    id: int
    name: str
    depth: strawberry.Private[int] = 0

    @strawberry.field
    def children(self) -> list[StrawberryItem]:
        return [StrawberryItem(**item) for item in make_items(2, self.depth + 1)]


@strawberry.type(name="Query")
class StrawberryQuery:
    @strawberry.field
    def hello(self, name: str | None = "world") -> str:
        return f"Hello, {name}!"

    @strawberry.field
    def add(self, a: int, b: int) -> int:
        return a + b

    @strawberry.field
    def items(self, limit: int | None = 3) -> list[StrawberryItem]:
        return [StrawberryItem(**item) for item in make_items(limit or 0)]

    @strawberry.field
    def boom(self) -> str | None:
        raise Boom("it went boom")

    @strawberry.field
    def whoami(self, info: strawberry.Info) -> str | None:
        return _user(info)


@strawberry.type(name="Mutation")
class StrawberryMutation:
    @strawberry.mutation
    def add_item(self, name: str) -> StrawberryItem:
        return StrawberryItem(id=99, name=name)


@strawberry.type(name="Subscription")
class StrawberrySubscription:
    @strawberry.subscription
    async def count(self, to: int) -> AsyncIterator[int]:
        async for number in count_to(to):
            yield number

    @strawberry.subscription
    async def room_messages(self, info: strawberry.Info, room: str) -> AsyncIterator[str]:
        async for text in room_messages(info, room):
            yield text


strawberry_schema = strawberry.Schema(
    query=StrawberryQuery, mutation=StrawberryMutation, subscription=StrawberrySubscription
)

# -- graphql-core -----------------------------------------------------------------------


def _item_type() -> GraphQLObjectType:
    item: GraphQLObjectType = GraphQLObjectType(
        "Item",
        lambda: {
            "id": GraphQLField(GraphQLNonNull(GraphQLInt)),
            "name": GraphQLField(GraphQLNonNull(GraphQLString)),
            "children": GraphQLField(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(item))),
                resolve=lambda parent, info: make_items(2, parent["depth"] + 1),
            ),
        },
    )
    return item


def _raise_boom(root: Any, info: Any) -> str:
    raise Boom("it went boom")


async def _subscribe_count(root: Any, info: Any, to: int) -> AsyncIterator[int]:
    async for number in count_to(to):
        yield number


async def _subscribe_room(root: Any, info: Any, room: str) -> AsyncIterator[str]:
    async for text in room_messages(info, room):
        yield text


def _core_schema() -> GraphQLSchema:
    item = _item_type()
    non_null_int = GraphQLNonNull(GraphQLInt)
    query = GraphQLObjectType(
        "Query",
        {
            "hello": GraphQLField(
                GraphQLNonNull(GraphQLString),
                args={"name": GraphQLArgument(GraphQLString, default_value="world")},
                resolve=lambda root, info, name: f"Hello, {name}!",
            ),
            "add": GraphQLField(
                non_null_int,
                args={"a": GraphQLArgument(non_null_int), "b": GraphQLArgument(non_null_int)},
                resolve=lambda root, info, a, b: a + b,
            ),
            "items": GraphQLField(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(item))),
                args={"limit": GraphQLArgument(GraphQLInt, default_value=3)},
                resolve=lambda root, info, limit: make_items(limit),
            ),
            "boom": GraphQLField(GraphQLString, resolve=_raise_boom),
            "whoami": GraphQLField(GraphQLString, resolve=lambda root, info: _user(info)),
        },
    )
    mutation = GraphQLObjectType(
        "Mutation",
        {
            "addItem": GraphQLField(
                GraphQLNonNull(item),
                args={"name": GraphQLArgument(GraphQLNonNull(GraphQLString))},
                resolve=lambda root, info, name: {"id": 99, "name": name, "depth": 0},
            )
        },
    )
    subscription = GraphQLObjectType(
        "Subscription",
        {
            "count": GraphQLField(
                non_null_int,
                args={"to": GraphQLArgument(non_null_int)},
                subscribe=_subscribe_count,
                resolve=lambda number, info, to: number,
            ),
            "roomMessages": GraphQLField(
                GraphQLNonNull(GraphQLString),
                args={"room": GraphQLArgument(GraphQLNonNull(GraphQLString))},
                subscribe=_subscribe_room,
                resolve=lambda text, info, room: text,
            ),
        },
    )
    return GraphQLSchema(query=query, mutation=mutation, subscription=subscription)


core_schema = _core_schema()

SCHEMAS: dict[str, Any] = {
    "graphene": graphene_schema,
    "strawberry": strawberry_schema,
    "graphql-core": core_schema,
}
