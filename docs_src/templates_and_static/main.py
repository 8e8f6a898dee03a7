from pathlib import Path

from hinted import App, Request
from hinted.responses import HTMLResponse
from hinted.staticfiles import StaticFiles
from hinted.templating import Jinja2Templates

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

app = App()
app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


@app.get("/api/messages/{message_id}")
async def read_message(message_id: int) -> dict[str, object]:
    return {"message_id": message_id, "message": "Hello"}


@app.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "home.html", {"messages": [1, 2]})
