"""Schemas: a Graphene, Strawberry or graphql-core schema -> one ``GraphQLSchema``.

graphql-core executes every schema, so each library's object is reduced to the
``GraphQLSchema`` it builds: ``graphene.Schema.graphql_schema``, the ``_schema`` of a
``strawberry.Schema`` (the attribute Strawberry's own integrations use), or the schema
itself. Neither Graphene nor Strawberry is imported: they are recognised by shape.

:func:`has_async_resolvers` decides, once per schema, whether an operation can run
entirely in a worker thread (no resolver is a coroutine function) or must run on the
event loop.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema

from hinted.exceptions import HintedError


def as_graphql_schema(schema: Any) -> GraphQLSchema:
    """The graphql-core schema behind a Graphene 3, Strawberry or graphql-core schema."""
    if isinstance(schema, GraphQLSchema):
        return schema
    for attribute in ("graphql_schema", "_schema"):  # Graphene, then Strawberry
        inner = getattr(schema, attribute, None)
        if isinstance(inner, GraphQLSchema):
            return inner
    raise HintedError(
        f"Not a GraphQL schema: {schema!r} (expected a graphene.Schema, a strawberry.Schema "
        "or a graphql.GraphQLSchema)"
    )


def is_async_callable(function: Any) -> bool:
    """Whether calling ``function`` returns an awaitable (through partials and wrappers)."""
    target: Any = function
    while True:
        if isinstance(target, functools.partial):
            target = target.func
        elif hasattr(target, "__wrapped__"):
            target = target.__wrapped__
        else:
            break
    if inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target):
        return True
    if not (inspect.isfunction(target) or inspect.ismethod(target)) and callable(target):
        return inspect.iscoroutinefunction(type(target).__call__)
    return False


def has_async_resolvers(schema: GraphQLSchema) -> bool:
    """Whether a query or mutation field of ``schema`` has a coroutine resolver.

    The subscription root is left out: subscriptions always run on the event loop.
    """
    subscription = schema.subscription_type
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type is subscription:
            continue
        if graphql_type.name.startswith("__"):
            continue
        for field in graphql_type.fields.values():
            if field.resolve is not None and is_async_callable(field.resolve):
                return True
    return False


__all__ = ["as_graphql_schema", "has_async_resolvers", "is_async_callable"]
