"""hinted's own multipart parser: every split of a body into chunks reads the same."""

from __future__ import annotations

import itertools

import pytest

from hinted._multipart import MAX_HEADER_BYTES, MalformedMultipart, MultipartParser


class Recorder:
    def __init__(self) -> None:
        self.parts: list[tuple[list[tuple[bytes, bytes]], bytes]] = []
        self.ended = False
        self.data_calls = 0

    def on_part_begin(self, headers: list[tuple[bytes, bytes]]) -> None:
        self.parts.append((headers, b""))

    def on_part_data(self, data: bytes) -> None:
        assert data, "never called with nothing"
        headers, content = self.parts[-1]
        self.parts[-1] = (headers, content + data)
        self.data_calls += 1

    def on_part_end(self) -> None:
        pass

    def on_end(self) -> None:
        self.ended = True


def parse(body: bytes, chunks: list[int] | None = None, boundary: bytes = b"b0und") -> Recorder:
    recorder = Recorder()
    parser = MultipartParser(boundary, recorder)
    cuts = [0, *(chunks or []), len(body)]
    for start, end in itertools.pairwise(cuts):
        parser.write(body[start:end])
    parser.finalize()
    return recorder


BODY = (
    b"--b0und\r\n"
    b'Content-Disposition: form-data; name="note"\r\n\r\n'
    b"hello\r\n"
    b"--b0und\r\n"
    b'Content-Disposition: form-data; name="file"; filename="a.bin"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
    b"\r\n--b0un not a boundary \r\n--b0undx neither\r\n--b0und-- nor this is content\r\n"
    b"--b0und--\r\n"
    b"epilogue, ignored"
)
EXPECTED = [
    ([(b"content-disposition", b'form-data; name="note"')], b"hello"),
    (
        [
            (b"content-disposition", b'form-data; name="file"; filename="a.bin"'),
            (b"content-type", b"application/octet-stream"),
        ],
        b"\r\n--b0un not a boundary \r\n--b0undx neither",
    ),
]


def test_one_chunk() -> None:
    recorder = parse(BODY)
    assert recorder.ended
    assert recorder.parts[:1] == EXPECTED[:1]
    # "\r\n--b0und--" closes the body even mid-line: what follows is the epilogue.
    assert recorder.parts[1] == EXPECTED[1]


@pytest.mark.parametrize("cut", range(1, len(BODY)))
def test_every_two_chunk_split_reads_the_same(cut: int) -> None:
    recorder = parse(BODY, [cut])
    assert recorder.ended
    assert recorder.parts == EXPECTED


def test_one_byte_at_a_time() -> None:
    recorder = parse(BODY, list(range(1, len(BODY))))
    assert recorder.parts == EXPECTED


def test_large_content_comes_in_few_pieces() -> None:
    content = b"x" * 1_000_000
    body = (
        b'--b0und\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\n'
        + content
        + b"\r\n--b0und--\r\n"
    )
    recorder = parse(body, list(range(65536, len(body), 65536)))
    assert recorder.parts[0][1] == content
    assert recorder.data_calls <= len(body) // 65536 + 2


def test_leading_line_breaks_and_empty_parts() -> None:
    body = b"\r\n--b0und\r\n\r\n\r\n--b0und\r\nX-A: 1\r\n\r\n\r\n--b0und--"
    recorder = parse(body)
    assert recorder.parts == [([], b""), ([(b"x-a", b"1")], b"")]


def test_transport_padding_after_a_boundary() -> None:
    body = b"--b0und \t\r\nA: 1\r\n\r\nx\r\n--b0und  \r\nA: 2\r\n\r\ny\r\n--b0und--"
    for cut in range(1, len(body)):
        assert parse(body, [cut]).parts == [([(b"a", b"1")], b"x"), ([(b"a", b"2")], b"y")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"preamble\r\n--b0und\r\n\r\nx\r\n--b0und--", "does not start with its boundary"),
        (b"--b0und\r\nContent-Disposition: form-data\r\n\r\nx", "before the closing boundary"),
        (b"--b0und\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b0un", "before the closing"),
        (b"--b0undX\r\n", "not followed by a line break"),
        (b"--b0und\r\nno colon here\r\n\r\nx\r\n--b0und--", "no valid name"),
        (b"--b0und\r\nBad Name: 1\r\n\r\nx\r\n--b0und--", "no valid name"),
        (b"--b0und\r\nA: 1\n2\r\n\r\nx\r\n--b0und--", "bare CR or LF"),
        (b"--b0und\r\nA: " + b"v" * MAX_HEADER_BYTES + b"\r\n\r\n--b0und--", "headers longer"),
        (b"", "before the closing boundary"),
        (b"--b0und \t x\r\n", "padding after a boundary is not followed by a line break"),
    ],
)
def test_malformed_bodies_say_what_is_wrong(body: bytes, message: str) -> None:
    with pytest.raises(MalformedMultipart, match=message):
        parse(body)


def test_endless_headers_are_refused_without_holding_them() -> None:
    recorder = Recorder()
    parser = MultipartParser(b"b0und", recorder)
    parser.write(b"--b0und\r\n")
    with pytest.raises(MalformedMultipart, match="headers longer"):
        for _ in range(100):
            parser.write(b"A" * 1024)


@pytest.mark.parametrize("boundary", [b"", b"x" * 71])
def test_boundary_length(boundary: bytes) -> None:
    with pytest.raises(MalformedMultipart, match="1 to 70"):
        MultipartParser(boundary, Recorder())
