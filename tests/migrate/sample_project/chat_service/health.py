"""Liveness, through the module import style (`import fastapi`)."""

import fastapi

router = fastapi.APIRouter()


@router.get("/health", status_code=fastapi.status.HTTP_200_OK)
async def health() -> dict[str, str]:
    return {"status": "ok"}
