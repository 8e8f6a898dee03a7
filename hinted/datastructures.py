"""Request data structures; ``UploadFile`` validates and documents itself as a file."""

from __future__ import annotations

import io
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from starlette.datastructures import URL, Address, FormData, Headers, QueryParams, State
from starlette.datastructures import UploadFile as StarletteUploadFile


class UploadFile(StarletteUploadFile):
    """A file uploaded in a multipart form, spooled to disk past a size threshold.

    ```python
    @app.post("/files")
    async def upload(file: UploadFile) -> dict[str, int]:
        return {"size": len(await file.read())}
    ```

    Up to ``Limits.spool_max_size`` bytes the content is held in memory
    (``file.file`` is a ``BytesIO``); past it, in a named temporary file in
    ``Limits.upload_dir`` (``file.file.name`` is its path), deleted when the file is
    closed. hinted closes every upload after the response, whatever happened.
    """

    @property
    def _in_memory(self) -> bool:
        # Memory-backed reads and writes run inline; only disk I/O goes to a thread.
        return isinstance(self.file, io.BytesIO) or super()._in_memory

    async def close(self) -> None:
        """Close the file (deleting it from disk when it was spooled); once is enough."""
        if not self.file.closed:
            await super().close()

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.is_instance_schema(StarletteUploadFile)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "format": "binary",
            "contentMediaType": "application/octet-stream",
        }


class DefaultPlaceholder:
    """Marks a value left at its default, so that an explicit choice can override it."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DefaultPlaceholder) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("DefaultPlaceholder", repr(self.value)))


def Default(value: Any) -> Any:
    """Wrap a default so that it can be told apart from a value given on purpose."""
    return DefaultPlaceholder(value)


__all__ = [
    "URL",
    "Address",
    "Default",
    "DefaultPlaceholder",
    "FormData",
    "Headers",
    "QueryParams",
    "State",
    "UploadFile",
]
