"""Each limit of Limits: exceeded -> 413 naming it, read no further than needed."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Annotated, Any

import pytest

from hinted import APIRouter, App, Form, UploadFile
from hinted.limits import GiB, KiB, Limits, MiB
from hinted.testclient import TestClient
from tests.uploads._helpers import MULTIPART, drive, multipart, part, split

SMALL = Limits(
    max_body_size=64 * KiB,
    max_file_size=16 * KiB,
    max_files=2,
    max_fields=3,
    max_part_size=100,
    spool_max_size=1 * KiB,
)


def limited_app(limits: Limits, **options: Any) -> App:
    app = App(limits=limits, **options)

    @app.post("/files")
    async def files(
        files: list[UploadFile],
        notes: Annotated[list[str], Form()] = [],  # noqa: B006
    ) -> dict[str, Any]:
        return {"sizes": [f.size for f in files], "notes": notes}

    @app.post("/form")
    async def form(notes: Annotated[list[str], Form()]) -> dict[str, Any]:
        return {"notes": notes}

    @app.post("/json")
    async def json_body(data: dict[str, Any]) -> dict[str, int]:
        return {"keys": len(data)}

    return app


@pytest.fixture
def upload_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "uploads"
    directory.mkdir()
    return directory


@pytest.fixture
def client(upload_dir: Path) -> TestClient:
    return TestClient(limited_app(dataclasses.replace(SMALL, upload_dir=upload_dir)))


def test_the_documented_defaults() -> None:
    limits = Limits()
    assert limits.max_body_size == 16 * MiB == 16_777_216
    assert limits.max_file_size == 1 * GiB
    assert (limits.max_files, limits.max_fields) == (100, 1000)
    assert limits.max_part_size == limits.spool_max_size == 1 * MiB
    assert limits.upload_dir is None
    assert App().limits == limits


def test_limits_are_checked_when_made() -> None:
    with pytest.raises(ValueError, match="max_files"):
        Limits(max_files=-1)


def test_json_body_over_the_default_limit() -> None:
    client = TestClient(limited_app(Limits()))
    response = client.post("/json", json={"a": "x" * (16 * MiB)})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Request body too large: the limit is 16777216 bytes",
        "limit": "max_body_size",
    }


def test_json_body_at_the_limit_is_fine(client: TestClient) -> None:
    body = b'{"a": "' + b"x" * (64 * KiB - 9) + b'"}'
    assert len(body) == 64 * KiB
    response = client.post("/json", content=body, headers={"content-type": "application/json"})
    assert response.json() == {"keys": 1}


def test_streamed_json_body_stops_at_the_limit() -> None:
    app = limited_app(SMALL)
    chunks = split(b'{"a": "' + b"x" * (1 * MiB) + b'"}', 8 * KiB)
    exchange = drive(app, "/json", chunks, headers=[("content-type", "application/json")])
    assert exchange.status == 413
    assert exchange.json()["limit"] == "max_body_size"
    assert exchange.chunks_read == 9  # 64 KiB in 8 KiB chunks: the ninth crosses it
    assert exchange.error is None


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/json", "application/json"), ("/files", MULTIPART[1]), ("/form", "x-www-form-urlencoded")],
)
def test_content_length_too_large_is_refused_before_reading(path: str, content_type: str) -> None:
    app = limited_app(SMALL)
    content_type = content_type.replace("x-www", "application/x-www")
    headers = [("content-type", content_type), ("content-length", str(64 * KiB + 1))]
    exchange = drive(app, path, [b"never read"], headers=headers)
    assert exchange.status == 413
    assert exchange.json() == {
        "detail": "Request body too large: the limit is 65536 bytes",
        "limit": "max_body_size",
    }
    assert exchange.chunks_read == 0


def test_multipart_body_over_max_body_size(upload_dir: Path) -> None:
    # Each part is within its limits; together they are not. No Content-Length: counted.
    app = limited_app(dataclasses.replace(SMALL, max_body_size=20 * KiB, upload_dir=upload_dir))
    body = multipart(part("files", b"x" * (15 * KiB), "a"), part("files", b"y" * (15 * KiB), "b"))
    exchange = drive(app, "/files", split(body, 4 * KiB))
    assert exchange.status == 413
    assert exchange.json()["limit"] == "max_body_size"
    assert exchange.chunks_read == 6
    assert os.listdir(upload_dir) == []


def test_file_over_max_file_size(client: TestClient, upload_dir: Path) -> None:
    response = client.post("/files", files={"files": ("big.bin", b"x" * (16 * KiB + 1))})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Uploaded file too large: the limit is 16384 bytes per file",
        "limit": "max_file_size",
    }
    assert os.listdir(upload_dir) == []
    response = client.post("/files", files={"files": ("ok.bin", b"x" * (16 * KiB))})
    assert response.json() == {"sizes": [16 * KiB], "notes": []}


def test_file_over_max_file_size_is_not_read_to_the_end(upload_dir: Path) -> None:
    limits = Limits(max_body_size=1 * GiB, max_file_size=100 * KiB, upload_dir=upload_dir)
    app = limited_app(limits)
    # 8 KiB chunks of a 10 MiB file: refused after ~13 chunks, not 1280.
    exchange = drive(app, "/files", split(multipart(part("files", b"x" * 10 * MiB, "a")), 8 * KiB))
    assert exchange.status == 413
    assert exchange.json()["limit"] == "max_file_size"
    assert exchange.chunks_read <= 14
    assert os.listdir(upload_dir) == []


def test_too_many_files(client: TestClient, upload_dir: Path) -> None:
    files = [("files", (f"{i}.bin", b"x" * 2000)) for i in range(3)]
    response = client.post("/files", files=files)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Too many files: the limit is 2 files",
        "limit": "max_files",
    }
    assert os.listdir(upload_dir) == []
    assert client.post("/files", files=files[:2]).json()["sizes"] == [2000, 2000]


def test_too_many_multipart_fields(client: TestClient) -> None:
    files = {"files": ("a.bin", b"x")}
    response = client.post("/files", files=files, data={"notes": ["1", "2", "3", "4"]})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Too many form fields: the limit is 3 fields",
        "limit": "max_fields",
    }
    assert client.post("/files", files=files, data={"notes": ["1", "2", "3"]}).status_code == 200


def test_too_many_urlencoded_fields(client: TestClient) -> None:
    response = client.post("/form", data={"notes": ["1", "2", "3", "4"]})
    assert response.status_code == 413
    assert response.json()["limit"] == "max_fields"


def test_multipart_field_over_max_part_size(client: TestClient) -> None:
    files = {"files": ("a.bin", b"x" * 1000)}  # a file is not a field: no part limit
    response = client.post("/files", files=files, data={"notes": "n" * 101})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Form field too large: the limit is 100 bytes per field",
        "limit": "max_part_size",
    }
    assert client.post("/files", files=files, data={"notes": "n" * 100}).status_code == 200


def test_urlencoded_field_over_max_part_size(client: TestClient) -> None:
    # Name and value count: "notes" + 96 bytes is over 100.
    assert client.post("/form", data={"notes": "n" * 96}).json()["limit"] == "max_part_size"
    assert client.post("/form", data={"notes": "n" * 95}).json() == {"notes": ["n" * 95]}


def test_urlencoded_body_over_max_body_size() -> None:
    app = limited_app(Limits(max_body_size=1000, max_fields=10_000))
    response = TestClient(app).post("/form", data={"notes": ["x" * 50] * 30})
    assert response.status_code == 413
    assert response.json()["limit"] == "max_body_size"


def test_problem_details_carry_the_limit() -> None:
    app = limited_app(SMALL, problem_details=True)
    response = TestClient(app).post("/files", files={"files": ("a", b"x" * (16 * KiB + 1))})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Content Too Large",
        "status": 413,
        "detail": "Uploaded file too large: the limit is 16384 bytes per file",
        "limit": "max_file_size",
    }


# -- a route's limits ---------------------------------------------------------------------


def test_a_route_limits_replace_the_app_limits(upload_dir: Path) -> None:
    app = App(limits=Limits(max_file_size=1 * KiB, upload_dir=upload_dir))

    @app.post("/small")
    async def small(file: UploadFile) -> int | None:
        return file.size

    @app.post("/large", limits=Limits(max_file_size=1 * MiB, upload_dir=upload_dir))
    async def large(file: UploadFile) -> int | None:
        return file.size

    @app.post("/tiny", limits=Limits(max_body_size=100))
    async def tiny(data: dict[str, str]) -> dict[str, str]:
        return data

    client = TestClient(app)
    content = {"file": ("a.bin", b"x" * (100 * KiB))}
    assert client.post("/small", files=content).json()["limit"] == "max_file_size"
    assert client.post("/large", files=content).json() == 100 * KiB
    assert client.post("/tiny", json={"a": "x" * 100}).json()["limit"] == "max_body_size"
    assert client.post("/tiny", json={"a": "x"}).json() == {"a": "x"}


def test_a_route_limits_survive_include_router() -> None:
    router = APIRouter(prefix="/inner")

    @router.post("/tiny", limits=Limits(max_body_size=10))
    async def tiny(data: dict[str, str]) -> dict[str, str]:
        return data

    outer = APIRouter()
    outer.include_router(router, prefix="/outer")
    app = App()
    app.include_router(outer, prefix="/api")
    response = TestClient(app).post("/api/outer/inner/tiny", json={"a": "xxxxxxxxxx"})
    assert response.status_code == 413
    assert response.json()["detail"] == "Request body too large: the limit is 10 bytes"
