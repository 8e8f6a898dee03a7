"""Reading form bodies (urlencoded and multipart) as they stream in, under a route's Limits.

Multipart bodies go through hinted's own incremental parser (:mod:`hinted._multipart`,
which finds boundaries with ``bytes.find``), urlencoded ones through python-multipart's
push parser; neither through Starlette's form parsers:
those keep uploads in a ``SpooledTemporaryFile`` with no directory and no size per
file, count no body bytes, and answer every problem with one 400. Here each chunk is
counted as it arrives and each limit is checked at the byte that crosses it; the
reader stops there and reads no more. File content goes to memory up to
``spool_max_size``, then to a named temporary file in ``upload_dir``; every file
opened is closed (and so deleted) when reading fails, whatever the failure.

Errors: an exceeded limit -> :class:`~hinted.exceptions.LimitExceeded` (413);
malformed multipart -> ``HTTPException(400)``; a full disk or quota ->
:class:`~hinted.exceptions.InsufficientStorage` (507); the client leaving ->
``ClientDisconnect``.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote_plus

import anyio.to_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import QuerystringParser, parse_options_header
from starlette.datastructures import FormData, Headers
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.requests import ClientDisconnect

from hinted._multipart import MalformedMultipart, MultipartParser
from hinted.datastructures import UploadFile
from hinted.exceptions import HTTPException, InsufficientStorage
from hinted.limits import Limits, exceeded
from hinted.types import Receive, Scope

if TYPE_CHECKING:
    from python_multipart.multipart import QuerystringCallbacks

# Errors that mean "no room left", not "the server is broken".
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})

FormItems = list[tuple[str, str | StarletteUploadFile]]


def check_content_length(scope: Scope, max_size: int) -> None:
    """Refuse a body whose ``Content-Length`` is over ``max_size``, before reading any of it."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return  # the server rejects a malformed length; the body count still applies
            if length > max_size:
                raise exceeded("max_body_size", max_size)
            return


async def read_form(scope: Scope, receive: Receive, limits: Limits) -> FormData:
    """The form in the request body; an empty form for a body of another media type."""
    content_type = b""
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value
            break
    media_type, options = options_header(content_type)
    reader: _FormReader
    if media_type == b"multipart/form-data":
        boundary = options.get(b"boundary")
        if not boundary:
            raise HTTPException(400, "Invalid multipart body: no boundary in the Content-Type")
        check_content_length(scope, limits.max_body_size)
        try:
            reader = _MultipartReader(receive, limits, boundary, _charset(options))
        except MalformedMultipart as exc:  # an over-long boundary
            raise HTTPException(400, f"Invalid multipart body: {exc}") from exc
    elif media_type == b"application/x-www-form-urlencoded":
        check_content_length(scope, limits.max_body_size)
        reader = _UrlencodedReader(receive, limits)
    else:
        return FormData()
    return FormData(await reader.read())


class _FormReader:
    """Feeds the body to a parser chunk by chunk, counting bytes, until it ends."""

    parser: MultipartParser | QuerystringParser
    malformed = "Invalid form body"  # how a 400 for this kind of body begins

    def __init__(self, receive: Receive, limits: Limits) -> None:
        self.receive = receive
        self.limits = limits
        self.items: FormItems = []
        self.fields = 0

    async def read(self) -> FormItems:
        limit = self.limits.max_body_size
        size = 0
        more = True
        try:
            while more:
                message = await self.receive()
                if message["type"] == "http.disconnect":
                    raise ClientDisconnect()
                chunk: bytes = message.get("body", b"")
                more = message.get("more_body", False)
                size += len(chunk)
                if size > limit:
                    raise exceeded("max_body_size", limit)
                if chunk:
                    self.parser.write(chunk)
                    await self.store()
            self.parser.finalize()
            await self.finish()
        except (FormParserError, MalformedMultipart) as exc:
            self.discard()
            raise HTTPException(400, f"{self.malformed}: {exc}") from exc
        except OSError as exc:
            self.discard()
            if exc.errno in _NO_SPACE:
                raise InsufficientStorage() from exc
            raise
        except BaseException:
            self.discard()
            raise
        return self.items

    def field(self, name: str, value: str) -> None:
        self.fields += 1
        if self.fields > self.limits.max_fields:
            raise exceeded("max_fields", self.limits.max_fields)
        self.items.append((name, value))

    async def store(self) -> None:
        """Write what the last chunk held of uploaded files."""

    async def finish(self) -> None:
        """Check the body ended where it should and make the files readable."""

    def discard(self) -> None:
        """Close every file opened so far (deleting those on disk)."""


class _UrlencodedReader(_FormReader):
    def __init__(self, receive: Receive, limits: Limits) -> None:
        super().__init__(receive, limits)
        self.name = bytearray()
        self.value = bytearray()
        callbacks: QuerystringCallbacks = {
            "on_field_start": self.on_field_start,
            "on_field_name": self.on_field_name,
            "on_field_data": self.on_field_data,
            "on_field_end": self.on_field_end,
        }
        self.parser = QuerystringParser(callbacks)

    def on_field_start(self) -> None:
        self.name = bytearray()
        self.value = bytearray()

    def on_field_name(self, data: bytes, start: int, end: int) -> None:
        self.grow(self.name, data, start, end)

    def on_field_data(self, data: bytes, start: int, end: int) -> None:
        self.grow(self.value, data, start, end)

    def grow(self, buffer: bytearray, data: bytes, start: int, end: int) -> None:
        if len(self.name) + len(self.value) + end - start > self.limits.max_part_size:
            raise exceeded("max_part_size", self.limits.max_part_size)
        buffer += data[start:end]

    def on_field_end(self) -> None:
        # As Starlette and browsers do: bytes are latin-1, percent-escapes UTF-8.
        name = unquote_plus(self.name.decode("latin-1"))
        self.field(name, unquote_plus(self.value.decode("latin-1")))


class _MultipartReader(_FormReader):
    malformed = "Invalid multipart body"

    def __init__(self, receive: Receive, limits: Limits, boundary: bytes, charset: str) -> None:
        super().__init__(receive, limits)
        self.charset = charset
        self.files: list[UploadFile] = []
        # The part being parsed: a field's bytes, or the file it goes to.
        self.name = ""
        self.data = bytearray()
        self.upload: UploadFile | None = None
        # File content parsed from the current chunk, not yet written.
        self.pending: list[tuple[UploadFile, bytes]] = []
        self.parser = MultipartParser(boundary, self)

    # -- parser callbacks (synchronous; file writes wait for store()) ---------------------

    def on_part_begin(self, headers: list[tuple[bytes, bytes]]) -> None:
        self.data = bytearray()
        self.upload = None
        disposition = b""
        for name, value in headers:
            if name == b"content-disposition":
                disposition = value
                break
        _, options = options_header(disposition)
        if b"name" not in options:
            raise HTTPException(400, "Invalid multipart body: a part has no name")
        self.name = _decode(options[b"name"], self.charset)
        if b"filename" not in options:
            return
        if len(self.files) >= self.limits.max_files:
            raise exceeded("max_files", self.limits.max_files)
        self.upload = UploadFile(
            io.BytesIO(),
            size=0,
            filename=_decode(options[b"filename"], self.charset),
            headers=Headers(raw=headers),
        )
        self.files.append(self.upload)

    def on_part_data(self, data: bytes) -> None:
        upload = self.upload
        if upload is None:
            if len(self.data) + len(data) > self.limits.max_part_size:
                raise exceeded("max_part_size", self.limits.max_part_size)
            self.data += data
            return
        assert upload.size is not None
        upload.size += len(data)
        if upload.size > self.limits.max_file_size:
            raise exceeded("max_file_size", self.limits.max_file_size)
        self.pending.append((upload, data))

    def on_part_end(self) -> None:
        if self.upload is None:
            self.field(self.name, _decode(self.data, self.charset))
        else:
            self.items.append((self.name, self.upload))

    def on_end(self) -> None:
        """Nothing to do: the parser's finalize() refuses a body without its close."""

    # -- files ----------------------------------------------------------------------------

    async def store(self) -> None:
        pending, self.pending = self.pending, []
        start = 0
        for index in range(1, len(pending) + 1):
            if index == len(pending) or pending[index][0] is not pending[start][0]:
                upload = pending[start][0]
                await self.write(upload, b"".join(data for _, data in pending[start:index]))
                start = index

    async def write(self, upload: UploadFile, data: bytes) -> None:
        file = upload.file
        if not isinstance(file, io.BytesIO):
            await anyio.to_thread.run_sync(file.write, data)
        elif file.tell() + len(data) <= self.limits.spool_max_size:
            file.write(data)
        else:
            await anyio.to_thread.run_sync(_spill, upload, self.limits.upload_dir, data)

    async def finish(self) -> None:
        for upload in self.files:
            if isinstance(upload.file, io.BytesIO):
                upload.file.seek(0)
            else:  # flushes the write buffer, which may still find the disk full
                await anyio.to_thread.run_sync(upload.file.seek, 0)

    def discard(self) -> None:
        # Synchronous on purpose: it must also run when the task is being cancelled.
        for upload in self.files:
            with contextlib.suppress(OSError):  # a failed flush still closes and deletes
                upload.file.close()


def open_spool_file(directory: str | Path | None) -> IO[bytes]:
    """A temporary file for an upload, in ``directory``; deleted when closed."""
    return tempfile.NamedTemporaryFile(prefix="hinted-upload-", dir=directory)


def _spill(upload: UploadFile, directory: str | Path | None, data: bytes) -> None:
    """Move an upload from memory to disk, then append ``data`` (in a worker thread)."""
    memory = upload.file
    assert isinstance(memory, io.BytesIO)
    disk = open_spool_file(directory)
    try:
        with memory.getbuffer() as content:
            disk.write(content)
        disk.write(data)
    except BaseException:
        disk.close()
        raise
    upload.file = disk  # type: ignore[assignment]  # IO[bytes] serves as BinaryIO here
    memory.close()


def options_header(value: bytes) -> tuple[bytes, dict[bytes, bytes]]:
    """``parse_options_header`` of python-multipart, answered faster for plain values.

    A value with escapes, extended parameters (``*``), bytes past ASCII (lower-cased
    as latin-1 there), a ``;`` inside quotes (an odd number of quotes between two) or
    a parameter without ``=`` goes to python-multipart's parser, whose answer this
    matches (the form fuzz target compares the two readers).
    """
    if b"\\" in value or b"*" in value or b";" not in value or not value.isascii():
        return parse_options_header(value)
    segments = value.split(b";")
    head = segments[0]
    if b"=" in head or head.count(b'"') % 2:
        return parse_options_header(value)
    options: dict[bytes, bytes] = {}
    for segment in segments[1:]:
        key, equals, option = segment.partition(b"=")
        if not equals or segment.count(b'"') % 2:
            return parse_options_header(value)
        option = option.strip(b" \t")
        if len(option) >= 2 and option[0] == 34 and option[-1] == 34:  # '"'
            option = option[1:-1]
        options[key.strip(b" \t").lower()] = option
    return head.strip(b" \t").lower(), options


def _charset(options: dict[bytes, Any]) -> str:
    charset = options.get(b"charset", b"utf-8")
    if isinstance(charset, bytes):
        charset = charset.decode("latin-1")
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return "latin-1"


def _decode(raw: bytes | bytearray, charset: str) -> str:
    try:
        return raw.decode(charset)
    except UnicodeDecodeError:
        return raw.decode("latin-1")


__all__ = ["check_content_length", "open_spool_file", "read_form"]
