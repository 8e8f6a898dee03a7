"""openapi-spec-validator accepts the OpenAPI document of every app we ship or show.

The chat demo, every ``docs_src`` example module with a hinted ``App`` (imported the
way a reader runs it: its folder first on ``sys.path``, plain module names, forgotten
afterwards) and the benchmark app. A new example is picked up without touching this file.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from examples.chat.app import create_app
from examples.chat.settings import Settings
from hinted import App

ROOT = Path(__file__).resolve().parents[2]
DOCS_SRC = ROOT / "docs_src"


def example_modules() -> list[Path]:
    """docs_src modules that may define an app (test modules only import the others)."""
    return [p for p in sorted(DOCS_SRC.rglob("*.py")) if not p.name.startswith("test_")]


@contextmanager
def imported(path: Path) -> Iterator[Any]:
    """``path`` imported with its folder first on ``sys.path``; its folder's modules are
    dropped from ``sys.modules`` before and after, so folders never see each other."""
    directory = path.parent
    names = {sibling.stem for sibling in directory.glob("*.py")}

    def forget() -> None:
        for name in names:
            sys.modules.pop(name, None)

    forget()
    sys.path.insert(0, str(directory))
    try:
        yield importlib.import_module(path.stem)
    finally:
        sys.path.remove(str(directory))
        forget()


def apps_of(module: Any) -> dict[str, App]:
    return {name: value for name, value in vars(module).items() if isinstance(value, App)}


def check(app: App) -> dict[str, Any]:
    document = app.openapi()
    assert document["openapi"].startswith("3.1."), document["openapi"]
    validate(document)
    return document


def test_the_chat_demo_document_is_valid(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'chat.db'}"))
    document = check(app)
    operations = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert {
        "POST /messages",
        "GET /messages",
        "GET /messages/{message_id}",
        "DELETE /messages/{message_id}",
        "GET /health",
    } <= operations


@pytest.mark.parametrize(
    "path", example_modules(), ids=lambda p: str(p.relative_to(DOCS_SRC)).removesuffix(".py")
)
def test_every_docs_src_app_document_is_valid(path: Path) -> None:
    # Modules without a hinted App (routers, shared models, the Flask side of a
    # comparison) have nothing to check; the test below makes sure apps are found at all.
    with imported(path) as module:
        for app in apps_of(module).values():
            check(app)


def test_the_docs_src_examples_hold_apps_at_all() -> None:
    # Guards the loop above against silently finding nothing.
    found = 0
    for path in example_modules():
        with imported(path) as module:
            found += len(apps_of(module))
    assert found >= 30


def test_the_benchmark_app_document_is_valid() -> None:
    from benchmarks.apps.hinted_app import app

    document = check(app)
    assert len(document["paths"]) > 10
