from collections.abc import AsyncIterator
from typing import Any

import graphene

from hinted import App
from hinted.channels import Channels
from hinted.graphql import GraphQL, channel_stream

channels = Channels()


class Query(graphene.ObjectType):
    ok = graphene.Boolean(required=True, resolver=lambda root, info: True)


class Subscription(graphene.ObjectType):
    message_posted = graphene.String(required=True, room=graphene.String(required=True))

    async def subscribe_message_posted(root: Any, info: Any, room: str) -> AsyncIterator[str]:
        async for data in channel_stream(info.context.channels, f"room:{room}"):
            yield data["text"]

    def resolve_message_posted(text: str, info: Any, room: str) -> str:
        return text


schema = graphene.Schema(query=Query, subscription=Subscription)

app = App(lifespan=channels.lifespan)
app.mount("/graphql", GraphQL(schema, channels=channels))


@app.post("/rooms/{room}/messages", status_code=202)
async def post_message(room: str, text: str) -> dict[str, str]:
    await channels.publish(f"room:{room}", {"text": text})
    return {"status": "sent"}
