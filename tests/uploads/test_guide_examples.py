"""docs/guide/uploads-and-limits.md: its examples answer as the page says."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from hinted import App
from hinted.limits import KiB, MiB
from hinted.testclient import TestClient
from tests.uploads._helpers import drive, multipart, part, split

EXAMPLES = Path(__file__).resolve().parents[2] / "docs_src" / "uploads"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"uploads_guide_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    media, uploads = tmp_path / "media", tmp_path / "uploads"
    media.mkdir()
    uploads.mkdir()
    monkeypatch.setenv("MEDIA_DIR", str(media))
    monkeypatch.setenv("UPLOAD_DIR", str(uploads))
    return media, uploads


def test_app_limits_apply_to_the_avatar_route(dirs: tuple[Path, Path]) -> None:
    client = TestClient(load("main").app)
    response = client.post("/avatars", files={"image": ("cat.png", b"png")}, data={"caption": "hi"})
    assert response.json() == {"filename": "cat.png", "size": 3, "caption": "hi"}

    response = client.post("/avatars", files={"image": ("cat.png", b"x" * (2 * MiB + 1))})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Uploaded file too large: the limit is 2097152 bytes per file",
        "limit": "max_file_size",
    }

    response = client.post("/avatars", files={"image": ("cat.png", b"x" * (4 * MiB))})
    assert response.json() == {
        "detail": "Request body too large: the limit is 4194304 bytes",
        "limit": "max_body_size",
    }


def test_problem_details_shape_from_the_page(dirs: tuple[Path, Path]) -> None:
    module = load("main")
    app = App(limits=module.app.limits, problem_details=True)
    app.post("/avatars")(module.upload_avatar)
    response = TestClient(app).post("/avatars", files={"image": ("cat.png", b"x" * (2 * MiB + 1))})
    assert response.json() == {
        "type": "about:blank",
        "title": "Content Too Large",
        "status": 413,
        "detail": "Uploaded file too large: the limit is 2097152 bytes per file",
        "limit": "max_file_size",
    }


def test_the_video_route_takes_large_files_through_upload_dir(dirs: tuple[Path, Path]) -> None:
    media, uploads = dirs
    module = load("main")
    assert module.video_limits.upload_dir == str(uploads)
    assert module.video_limits.spool_max_size == 256 * KiB  # kept from the app's limits
    content = os.urandom(6 * MiB)
    chunks = split(multipart(part("video", content, "../../holiday.mp4")), 64 * KiB)
    exchange = drive(module.app, "/videos", chunks)
    assert exchange.status == 200
    assert exchange.json() == {"filename": "holiday.mp4", "size": 6 * MiB}
    assert (media / "holiday.mp4").read_bytes() == content
    assert os.listdir(uploads) == []

    two = multipart(part("video", b"a", "a.mp4"), part("video", b"b", "b.mp4"))
    assert drive(module.app, "/videos", [two]).json()["limit"] == "max_files"


def test_a_custom_handler_shapes_the_413() -> None:
    client = TestClient(load("custom_errors").app)
    response = client.post("/documents", files={"document": ("a.pdf", b"x" * (100 * KiB + 1))})
    assert response.status_code == 413
    assert response.json() == {"error": "too_large", "limit": "max_file_size", "maximum": 102400}
    response = client.post("/documents", files={"document": ("a.pdf", b"%PDF")})
    assert response.json() == {"filename": "a.pdf", "size": 4}
