"""examples/chat/README.md tells the truth about what mypy says of ChatEntry."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "examples" / "chat" / "README.md"


def block_after(marker: str, language: str, text: str) -> str:
    """The first fenced ``language`` block after ``<!-- mypy-catch: marker -->``."""
    start = text.index(f"<!-- mypy-catch: {marker} -->")
    found = re.compile(rf"```{language}\n(.*?)```", re.DOTALL).search(text, start)
    assert found is not None, f"no ```{language} block after the {marker!r} marker"
    return found.group(1)


def mypy(source: str, directory: Path) -> tuple[int, str]:
    """Run ``mypy --strict timeout.py`` on ``source`` with the project's configuration."""
    (directory / "timeout.py").write_text(source)
    env = {**os.environ, "MYPYPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        str(REPO / "pyproject.toml"),
    ]
    command += ["--cache-dir", str(directory / ".mypy_cache"), "timeout.py"]
    result = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True)
    return result.returncode, result.stdout


def test_the_readme_shows_mypys_real_errors(tmp_path: Path) -> None:
    text = README.read_text()
    code, output = mypy(block_after("errors", "python", text), tmp_path)
    expected = block_after("errors", "text", text).splitlines()
    assert expected[0] == "$ mypy --strict timeout.py"
    assert code == 1
    assert output.splitlines() == expected[1:]


def test_the_readmes_fix_passes_mypy(tmp_path: Path) -> None:
    code, output = mypy(block_after("clean", "python", README.read_text()), tmp_path)
    assert code == 0, output
