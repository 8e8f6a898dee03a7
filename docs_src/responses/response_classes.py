from hinted import App
from hinted.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse

app = App()


@app.get("/health", response_class=PlainTextResponse)
async def health() -> str:
    return "ok"


@app.get("/welcome", response_class=HTMLResponse)
async def welcome() -> str:
    return "<h1>Welcome to the chat</h1>"


@app.get("/old-messages")
async def old_messages() -> RedirectResponse:
    return RedirectResponse("/messages", status_code=308)


@app.post("/messages/import")
async def import_messages() -> JSONResponse:
    return JSONResponse({"status": "queued"}, status_code=202, headers={"Retry-After": "30"})
