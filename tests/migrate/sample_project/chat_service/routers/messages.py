"""Messages: post one, list a page, read one."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi import status as codes
from fastapi.responses import JSONResponse

from chat_service.dependencies import Page, StoreDep, client_version, pagination
from chat_service.models import ChatEntry, StoredEntry, User
from chat_service.security import get_active_user
from chat_service.store import MessageStore

router = APIRouter(
    prefix="/messages",
    tags=["messages"],
    dependencies=[Depends(client_version)],
)


@router.post("", status_code=codes.HTTP_201_CREATED, response_model=StoredEntry)
def post_message(
    entry: ChatEntry,
    user: Annotated[User, Depends(get_active_user)],
    store: MessageStore = StoreDep,
) -> StoredEntry:
    if entry.author is None:
        entry.author = user.username
    return store.add(entry)


@router.get("", response_model=list[StoredEntry])
def list_messages(
    page: Annotated[Page, Depends(pagination)], store: MessageStore = StoreDep
) -> list[StoredEntry]:
    return store.page(page.offset, page.limit)


@router.get("/{message_id}", response_model=StoredEntry)
def read_message(
    message_id: Annotated[int, Path(ge=1)], store: MessageStore = StoreDep
) -> StoredEntry:
    if message_id not in store.entries:
        raise HTTPException(status_code=404, detail="Message not found")
    return store.entries[message_id]


@router.delete("/{message_id}")
def delete_message(
    message_id: int,
    user: Annotated[User, Depends(get_active_user)],
    store: MessageStore = StoreDep,
) -> JSONResponse:
    entry = store.entries.pop(message_id, None)
    if entry is None:
        return JSONResponse({"detail": "Message not found"}, status_code=404)
    return JSONResponse({"deleted": message_id, "by": user.username})
