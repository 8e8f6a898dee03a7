"""Dependencies shared by the routers."""

from dataclasses import dataclass

from fastapi import Depends, Header, HTTPException, Query, Request, status

from chat_service.store import MessageStore


@dataclass
class Page:
    offset: int
    limit: int


def pagination(
    offset: int = Query(0, ge=0),
    limit: int = Query(10, ge=1, le=50),
) -> Page:
    return Page(offset=offset, limit=limit)


def get_store(request: Request) -> MessageStore:
    return request.app.state.store


def client_version(x_client_version: str = Header("1.0")) -> str:
    if not x_client_version.startswith("1."):
        raise HTTPException(
            status_code=status.HTTP_400_BAD_REQUEST,
            detail=f"Unsupported client version {x_client_version}",
        )
    return x_client_version


StoreDep = Depends(get_store)
