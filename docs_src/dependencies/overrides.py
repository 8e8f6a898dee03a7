import time
from typing import Annotated

from hinted import App, Depends
from hinted.testclient import TestClient

app = App()


def get_clock() -> float:
    return time.time()


@app.get("/now")
async def now(clock: Annotated[float, Depends(get_clock)]) -> dict[str, float]:
    return {"timestamp": clock}


def test_now_uses_the_frozen_clock() -> None:
    app.dependency_overrides[get_clock] = lambda: 1599307407.0
    try:
        response = TestClient(app).get("/now")
    finally:
        app.dependency_overrides.clear()
    assert response.json() == {"timestamp": 1599307407.0}
