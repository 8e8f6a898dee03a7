"""An incremental multipart/form-data parser (RFC 7578, RFC 2046 section 5.1).

Fed the body chunk by chunk, it tells a :class:`PartHandler` where each part begins
(with its headers), hands over the part's content in as few pieces as the chunks
allow, and says where each part and the whole body end. Everything it searches for
is found with ``bytes.find``, so a part's content costs a few C-level scans and
slices whatever its size, not a Python step per byte.

Malformed input raises :class:`MalformedMultipart`, whose message says what was
wrong. Limits on sizes and counts are the handler's to check; the parser itself
holds at most one chunk plus a boundary's length, and refuses part headers longer
than :data:`MAX_HEADER_BYTES`.
"""

from __future__ import annotations

from typing import Protocol

MAX_BOUNDARY_LENGTH = 70  # RFC 2046 section 5.1.1
MAX_HEADER_BYTES = 16 * 1024
"""The most bytes the headers of one part may take (they are held until complete)."""

# The characters of a header name (RFC 9110 section 5.6.2: a token).
_TOKEN = b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Where the parser is: before the first boundary, in a part's headers, in its content,
# after the closing boundary.
_START, _HEADERS, _DATA, _DONE = range(4)
# What follows a boundary: the close (``--``), not known yet, no boundary after all.
_CLOSE, _UNKNOWN, _NOT_A_BOUNDARY = -1, -2, -3


class MalformedMultipart(ValueError):
    """The body is not well-formed multipart/form-data."""


class PartHandler(Protocol):
    def on_part_begin(self, headers: list[tuple[bytes, bytes]]) -> None:
        """A part starts; ``headers`` are (lower-cased name, value) pairs."""

    def on_part_data(self, data: bytes) -> None:
        """Content of the current part (called any number of times, never with b"")."""

    def on_part_end(self) -> None:
        """The current part's content is complete."""

    def on_end(self) -> None:
        """The closing boundary was read: the body is complete."""


class MultipartParser:
    """Parses one multipart body for ``handler``: :meth:`write` each chunk, :meth:`finalize`."""

    __slots__ = ("_buffer", "_delimiter", "_first", "_handler", "_state")

    def __init__(self, boundary: bytes, handler: PartHandler) -> None:
        if not boundary or len(boundary) > MAX_BOUNDARY_LENGTH:
            raise MalformedMultipart(
                f"the boundary must be 1 to {MAX_BOUNDARY_LENGTH} characters long"
            )
        self._first = b"--" + boundary  # the body starts with it (after line breaks, if any)
        self._delimiter = b"\r\n--" + boundary  # each later boundary
        self._handler = handler
        self._buffer = b""
        self._state = _START

    def write(self, chunk: bytes) -> None:
        """Parse the next piece of the body."""
        if self._state == _DONE:
            return  # the epilogue, after the closing boundary, means nothing
        buffer = self._buffer + chunk if self._buffer else chunk
        position = 0
        while True:
            state = self._state
            if state == _DATA:
                position, complete = self._data(buffer, position)
            elif state == _HEADERS:
                position, complete = self._headers(buffer, position)
            elif state == _START:
                position, complete = self._start(buffer, position)
            else:
                self._buffer = b""
                return
            if not complete:
                self._buffer = buffer[position:]
                return

    def finalize(self) -> None:
        """The body ended: it must have ended with the closing boundary."""
        if self._state != _DONE:
            raise MalformedMultipart("it ends before the closing boundary")

    # -- states: each returns where parsing stopped and whether it can go on -----------

    def _start(self, buffer: bytes, position: int) -> tuple[int, bool]:
        """The body's first boundary. A preamble before it is refused, as browsers send none."""
        end = len(buffer)
        while position < end and buffer[position] in b"\r\n":
            position += 1
        first = self._first
        if end - position < len(first):
            if not first.startswith(buffer[position:]):
                raise MalformedMultipart("the body does not start with its boundary")
            return position, False
        if not buffer.startswith(first, position):
            raise MalformedMultipart("the body does not start with its boundary")
        follows = _after_boundary(buffer, position + len(first))
        if follows == _UNKNOWN:
            return position, False
        if follows == _NOT_A_BOUNDARY:
            raise MalformedMultipart("a boundary is not followed by a line break")
        return self._next(follows, len(buffer))

    def _next(self, follows: int, end: int) -> tuple[int, bool]:
        """After a boundary: the body closes, or a part's headers start at ``follows``."""
        if follows == _CLOSE:
            self._state = _DONE
            self._handler.on_end()
            return end, True
        self._state = _HEADERS
        return follows, True

    def _headers(self, buffer: bytes, position: int) -> tuple[int, bool]:
        if buffer.startswith(b"\r\n", position):
            block_end, next_position = position, position + 2  # a part without headers
        else:
            block_end = buffer.find(b"\r\n\r\n", position)
            next_position = block_end + 4
        # Complete or not yet, headers past the limit are refused.
        if (block_end if block_end >= 0 else len(buffer)) - position > MAX_HEADER_BYTES:
            raise MalformedMultipart(f"part headers longer than {MAX_HEADER_BYTES} bytes")
        if block_end < 0:
            return position, False
        headers: list[tuple[bytes, bytes]] = []
        if block_end > position:
            for line in buffer[position:block_end].split(b"\r\n"):
                if b"\n" in line or b"\r" in line:
                    raise MalformedMultipart("a part header has a bare CR or LF")
                name, colon, value = line.partition(b":")
                if not colon or not name or name.translate(None, _TOKEN):
                    raise MalformedMultipart("a part header line has no valid name")
                # Spaces after the colon are dropped, as python-multipart does; nothing else.
                headers.append((name.lower(), value.lstrip(b" ")))
        self._state = _DATA
        self._handler.on_part_begin(headers)
        return next_position, True

    def _data(self, buffer: bytes, position: int) -> tuple[int, bool]:
        delimiter = self._delimiter
        search = position
        while True:
            found = buffer.find(delimiter, search)
            if found < 0:
                # All but what could be the start of a boundary is content.
                keep_from = max(position, len(buffer) - len(delimiter) + 1)
                if keep_from > position:
                    self._handler.on_part_data(buffer[position:keep_from])
                return keep_from, False
            follows = _after_boundary(buffer, found + len(delimiter))
            if follows != _NOT_A_BOUNDARY:
                break
            search = found + 1  # the boundary's text, but not a boundary line: content
        if found > position:
            self._handler.on_part_data(buffer[position:found])
        if follows == _UNKNOWN:
            return found, False  # the part may go on: wait at the boundary
        self._handler.on_part_end()
        return self._next(follows, len(buffer))


def _after_boundary(buffer: bytes, position: int) -> int:
    """What the bytes after a boundary make of it: where the next part starts, or a code.

    ``--`` closes the body (:data:`_CLOSE`), a line break (after spaces or tabs, if
    any) starts a part (its position is returned); anything else is no boundary
    (:data:`_NOT_A_BOUNDARY`), except spaces or tabs followed by something other than
    a line break, which is malformed; too few bytes to tell: :data:`_UNKNOWN`.
    """
    pair = buffer[position : position + 2]
    if pair == b"\r\n":
        return position + 2
    if pair == b"--":
        return _CLOSE
    if pair[:1] in (b" ", b"\t"):
        # Transport padding (RFC 2046): spaces and tabs, then the line break.
        end = len(buffer)
        scan = position
        while scan < end and buffer[scan] in b" \t":
            scan += 1
        if scan - position > MAX_HEADER_BYTES:
            raise MalformedMultipart("too much padding after a boundary")
        rest = buffer[scan : scan + 2]
        if rest == b"\r\n":
            return scan + 2
        if rest in (b"", b"\r"):
            return _UNKNOWN
        raise MalformedMultipart("the padding after a boundary is not followed by a line break")
    if len(pair) < 2 and pair in (b"", b"\r", b"-"):
        return _UNKNOWN
    return _NOT_A_BOUNDARY


__all__ = ["MAX_HEADER_BYTES", "MalformedMultipart", "MultipartParser", "PartHandler"]
