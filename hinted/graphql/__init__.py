"""GraphQL beside REST: serve a Graphene, Strawberry or graphql-core schema.

```python
from hinted import App, Depends
from hinted.graphql import GraphQL

app = App()
app.mount("/graphql", GraphQL(schema, context={"db": Depends(get_session)}))
```

graphql-core executes every schema (``pip install 'hinted[graphql]'``). Over HTTP the
endpoint follows the GraphQL over HTTP specification: ``GET`` and ``POST``
(``application/json`` or ``application/graphql``), variables and ``operationName``,
errors as GraphQL errors, ``405`` for a mutation over ``GET``, ``400`` for a body
that is no GraphQL request. A browser gets GraphiQL, served from the package (no
CDN). Subscriptions speak graphql-transport-ws over WebSocket, fed by
:mod:`hinted.channels` (:func:`channel_stream`).

When no resolver of the schema is a coroutine function, each operation runs
entirely in the app's thread pool, as Starlette's old ``GraphQLApp`` did: a slow
sync resolver (a database query through a sync driver) never blocks the event loop.
With async resolvers, operations run on the event loop.

Resolvers find the request and the values of hinted dependencies in
``info.context`` (:class:`Context`), resolved per request like a route's.

Nothing here is imported by ``import hinted``; this package needs graphql-core.
"""

from hinted.graphql._app import GraphQL
from hinted.graphql._channels import channel_stream
from hinted.graphql._context import Context
from hinted.graphql._graphiql import GRAPHIQL_ASSETS, graphiql_html
from hinted.graphql._limits import query_cost, query_depth
from hinted.graphql._request import GraphQLParams
from hinted.graphql._schema import as_graphql_schema, has_async_resolvers
from hinted.graphql._websocket import PROTOCOL as GRAPHQL_TRANSPORT_WS

__all__ = [
    "GRAPHIQL_ASSETS",
    "GRAPHQL_TRANSPORT_WS",
    "Context",
    "GraphQL",
    "GraphQLParams",
    "as_graphql_schema",
    "channel_stream",
    "graphiql_html",
    "has_async_resolvers",
    "query_cost",
    "query_depth",
]
