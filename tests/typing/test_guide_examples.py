"""docs/guide/types.md: its examples check (or fail to) as the page says, and run."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from mypy import api as mypy_api

from hinted.testclient import TestClient

from .test_cases import MYPY_CONFIG

FOLDER = Path(__file__).resolve().parents[2] / "docs_src" / "types"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_types_{name}", FOLDER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def mypy(tmp_path: Path, name: str) -> list[str]:
    config = tmp_path / "mypy.ini"
    config.write_text(MYPY_CONFIG)
    stdout, _, _ = mypy_api.run(
        [
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            "--hide-error-context",
            str(FOLDER / f"{name}.py"),
        ]
    )
    return [line.split("types/", 1)[1] for line in stdout.splitlines()]


def test_mypy_reports_the_articles_mistakes(tmp_path: Path) -> None:
    assert mypy(tmp_path, "mistakes") == [
        'mistakes.py:26: error: Unsupported operand types for + ("str" and "float")  [operator]',
        'mistakes.py:26: error: Unsupported operand types for + ("str" and "None")  [operator]',
        'mistakes.py:26: note: Right operand is of type "float | None"',
        'mistakes.py:27: error: Unsupported operand types for + ("None" and "int")  [operator]',
        'mistakes.py:27: note: Left operand is of type "float | None"',
    ]


def test_the_narrowed_version_checks_clean(tmp_path: Path) -> None:
    assert mypy(tmp_path, "narrowed") == []


def test_the_decorated_handler_keeps_its_signature(tmp_path: Path) -> None:
    assert mypy(tmp_path, "signatures") == [
        'signatures.py:14: note: Revealed type is "def (message_id: int, full: bool =) '
        '-> typing.Coroutine[Any, Any, dict[str, object]]"'
    ]


@pytest.mark.parametrize("timestamp", [1599307407.9, None])
def test_the_mistakes_are_real_crashes(timestamp: float | None) -> None:
    client = TestClient(load("mistakes").app, raise_server_exceptions=False)
    entry = {"message": "Hello", "recipient": "Dave", "timestamp": timestamp}
    assert client.post("/example", json=entry).status_code == 500
    with pytest.raises(TypeError):
        TestClient(load("mistakes").app).post("/example", json=entry)


def test_the_narrowed_version_answers() -> None:
    client = TestClient(load("narrowed").app)
    entry = {"message": "Hello", "recipient": "Dave", "timestamp": 1599307407.5}
    assert client.post("/example", json=entry).json() == {
        "status": "Received chat message at timestamp 1599307407.5",
        "answer_before": 1599311007.5,
    }
    response = client.post("/example", json={"message": "Hello", "recipient": "Dave"})
    assert response.json()["status"] == "Received chat message without a timestamp"


def test_the_handler_is_still_a_function() -> None:
    module = load("signatures")
    answer = asyncio.run(module.read_message(3, full=True))
    assert answer == {"message_id": 3, "full": True}
    assert TestClient(module.app).get("/messages/3").json() == {"message_id": 3, "full": False}
