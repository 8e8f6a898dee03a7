"""A FastAPI project of several files converts with ``hinted migrate`` and still passes.

The project under ``sample_project/`` has routers, dependencies, OAuth2 password
security, pydantic models and its own pytest tests using ``fastapi.testclient``. It is
copied to a temporary folder, tested with FastAPI, migrated, checked to differ only in
its imports (and ``FastAPI`` -> ``App``), then tested again with FastAPI unimportable.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).with_name("sample_project")
HINTED_SCRIPT = Path(sys.executable).with_name("hinted")

# Runs pytest with `fastapi` unimportable, so a test that still reached it would fail.
WITHOUT_FASTAPI = (
    "import sys; sys.modules['fastapi'] = None; import pytest; "
    "raise SystemExit(pytest.main(['-q', '-p', 'no:cacheprovider']))"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "sample_project"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False, env=env
    )


def sources(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.py"))
    }


def as_hinted(line: str) -> str:
    """What the migration may turn a line into, and nothing else."""
    return line.replace("fastapi", "hinted").replace("FastAPI", "App")


def test_the_sample_project_passes_with_fastapi(project: Path) -> None:
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "20 passed" in result.stdout


def test_migrated_project_passes_against_hinted(project: Path) -> None:
    before = sources(project)

    result = run([str(HINTED_SCRIPT), "migrate", "."], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == (
        "10 of 15 files rewritten; 0 things left to convert by hand"
    )

    after = sources(project)
    assert after.keys() == before.keys()
    changed_lines = 0
    for name in before:
        old, new = before[name].splitlines(), after[name].splitlines()
        assert len(old) == len(new), name  # no line added or removed
        for old_line, new_line in zip(old, new, strict=True):
            if old_line != new_line:
                changed_lines += 1
                assert new_line == as_hinted(old_line), (name, old_line, new_line)
                assert "fastapi" in old_line or "FastAPI" in old_line
    assert changed_lines == 28
    fastapi_import = re.compile(r"^\s*(from|import) fastapi\b", re.MULTILINE)
    assert not any(fastapi_import.search(text) for text in after.values())

    result = run([sys.executable, "-c", WITHOUT_FASTAPI], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "20 passed" in result.stdout


def test_check_and_diff_write_nothing(project: Path) -> None:
    before = sources(project)
    check = run([str(HINTED_SCRIPT), "migrate", "--check", "."], project)
    assert check.returncode == 1
    assert "would rewrite chat_service/main.py" in check.stdout
    diff = run([str(HINTED_SCRIPT), "migrate", "--diff", "chat_service/main.py"], project)
    assert diff.returncode == 0
    assert "\n-def create_app() -> FastAPI:\n" in diff.stdout
    assert "\n+def create_app() -> App:\n" in diff.stdout
    assert sources(project) == before

    run([str(HINTED_SCRIPT), "migrate", "."], project)
    again = run([str(HINTED_SCRIPT), "migrate", "--check", "."], project)
    assert again.returncode == 0, again.stdout
    assert "0 of 15 files to rewrite" in again.stdout


def test_the_diff_is_what_a_reviewer_sees(project: Path) -> None:
    before = (project / "chat_service" / "health.py").read_text()
    run([str(HINTED_SCRIPT), "migrate", "chat_service/health.py"], project)
    after = (project / "chat_service" / "health.py").read_text()
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == [
        "-import fastapi",
        "+import hinted",
        "-router = fastapi.APIRouter()",
        "+router = hinted.APIRouter()",
        '-@router.get("/health", status_code=fastapi.status.HTTP_200_OK)',
        '+@router.get("/health", status_code=hinted.status.HTTP_200_OK)',
    ]
