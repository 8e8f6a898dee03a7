from typing import Annotated

from hinted import App, Depends, Header, HTTPException

seen: list[str] = []


def record_client(x_client: Annotated[str, Header()] = "unknown") -> None:
    seen.append(x_client)


def require_maintenance_key(x_maintenance_key: Annotated[str, Header()]) -> None:
    if x_maintenance_key != "let-me-in":
        raise HTTPException(403, "Wrong maintenance key")


app = App(dependencies=[Depends(record_client)])


@app.get("/status")
async def status() -> dict[str, str]:
    return {"status": "up"}


@app.post("/maintenance", dependencies=[Depends(require_maintenance_key)])
async def start_maintenance() -> dict[str, str]:
    return {"status": "maintenance"}
