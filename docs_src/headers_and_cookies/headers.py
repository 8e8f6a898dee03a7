from typing import Annotated

from hinted import App, Cookie, Header

app = App()


@app.get("/whoami")
async def whoami(
    x_tag: Annotated[list[str], Header(default_factory=list)],
    user_agent: Annotated[str | None, Header()] = None,
    x_request_id: Annotated[str | None, Header()] = None,
    session_id: Annotated[str | None, Cookie()] = None,
) -> dict[str, object]:
    return {
        "user_agent": user_agent,
        "x_request_id": x_request_id,
        "x_tag": x_tag,
        "session_id": session_id,
    }


@app.get("/private")
async def private(x_api_key: Annotated[str, Header()]) -> dict[str, bool]:
    return {"key_received": bool(x_api_key)}
