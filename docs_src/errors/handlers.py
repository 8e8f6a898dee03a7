from hinted import App, HTTPException, Request
from hinted.responses import JSONResponse

app = App()


class ServiceUnavailable(Exception):
    def __init__(self, service: str) -> None:
        self.service = service


@app.exception_handler(ServiceUnavailable)
async def service_unavailable(request: Request, exc: ServiceUnavailable) -> JSONResponse:
    return JSONResponse(
        {"detail": f"{exc.service} is unavailable, try again later"},
        status_code=503,
        headers={"Retry-After": "120"},
    )


@app.exception_handler(404)
async def not_found(request: Request, exc: HTTPException) -> JSONResponse:
    return JSONResponse({"detail": exc.detail, "path": request.url.path}, status_code=404)


@app.get("/search")
async def search(q: str) -> dict[str, str]:
    raise ServiceUnavailable("search index")


@app.get("/messages/{message_id}")
async def read_message(message_id: int) -> dict[str, str]:
    raise HTTPException(404, f"Message {message_id} not found")
