"""Each rewrite rule of ``hinted migrate``, and its report."""

from __future__ import annotations

import io
from pathlib import Path
from textwrap import dedent

import pytest

from hinted.cli import main as hinted_main
from hinted.migrate import Finding, migrate_source, run


def migrate(source: str) -> tuple[str, list[str]]:
    code, findings = migrate_source(dedent(source), "app.py")
    return code.decode(), [str(finding) for finding in findings]


def converts(source: str, expected: str) -> None:
    code, findings = migrate(source)
    assert code == dedent(expected)
    assert findings == []


# -- from-imports -----------------------------------------------------------------------------


def test_from_fastapi_import_renames_fastapi_to_app_and_its_uses() -> None:
    converts(
        """\
        from fastapi import FastAPI, Depends

        app = FastAPI(title="Chat")

        def build() -> FastAPI:
            return FastAPI()
        """,
        """\
        from hinted import App, Depends

        app = App(title="Chat")

        def build() -> App:
            return App()
        """,
    )


def test_string_annotations_naming_fastapi_are_renamed() -> None:
    converts(
        """\
        from fastapi import FastAPI
        def build() -> "FastAPI": ...
        """,
        """\
        from hinted import App
        def build() -> "App": ...
        """,
    )


def test_a_local_name_fastapi_is_not_the_import() -> None:
    converts(
        """\
        from fastapi import FastAPI
        app = FastAPI()
        def describe(FastAPI: str) -> str:
            return FastAPI
        """,
        """\
        from hinted import App
        app = App()
        def describe(FastAPI: str) -> str:
            return FastAPI
        """,
    )


def test_fastapi_as_alias_keeps_the_alias() -> None:
    converts(
        """\
        from fastapi import FastAPI as Framework
        app = Framework()
        """,
        """\
        from hinted import App as Framework
        app = Framework()
        """,
    )


def test_app_already_taken_keeps_the_old_name() -> None:
    converts(
        """\
        from fastapi import FastAPI
        from myproject import App
        app = FastAPI()
        """,
        """\
        from hinted import App as FastAPI
        from myproject import App
        app = FastAPI()
        """,
    )


def test_submodules() -> None:
    converts(
        """\
        from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
        from fastapi.testclient import TestClient
        from fastapi.middleware.cors import CORSMiddleware
        from fastapi.responses import JSONResponse as JSON
        from fastapi.applications import FastAPI
        """,
        """\
        from hinted.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
        from hinted.testclient import TestClient
        from hinted.middleware.cors import CORSMiddleware
        from hinted.responses import JSONResponse as JSON
        from hinted.app import App
        """,
    )


def test_formatting_and_comments_are_kept() -> None:
    converts(
        """\
        # The app.
        from fastapi import (  # the framework
            Depends,   # injection
            FastAPI,
        )
        app = FastAPI(  # here
            title = "odd   spacing" ,
        )
        """,
        """\
        # The app.
        from hinted import (  # the framework
            Depends,   # injection
            App,
        )
        app = App(  # here
            title = "odd   spacing" ,
        )
        """,
    )


def test_a_submodule_imported_by_name() -> None:
    converts("from fastapi import status, Query\n", "from hinted import status, Query\n")


def test_star_import_is_converted_and_noted() -> None:
    code, findings = migrate("from fastapi.responses import *\nfrom fastapi import *\n")
    assert code == "from hinted.responses import *\nfrom hinted import *\n"
    assert findings == ["app.py:2: star import: FastAPI is called App in hinted"]


# -- plain imports ---------------------------------------------------------------------------


def test_import_fastapi_and_its_attributes() -> None:
    converts(
        """\
        import fastapi
        app = fastapi.FastAPI()
        router = fastapi.APIRouter()
        code = fastapi.status.HTTP_200_OK
        """,
        """\
        import hinted
        app = hinted.App()
        router = hinted.APIRouter()
        code = hinted.status.HTTP_200_OK
        """,
    )


def test_import_fastapi_as_alias() -> None:
    converts(
        "import fastapi as fa\napp = fa.FastAPI()\n",
        "import hinted as fa\napp = fa.App()\n",
    )


def test_import_dotted_submodule() -> None:
    converts(
        """\
        import os, fastapi.responses
        response = fastapi.responses.JSONResponse({})
        """,
        """\
        import os, hinted.responses
        response = hinted.responses.JSONResponse({})
        """,
    )


def test_import_dotted_submodule_as_alias() -> None:
    converts(
        "import fastapi.security as sec\nscheme = sec.HTTPBearer()\n",
        "import hinted.security as sec\nscheme = sec.HTTPBearer()\n",
    )


# -- left alone ------------------------------------------------------------------------------


def test_starlette_and_lookalikes_are_left_alone() -> None:
    source = dedent(
        """\
        from starlette.requests import Request
        from starlette.middleware.gzip import GZipMiddleware
        import fastapi_users
        from fastapi_pagination import Page
        from .fastapi import helpers
        text = "fastapi.FastAPI"
        """
    )
    code, findings = migrate(source)
    assert (code, findings) == (source, [])


def test_unchanged_source_is_returned_as_is() -> None:
    source = b"x = 1\r\n# no imports\r\n"
    assert migrate_source(source) == (source, [])


def test_line_endings_are_kept() -> None:
    code, _ = migrate_source(b"from fastapi import FastAPI\r\napp = FastAPI()\r\n")
    assert code == b"from hinted import App\r\napp = App()\r\n"


# -- the report ------------------------------------------------------------------------------


def test_a_name_hinted_lacks_stays_on_a_fastapi_import() -> None:
    code, findings = migrate(
        """\
        from fastapi import FastAPI, Depends, NotAThing
        app = FastAPI()
        """
    )
    assert code == dedent(
        """\
        from hinted import App, Depends
        from fastapi import NotAThing
        app = App()
        """
    )
    assert findings == ["app.py:1: fastapi.NotAThing is not converted: hinted has no NotAThing"]


def test_split_inside_parentheses_and_indented_blocks() -> None:
    code, findings = migrate(
        """\
        try:
            from fastapi import (
                Depends,
                NotAThing,
            )
        except ImportError:
            pass
        """
    )
    assert code == dedent(
        """\
        try:
            from hinted import (
                Depends,
            )
            from fastapi import (
                NotAThing,
            )
        except ImportError:
            pass
        """
    )
    assert len(findings) == 1


def test_a_module_hinted_lacks_is_left_and_reported() -> None:
    source = "from fastapi.dependencies.utils import solve_dependencies\nimport fastapi.utils\n"
    code, findings = migrate(source)
    assert code == source
    assert findings == [
        "app.py:1: from fastapi.dependencies.utils import ... is not converted: "
        "hinted has no module hinted.dependencies.utils",
        "app.py:2: import fastapi.utils is not converted: hinted has no module hinted.utils",
    ]


def test_an_attribute_hinted_lacks_is_reported() -> None:
    code, findings = migrate("import fastapi\nlogger = fastapi.logger\n")
    assert code == "import hinted\nlogger = hinted.logger\n"
    assert findings == [
        "app.py:2: fastapi.logger has no counterpart: hinted has no logger",
    ]


def test_dynamic_imports_are_reported() -> None:
    source = dedent(
        """\
        import importlib
        responses = importlib.import_module("fastapi.responses")
        fastapi = __import__("fastapi")
        other = importlib.import_module(name)
        """
    )
    code, findings = migrate(source)
    assert code == source
    assert findings == [
        "app.py:2: dynamic import of 'fastapi.responses' is not converted",
        "app.py:3: dynamic import of 'fastapi' is not converted",
    ]


def test_finding_format() -> None:
    assert str(Finding("src/app.py", 12, "why")) == "src/app.py:12: why"


# -- the command ----------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n")
    (tmp_path / "legacy.py").write_text("from fastapi.utils import generate_unique_id\n")
    (tmp_path / "plain.py").write_text("print('hello')\n")
    (tmp_path / "broken.py").write_text("def (:\n")
    venv = tmp_path / ".venv" / "lib"
    venv.mkdir(parents=True)
    (venv / "fastapi.py").write_text("from fastapi import FastAPI\n")
    return tmp_path


def report(paths: list[Path], **options: bool) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run(paths, out=out, **options)
    return code, out.getvalue().splitlines()


def test_report_rewrites_and_lists_what_is_left(project: Path) -> None:
    code, lines = report([project])
    assert code == 1
    assert lines == [
        f"rewrote {project / 'app.py'}",
        f"{project / 'broken.py'}:1: not converted: cannot parse: parser error: "
        "error at 1:5: expected NAME",
        f"{project / 'legacy.py'}:1: from fastapi.utils import ... is not converted: "
        "hinted has no module hinted.utils",
        "1 of 4 files rewritten; 2 things left to convert by hand",
    ]
    assert (project / "app.py").read_text() == "from hinted import App\napp = App()\n"
    assert (project / ".venv" / "lib" / "fastapi.py").read_text().startswith("from fastapi")


def test_check_writes_nothing_and_fails_when_a_file_would_change(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("from fastapi import FastAPI\n")
    code, lines = report([tmp_path], check=True)
    assert code == 1
    assert lines == [
        f"would rewrite {tmp_path / 'app.py'}",
        "1 of 1 files to rewrite; 0 things left to convert by hand",
    ]
    assert (tmp_path / "app.py").read_text() == "from fastapi import FastAPI\n"
    (tmp_path / "app.py").write_text("from hinted import App\n")
    assert report([tmp_path], check=True)[0] == 0


def test_diff_prints_a_unified_diff(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("from fastapi import FastAPI\n")
    code, lines = report([path], diff=True)
    assert code == 0
    assert lines[:5] == [
        f"--- a/{path}",
        f"+++ b/{path}",
        "@@ -1 +1 @@",
        "-from fastapi import FastAPI",
        "+from hinted import App",
    ]
    assert path.read_text() == "from fastapi import FastAPI\n"


def test_missing_path(tmp_path: Path) -> None:
    assert report([tmp_path / "nowhere"])[0] == 2


def test_the_hinted_command_has_migrate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "app.py").write_text("import fastapi\n")
    assert hinted_main(["migrate", "--check", str(tmp_path)]) == 1
    assert "would rewrite" in capsys.readouterr().out
    assert hinted_main(["migrate", str(tmp_path)]) == 0
    assert (tmp_path / "app.py").read_text() == "import hinted\n"
