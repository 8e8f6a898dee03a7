"""The app factory: routers, state, CORS and an error handler."""

from fastapi import FastAPI, Request  # the framework
from fastapi.encoders import jsonable_encoder
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from chat_service import health
from chat_service.routers import auth, messages
from chat_service.store import MessageStore


class QuotaExceeded(Exception):
    pass


def create_app() -> FastAPI:
    app = FastAPI(title="Chat service", version="1.0.0")
    app.state.store = MessageStore()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["https://chat.example.com"],
        allow_methods=["GET", "POST"],
    )
    app.include_router(auth.router)
    app.include_router(messages.router)
    app.include_router(health.router)

    @app.exception_handler(QuotaExceeded)
    async def quota_exceeded(request: Request, exc: QuotaExceeded) -> JSONResponse:
        return JSONResponse(
            status_code=429,
            content=jsonable_encoder({"detail": "Quota exceeded", "path": request.url.path}),
        )

    @app.get("/quota")
    async def quota() -> None:
        raise QuotaExceeded()

    @app.get("/teapot")
    async def teapot() -> None:
        raise StarletteHTTPException(status_code=418, detail="I'm a teapot")

    return app


app = create_app()
