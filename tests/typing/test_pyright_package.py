"""The package itself checks clean under pyright's strict mode ([tool.pyright] in pyproject.toml).

mypy --strict runs over ``hinted`` in CI already; this keeps pyright's stricter view
(unknown types, private usage, unnecessary checks) at zero errors too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYRIGHT = Path(sys.executable).with_name("pyright")


def test_pyright_strict_reports_no_error_in_the_package() -> None:
    assert PYRIGHT.exists(), "pyright is part of the dev extra: pip install -e '.[dev]'"
    try:
        result = subprocess.run(
            # The project's own configuration ([tool.pyright] in pyproject.toml), never a
            # pyrightconfig.json some parent directory happens to hold.
            [str(PYRIGHT), "--outputjson", "--project", str(ROOT / "pyproject.toml"), "hinted"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("pyright did not finish within 180 s")
    report = json.loads(result.stdout)
    errors = [
        f"{diagnostic['file']}:{diagnostic['range']['start']['line'] + 1}: "
        f"{diagnostic['message']} ({diagnostic.get('rule', '')})"
        for diagnostic in report["generalDiagnostics"]
        if diagnostic["severity"] == "error"
    ]
    assert errors == [], "\n".join(errors)
    assert report["summary"]["errorCount"] == 0
