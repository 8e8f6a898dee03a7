"""When an upload goes wrong: malformed bodies, a full disk, errors, the client leaving.

Whatever happens, the upload directory is empty afterwards and each file was closed
exactly once.
"""

from __future__ import annotations

import errno
import os
import tracemalloc
from pathlib import Path
from typing import IO, Annotated, Any

import pytest

from hinted import App, Depends, Form, UploadFile
from hinted import _forms as forms
from hinted.limits import Limits, MiB
from hinted.testclient import TestClient
from tests.uploads._helpers import MULTIPART, drive, multipart, part, split


class CountingFile:
    """A spool file that counts its closes and can run out of room after some writes."""

    def __init__(self, real: IO[bytes], fail_after: int | None, error: int) -> None:
        self.real = real
        self.writes = 0
        self.closes = 0
        self.fail_after = fail_after
        self.error = error

    def write(self, data: Any) -> int:
        if self.fail_after is not None and self.writes >= self.fail_after:
            raise OSError(self.error, os.strerror(self.error))
        self.writes += 1
        return self.real.write(data)

    def close(self) -> None:
        self.closes += 1
        self.real.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def upload_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "uploads"
    directory.mkdir()
    return directory


class SpoolSpy:
    """Every spool file the form reader opens, and whether its writes should fail."""

    def __init__(self) -> None:
        self.opened: list[CountingFile] = []
        self.fail_after: int | None = None
        self.error = errno.ENOSPC

    def assert_all_closed_once(self) -> None:
        assert self.opened, "the test meant to spool to disk"
        assert [f.closes for f in self.opened] == [1] * len(self.opened)


@pytest.fixture
def spool(monkeypatch: pytest.MonkeyPatch) -> SpoolSpy:
    spy = SpoolSpy()
    real_open = forms.open_spool_file

    def open_counting(directory: str | Path | None) -> IO[bytes]:
        file = CountingFile(real_open(directory), spy.fail_after, spy.error)
        spy.opened.append(file)
        return file  # type: ignore[return-value]

    monkeypatch.setattr(forms, "open_spool_file", open_counting)
    return spy


async def audit() -> Any:
    yield "audit"


def make_app(upload_dir: Path, **options: Any) -> App:
    app = App(limits=Limits(spool_max_size=1024, upload_dir=upload_dir), **options)

    @app.post("/upload")
    async def upload(file: UploadFile, count: Annotated[int, Form()] = 0) -> dict[str, Any]:
        return {"size": file.size, "count": count}

    @app.post("/fails")
    async def fails(file: UploadFile) -> None:
        await file.read(10)
        raise RuntimeError("the handler failed")

    @app.post("/with-dependency")
    async def with_dependency(file: UploadFile, tag: Annotated[str, Depends(audit)]) -> str:
        return tag

    return app


BIG = {"file": ("big.bin", b"x" * 50_000)}


# -- malformed bodies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body", "detail"),
    [
        (
            "multipart/form-data",
            b"--x\r\n",
            "Invalid multipart body: no boundary in the Content-Type",
        ),
        (MULTIPART[1], b"--other\r\n\r\nabc\r\n--other--\r\n", None),
        (MULTIPART[1], part("file", b"abc", "a.txt"), "it ends before the closing boundary"),
        (MULTIPART[1], b"--hinted-test-boundary\r\n\r\nabc\r\n--hinted-test-boundary--", "no name"),
        ("multipart/form-data; boundary=" + "b" * 300, b"", None),
    ],
    ids=["no-boundary", "wrong-boundary", "truncated", "nameless-part", "long-boundary"],
)
def test_malformed_multipart_is_400(
    upload_dir: Path, content_type: str, body: bytes, detail: str | None
) -> None:
    client = TestClient(make_app(upload_dir))
    response = client.post("/upload", content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"].startswith("Invalid multipart body")
    if detail is not None:
        assert detail in response.json()["detail"]


def test_truncated_upload_already_on_disk_is_removed(upload_dir: Path, spool: SpoolSpy) -> None:
    body = part("file", b"x" * 50_000, "big.bin")  # no closing boundary
    response = TestClient(make_app(upload_dir)).post(
        "/upload", content=body, headers=dict([MULTIPART])
    )
    assert response.status_code == 400
    assert os.listdir(upload_dir) == []
    spool.assert_all_closed_once()


# -- a full disk --------------------------------------------------------------------------


@pytest.mark.parametrize("fail_after", [0, 3], ids=["moving-to-disk", "already-on-disk"])
@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EDQUOT], ids=["ENOSPC", "EDQUOT"])
def test_disk_full_is_507_and_leaves_nothing(
    upload_dir: Path, spool: SpoolSpy, fail_after: int, error: int
) -> None:
    spool.fail_after, spool.error = fail_after, error
    app = make_app(upload_dir)
    chunks = split(multipart(part("file", b"x" * 50_000, "big.bin")), 8192)
    exchange = drive(app, "/upload", chunks)
    assert exchange.status == 507
    assert exchange.json() == {"detail": "Insufficient storage: no room left to store the upload"}
    assert exchange.error is None
    assert os.listdir(upload_dir) == []
    spool.assert_all_closed_once()


def test_disk_full_under_problem_details(upload_dir: Path, spool: SpoolSpy) -> None:
    spool.fail_after = 0
    response = TestClient(make_app(upload_dir, problem_details=True)).post("/upload", files=BIG)
    assert response.status_code == 507
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Insufficient Storage"
    assert os.listdir(upload_dir) == []


def test_other_os_errors_are_server_errors(upload_dir: Path, spool: SpoolSpy) -> None:
    spool.fail_after, spool.error = 0, errno.EIO
    client = TestClient(make_app(upload_dir), raise_server_exceptions=False)
    response = client.post("/upload", files=BIG)
    assert response.status_code == 500
    assert os.listdir(upload_dir) == []


# -- errors after the upload was read -----------------------------------------------------


def test_validation_error_beside_a_file(upload_dir: Path, spool: SpoolSpy) -> None:
    response = TestClient(make_app(upload_dir)).post("/upload", files=BIG, data={"count": "x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "count"]
    assert os.listdir(upload_dir) == []
    spool.assert_all_closed_once()


def test_handler_exception(upload_dir: Path, spool: SpoolSpy) -> None:
    client = TestClient(make_app(upload_dir), raise_server_exceptions=False)
    response = client.post("/fails", files=BIG)
    assert response.status_code == 500
    assert os.listdir(upload_dir) == []
    spool.assert_all_closed_once()


def test_limit_exceeded_after_moving_to_disk(upload_dir: Path, spool: SpoolSpy) -> None:
    app = App(limits=Limits(spool_max_size=1024, max_file_size=20_000, upload_dir=upload_dir))

    @app.post("/upload")
    async def upload(file: UploadFile) -> None: ...

    chunks = split(multipart(part("file", b"x" * 50_000, "big.bin")), 4096)
    exchange = drive(app, "/upload", chunks)
    assert exchange.status == 413
    assert os.listdir(upload_dir) == []
    spool.assert_all_closed_once()


def test_success_with_a_yield_dependency(upload_dir: Path, spool: SpoolSpy) -> None:
    response = TestClient(make_app(upload_dir)).post("/with-dependency", files=BIG)
    assert response.json() == "audit"
    assert os.listdir(upload_dir) == []
    spool.assert_all_closed_once()


# -- the client leaving -------------------------------------------------------------------


@pytest.mark.parametrize("sent", [1, 4], ids=["in-memory", "on-disk"])
def test_client_disconnect_mid_upload(upload_dir: Path, spool: SpoolSpy, sent: int) -> None:
    chunks = split(multipart(part("file", b"x" * 50_000, "big.bin")), 1000)[:sent]
    exchange = drive(make_app(upload_dir), "/upload", chunks, disconnect=True)
    assert exchange.error is None  # nothing escapes to the server
    assert exchange.messages == []  # and nothing is sent to a client that is gone
    assert os.listdir(upload_dir) == []
    if sent > 1:
        spool.assert_all_closed_once()


def test_client_disconnect_mid_json_body(upload_dir: Path) -> None:
    app = App()

    @app.post("/json")
    async def json_body(data: dict[str, str]) -> dict[str, str]:
        return data

    exchange = drive(
        app, "/json", [b'{"a": '], headers=[("content-type", "application/json")], disconnect=True
    )
    assert exchange.error is None
    assert exchange.messages == []


# -- memory -------------------------------------------------------------------------------


def test_memory_stays_flat_while_a_large_file_streams_to_disk(upload_dir: Path) -> None:
    app = App(limits=Limits(max_body_size=64 * MiB, spool_max_size=1 * MiB, upload_dir=upload_dir))

    @app.post("/upload")
    async def upload(file: UploadFile) -> int | None:
        return file.size

    size = 32 * MiB
    body = multipart(part("file", b"\0" * size, "big.bin"))
    chunks = split(body, 64 * 1024)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        exchange = drive(app, "/upload", chunks)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert exchange.json() == size
    assert peak < 4 * MiB, f"peak {peak / MiB:.1f} MiB while uploading {size // MiB} MiB"
