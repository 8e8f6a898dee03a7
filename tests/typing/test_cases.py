"""Type checkers see user code through hinted's annotations: the cases under cases/.

Each file in ``cases/`` is user code checked by mypy (``--strict`` with the pydantic
plugin, as the guide recommends) and, when it is installed, by pyright in strict mode.
Expectations are comments on the line they are about::

    timeout = entry.timestamp + 3600  # E: Unsupported operand types for + ("None" and "int")
    reveal_type(handler)  # N: Revealed type is "def (item_id: int) -> str"

``# E: fragment`` expects a mypy error containing the fragment; ``# N: fragment`` a
note (``reveal_type``). A line with several errors carries several ``# E:``. Every
mypy error must be expected: a file without ``# E:`` comments must check clean. Pyright
words its messages differently, so for pyright the lines with errors must be exactly
the lines with ``# E:``, and each ``# N:`` line must reveal a type.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from mypy import api as mypy_api

CASES = Path(__file__).with_name("cases")
CASE_FILES = sorted(CASES.glob("*.py"))
EXPECTATION = re.compile(r"#\s*([EN]):\s*(.*?)\s*(?=#\s*[EN]:|$)")
MYPY_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<kind>error|note): (?P<message>.*)$")
MYPY_CONFIG = """\
[mypy]
strict = True
plugins = pydantic.mypy
follow_imports = silent
"""
PYRIGHT = Path(sys.executable).with_name("pyright")


@dataclass
class Expectations:
    errors: dict[int, list[str]] = field(default_factory=dict[int, list[str]])
    notes: dict[int, list[str]] = field(default_factory=dict[int, list[str]])


def expectations(path: Path) -> Expectations:
    found = Expectations()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for kind, fragment in EXPECTATION.findall(line):
            target = found.errors if kind == "E" else found.notes
            target.setdefault(number, []).append(fragment)
    return found


Reports = dict[str, dict[int, list[str]]]


@pytest.fixture(scope="session")
def mypy_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Reports, Reports]:
    """``(errors, notes)`` of one mypy run over every case: file name -> line -> messages."""
    folder = tmp_path_factory.mktemp("mypy")
    config = folder / "mypy.ini"
    config.write_text(MYPY_CONFIG)
    stdout, stderr, _ = mypy_api.run(
        [
            "--config-file",
            str(config),
            "--cache-dir",
            str(folder / "cache"),
            "--no-error-summary",
            "--hide-error-context",
            "--hide-error-codes",
            "--no-pretty",
            *map(str, CASE_FILES),
        ]
    )
    assert not stderr, stderr
    errors: Reports = defaultdict(lambda: defaultdict(list))
    notes: Reports = defaultdict(lambda: defaultdict(list))
    for line in stdout.splitlines():
        match = MYPY_LINE.match(line)
        assert match, f"unexpected mypy output: {line}"
        target = errors if match["kind"] == "error" else notes
        target[Path(match["path"]).name][int(match["line"])].append(match["message"])
    return errors, notes


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda path: path.name)
def test_mypy_reports_exactly_the_expected_errors(
    case: Path, mypy_reports: tuple[Reports, Reports]
) -> None:
    errors, notes = mypy_reports
    expected = expectations(case)
    reported = errors.get(case.name, {})
    assert sorted(reported) == sorted(expected.errors), (
        f"{case.name}: lines with errors differ: {dict(reported)}"
    )
    for number, fragments in expected.errors.items():
        messages = reported[number]
        assert len(messages) == len(fragments), (case.name, number, messages)
        for fragment in fragments:
            assert any(fragment in message for message in messages), (
                f"{case.name}:{number}: no error says {fragment!r}: {messages}"
            )
    for number, fragments in expected.notes.items():
        for fragment in fragments:
            assert any(fragment in note for note in notes[case.name][number]), (
                f"{case.name}:{number}: no note says {fragment!r}: {notes[case.name][number]}"
            )


def test_parameter_defaults_check_as_with_fastapi(
    tmp_path: Path, mypy_reports: tuple[Reports, Reports]
) -> None:
    """The same handlers written against FastAPI get the same errors on the same lines."""
    case = CASES / "parameter_defaults.py"
    twin = tmp_path / "fastapi_parameter_defaults.py"
    twin.write_text(
        case.read_text().replace("from hinted", "from fastapi").replace("App", "FastAPI")
    )
    config = tmp_path / "mypy.ini"
    config.write_text(MYPY_CONFIG)
    stdout, _, _ = mypy_api.run(
        ["--config-file", str(config), "--cache-dir", str(tmp_path / "cache"), str(twin)]
    )
    fastapi_lines = sorted(
        {int(line.split(":")[1]) for line in stdout.splitlines() if ": error:" in line}
    )
    assert fastapi_lines == sorted(mypy_reports[0]["parameter_defaults.py"])


def test_the_cases_cover_the_article_and_the_framework() -> None:
    names = {path.name for path in CASE_FILES}
    assert {"article_mistakes.py", "article_fixed.py"} <= names
    assert expectations(CASES / "article_fixed.py").errors == {}
    mistakes = expectations(CASES / "article_mistakes.py").errors
    assert ['Unsupported operand types for + ("None" and "int")'] in mistakes.values()


# -- pyright ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pyright_diagnostics(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    if not PYRIGHT.exists():
        pytest.skip("pyright is not installed (pip install -e '.[dev]')")
    folder = tmp_path_factory.mktemp("pyright")
    (folder / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"})
    )
    result = subprocess.run(
        [
            str(PYRIGHT),
            "--outputjson",
            "--project",
            str(folder / "pyrightconfig.json"),
            "--pythonpath",
            sys.executable,
            *map(str, CASE_FILES),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout.startswith("{"), result.stdout + result.stderr
    report = json.loads(result.stdout)
    diagnostics: list[dict[str, object]] = report["generalDiagnostics"]
    return diagnostics


def _pyright_lines(
    diagnostics: list[dict[str, object]], case: Path, severity: str
) -> dict[int, list[str]]:
    lines: dict[int, list[str]] = defaultdict(list)
    for diagnostic in diagnostics:
        if Path(str(diagnostic["file"])).name != case.name:
            continue
        if diagnostic["severity"] != severity:
            continue
        where = diagnostic["range"]
        assert isinstance(where, dict)
        lines[where["start"]["line"] + 1].append(str(diagnostic["message"]))
    return lines


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda path: path.name)
def test_pyright_flags_the_same_lines(
    case: Path, pyright_diagnostics: list[dict[str, object]]
) -> None:
    expected = expectations(case)
    errors = _pyright_lines(pyright_diagnostics, case, "error")
    assert sorted(errors) == sorted(expected.errors), f"{case.name}: {dict(errors)}"
    revealed = _pyright_lines(pyright_diagnostics, case, "information")
    assert sorted(revealed) == sorted(expected.notes), f"{case.name}: {dict(revealed)}"


def test_pyright_sees_the_decorated_signatures(
    pyright_diagnostics: list[dict[str, object]],
) -> None:
    revealed = _pyright_lines(
        pyright_diagnostics, CASES / "decorators_keep_types.py", "information"
    )
    messages = [message for lines in revealed.values() for message in lines]
    assert 'Type of "create_room" is "(room: str) -> list[str]"' in messages
    assert (
        'Type of "read_item" is "(item_id: int, q: str | None = None) '
        '-> CoroutineType[Any, Any, dict[str, object]]"'
    ) in messages
