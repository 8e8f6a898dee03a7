"""hinted: typed HTTP and WebSocket APIs on Starlette and pydantic v2.

```python
from hinted import App

app = App()

@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None) -> dict[str, object]:
    return {"item_id": item_id, "q": q}
```
"""

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from hinted import status
from hinted.app import App
from hinted.background import BackgroundTasks
from hinted.concurrency import inline
from hinted.datastructures import UploadFile
from hinted.exceptions import HTTPException, WebSocketException
from hinted.param_functions import (
    Body,
    Cookie,
    Depends,
    File,
    Form,
    Header,
    Path,
    Query,
    Security,
)
from hinted.routing import APIRouter
from hinted.websockets import MessageOptions, TypedWebSocket

__version__ = "0.1.0"

__all__ = [
    "APIRouter",
    "App",
    "BackgroundTasks",
    "Body",
    "Cookie",
    "Depends",
    "File",
    "Form",
    "HTTPConnection",
    "HTTPException",
    "Header",
    "MessageOptions",
    "Path",
    "Query",
    "Request",
    "Response",
    "Security",
    "TypedWebSocket",
    "UploadFile",
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketException",
    "__version__",
    "inline",
    "status",
]
