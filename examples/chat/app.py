"""The chat service's application: ``create_app(settings)``, and ``app`` for servers.

```
hinted run examples.chat.app:app                    # SQLite file ./chat.db
DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/chat \\
    hinted run examples.chat.app:app
```
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import anyio.to_thread

from examples.chat.db import Database
from examples.chat.fanout import ROOM_CHANNEL, Rooms, create_channels
from examples.chat.graphql_schema import graphql_app
from examples.chat.migrate import upgrade_to_head
from examples.chat.rooms import router as rooms_router
from examples.chat.routes import router
from examples.chat.settings import Settings
from hinted import App

DESCRIPTION = """\
Store chat messages and read them back, by id or newest first.

Messages follow the `ChatEntry` protocol, version 3.1. Anyone may send and read
messages, and follow a recipient's messages live on the WebSocket
`/ws/rooms/{recipient}` (described at `/asyncapi`); deleting one needs the
service's API key in the `X-API-Key` header (its `API_KEY` setting, `chat-demo-key`
unless set).
"""

TAGS = [
    {"name": "messages", "description": "Send and read chat messages."},
    {
        "name": "admin",
        "description": "Moderation. Every call needs the service's API key in `X-API-Key`.",
    },
    {"name": "health", "description": "Liveness of the service and its database."},
]


def create_app(settings: Settings | None = None) -> App:
    """A new chat app with its own engine; ``Settings()`` reads the environment."""
    settings = settings if settings is not None else Settings()
    database = Database.from_settings(settings)
    channels = create_channels(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: App) -> AsyncIterator[None]:
        if settings.migrate_on_startup:
            await anyio.to_thread.run_sync(upgrade_to_head, database.engine)
        try:
            async with channels:
                yield
        finally:
            database.engine.dispose()

    app = App(
        title="Chat",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        debug=settings.debug,
        lifespan=lifespan,
        asyncapi_channels=[ROOM_CHANNEL],
    )
    app.state.settings = settings
    app.state.database = database
    app.state.rooms = Rooms(channels)
    app.include_router(router)
    app.include_router(rooms_router)
    app.mount("/graphql", graphql_app())
    return app


app = create_app()
