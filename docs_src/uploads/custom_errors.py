from hinted import App, Request, UploadFile
from hinted.exceptions import LimitExceeded
from hinted.limits import KiB, Limits
from hinted.responses import JSONResponse

app = App(limits=Limits(max_file_size=100 * KiB))


@app.exception_handler(LimitExceeded)
async def too_large(request: Request, exc: LimitExceeded) -> JSONResponse:
    return JSONResponse(
        {"error": "too_large", "limit": exc.limit, "maximum": exc.maximum},
        status_code=413,
    )


@app.post("/documents")
async def upload_document(document: UploadFile) -> dict[str, object]:
    return {"filename": document.filename, "size": document.size}
