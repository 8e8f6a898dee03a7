"""Request data structures; ``UploadFile`` validates and documents itself as a file."""

from __future__ import annotations

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
    """

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
