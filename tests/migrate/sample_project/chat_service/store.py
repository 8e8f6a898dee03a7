"""An in-memory message store, one per app."""

from chat_service.models import ChatEntry, StoredEntry


class MessageStore:
    def __init__(self) -> None:
        self.entries: dict[int, StoredEntry] = {}

    def add(self, entry: ChatEntry) -> StoredEntry:
        stored = StoredEntry(id=len(self.entries) + 1, **entry.model_dump())
        self.entries[stored.id] = stored
        return stored

    def page(self, offset: int, limit: int) -> list[StoredEntry]:
        return list(self.entries.values())[offset : offset + limit]
