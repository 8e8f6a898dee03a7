"""``Depends(..., scope="function")`` finishes before the response; the default after."""

from collections.abc import Iterator
from typing import Annotated, Any

import pytest

from hinted import App, Depends, HTTPException
from hinted.testclient import TestClient
from hinted.types import ASGIApp, Receive, Scope, Send


def recording(app: ASGIApp, events: list[str]) -> ASGIApp:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def noting_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                events.append("response.start")
            await send(message)

        await app(scope, receive, noting_send)

    return wrapped


def make_app(events: list[str]) -> App:
    app = App()

    def per_function() -> Iterator[str]:
        events.append("function.enter")
        try:
            yield "f"
        except HTTPException as exc:
            events.append(f"function.saw {exc.status_code}")
            raise
        finally:
            events.append("function.exit")

    def per_request() -> Iterator[str]:
        events.append("request.enter")
        try:
            yield "r"
        finally:
            events.append("request.exit")

    @app.get("/")
    def handler(
        f: Annotated[str, Depends(per_function, scope="function")],
        r: Annotated[str, Depends(per_request)],
        fail: bool = False,
    ) -> dict[str, str]:
        events.append("handler")
        if fail:
            raise HTTPException(409, "conflict")
        return {"f": f, "r": r}

    return app


@pytest.mark.parametrize("fail", [False, True])
def test_function_scope_finishes_before_the_response_request_scope_after(fail: bool) -> None:
    events: list[str] = []
    client = TestClient(recording(make_app(events), events))
    response = client.get("/", params={"fail": fail})
    assert response.status_code == (409 if fail else 200)
    middle = ["function.saw 409", "function.exit"] if fail else ["function.exit"]
    assert events == [
        "function.enter",
        "request.enter",
        "handler",
        *middle,
        "response.start",
        "request.exit",
    ]


def test_body_default_factory_is_called_when_no_body_is_sent() -> None:
    from pydantic import BaseModel

    from hinted import Body

    class Item(BaseModel):
        name: str = "default"

    app = App()

    @app.post("/items")
    def create(item: Annotated[Item, Body(default_factory=Item)]) -> Item:
        return item

    client = TestClient(app)
    assert client.post("/items").json() == {"name": "default"}
    assert client.post("/items", json={"name": "x"}).json() == {"name": "x"}
