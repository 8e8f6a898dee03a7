"""Uploads that succeed: the kinds of parameters, spooling to disk, and what is left after."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Annotated, Any

import pytest

from hinted import App, File, Form, Request, UploadFile
from hinted.limits import Limits
from hinted.testclient import TestClient
from tests.uploads._helpers import MULTIPART, drive, multipart, part, split


def uploads_app(upload_dir: Path, **limits: Any) -> tuple[App, dict[str, Any]]:
    """An app with one route per kind of upload; ``seen`` records what handlers saw."""
    app = App(limits=Limits(**{"spool_max_size": 1024, "upload_dir": upload_dir, **limits}))
    seen: dict[str, Any] = {}

    @app.post("/one")
    async def one(file: UploadFile, note: Annotated[str, Form()] = "") -> dict[str, Any]:
        seen["on_disk"] = sorted(os.listdir(upload_dir))
        seen["file"] = file
        content = await file.read()
        return {"filename": file.filename, "size": file.size, "read": len(content), "note": note}

    @app.post("/two")
    async def two(first: UploadFile, second: UploadFile) -> dict[str, Any]:
        return {"first": (await first.read()).decode(), "second": (await second.read()).decode()}

    @app.post("/many")
    async def many(files: list[UploadFile], tags: Annotated[list[str], Form()]) -> dict[str, Any]:
        return {
            "names": [f.filename for f in files],
            "sizes": [f.size for f in files],
            "tags": tags,
        }

    @app.post("/bytes")
    def as_bytes(data: Annotated[bytes, File()]) -> dict[str, Any]:
        return {"size": len(data), "head": data[:5].decode()}

    @app.post("/request")
    async def with_request(file: UploadFile, request: Request) -> dict[str, Any]:
        form = await request.form()
        return {"same": form["file"] is file}

    return app, seen


@pytest.fixture
def upload_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "uploads"
    directory.mkdir()
    return directory


def test_one_file_beside_a_field(upload_dir: Path) -> None:
    app, seen = uploads_app(upload_dir)
    response = TestClient(app).post(
        "/one", files={"file": ("notes.txt", b"hello", "text/plain")}, data={"note": "hi"}
    )
    assert response.status_code == 200
    assert response.json() == {"filename": "notes.txt", "size": 5, "read": 5, "note": "hi"}
    assert seen["file"].content_type == "text/plain"
    assert seen["on_disk"] == []  # under spool_max_size: kept in memory
    assert seen["file"].file.closed


def test_two_named_files(upload_dir: Path) -> None:
    app, _ = uploads_app(upload_dir)
    files = {"first": ("a.txt", b"alpha"), "second": ("b.txt", b"beta")}
    response = TestClient(app).post("/two", files=files)
    assert response.json() == {"first": "alpha", "second": "beta"}


def test_a_list_of_files_and_a_list_of_fields(upload_dir: Path) -> None:
    app, _ = uploads_app(upload_dir)
    files = [("files", ("a.bin", b"a" * 10)), ("files", ("b.bin", b"b" * 5000))]
    response = TestClient(app).post("/many", files=files, data={"tags": ["x", "y"]})
    assert response.json() == {"names": ["a.bin", "b.bin"], "sizes": [10, 5000], "tags": ["x", "y"]}
    assert os.listdir(upload_dir) == []


def test_a_file_read_as_bytes(upload_dir: Path) -> None:
    app, _ = uploads_app(upload_dir)
    response = TestClient(app).post("/bytes", files={"data": ("d.bin", b"hello" + b"!" * 5000)})
    assert response.json() == {"size": 5005, "head": "hello"}
    assert os.listdir(upload_dir) == []


def test_request_form_is_the_form_already_read(upload_dir: Path) -> None:
    app, _ = uploads_app(upload_dir)
    response = TestClient(app).post("/request", files={"file": ("a.txt", b"abc")})
    assert response.json() == {"same": True}


def test_past_spool_max_size_the_file_is_on_disk_then_gone(upload_dir: Path) -> None:
    app, seen = uploads_app(upload_dir)
    content = os.urandom(10_000)
    response = TestClient(app).post("/one", files={"file": ("big.bin", content)})
    assert response.json() == {"filename": "big.bin", "size": 10_000, "read": 10_000, "note": ""}
    file = seen["file"]
    assert len(seen["on_disk"]) == 1
    assert seen["on_disk"][0].startswith("hinted-upload-")
    assert Path(file.file.name).parent == upload_dir
    assert os.listdir(upload_dir) == []  # deleted when closed, after the response
    assert file.file.closed


def test_spooled_content_is_intact_across_the_switch_to_disk(upload_dir: Path) -> None:
    app = App(limits=Limits(spool_max_size=1000, upload_dir=upload_dir))
    content = os.urandom(300_000)

    @app.post("/echo")
    async def echo(file: UploadFile) -> dict[str, Any]:
        return {
            "same": await file.read() == content,
            "in_memory": isinstance(file.file, io.BytesIO),
        }

    # Sent in chunks of 7001 bytes, the switch to disk lands inside a chunk.
    exchange = drive(app, "/echo", split(multipart(part("file", content, "x.bin")), 7001))
    assert exchange.status == 200
    assert exchange.json() == {"same": True, "in_memory": False}
    assert os.listdir(upload_dir) == []


def test_a_spool_max_size_of_zero_sends_every_file_to_disk(upload_dir: Path) -> None:
    app, seen = uploads_app(upload_dir, spool_max_size=0)
    response = TestClient(app).post("/one", files={"file": ("a.txt", b"a")})
    assert response.status_code == 200
    assert len(seen["on_disk"]) == 1
    assert os.listdir(upload_dir) == []


def test_an_empty_file_and_a_file_without_content_type(upload_dir: Path) -> None:
    app, _ = uploads_app(upload_dir)
    body = multipart(
        b'--hinted-test-boundary\r\nContent-Disposition: form-data; name="file"; '
        b'filename="empty.txt"\r\n\r\n\r\n'
    )
    response = TestClient(app).post("/one", content=body, headers=dict([MULTIPART]))
    assert response.json() == {"filename": "empty.txt", "size": 0, "read": 0, "note": ""}


def test_the_handler_closing_the_file_itself_is_harmless(upload_dir: Path) -> None:
    app = App(limits=Limits(spool_max_size=10, upload_dir=upload_dir))

    @app.post("/close")
    async def close_it(file: UploadFile) -> dict[str, bool]:
        await file.close()
        await file.close()
        return {"closed": file.file.closed}

    response = TestClient(app).post("/close", files={"file": ("a.txt", b"a" * 100)})
    assert response.json() == {"closed": True}
    assert os.listdir(upload_dir) == []


def test_urlencoded_form(upload_dir: Path) -> None:
    app = App()

    @app.post("/login")
    async def login(
        username: Annotated[str, Form()], scopes: Annotated[list[str], Form()]
    ) -> dict[str, Any]:
        return {"username": username, "scopes": scopes}

    response = TestClient(app).post(
        "/login", data={"username": "ada lovelace+1", "scopes": ["read", "wr=ite"]}
    )
    assert response.json() == {"username": "ada lovelace+1", "scopes": ["read", "wr=ite"]}


def test_form_route_sent_another_media_type_reads_an_empty_form() -> None:
    app = App()

    @app.post("/login")
    async def login(username: Annotated[str, Form()]) -> dict[str, str]:
        return {"username": username}

    response = TestClient(app).post("/login", json={"username": "ada"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "username"]
