import os

from hinted import App

app = App(debug=os.environ.get("CHAT_DEBUG") == "1")


@app.get("/divide")
async def divide(a: int, b: int) -> dict[str, float]:
    return {"result": a / b}
