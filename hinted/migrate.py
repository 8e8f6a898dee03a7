"""``hinted migrate PATH``: turn a FastAPI project's imports into hinted's.

```
hinted migrate src/            # rewrite the files in place, then report
hinted migrate src/ --diff     # print what would change, write nothing
hinted migrate src/ --check    # write nothing; exit 1 when something would change
```

The rules, applied to every ``.py`` file under PATH (virtualenvs, ``.git`` and build
folders skipped):

* ``from fastapi import FastAPI, Depends`` -> ``from hinted import App, Depends``, and
  the module's uses of ``FastAPI`` become ``App`` (``App as FastAPI`` when ``App`` is
  already taken there); ``from fastapi import FastAPI as X`` -> ``from hinted import App as X``;
* ``from fastapi.<sub> import ...`` -> ``from hinted.<sub> import ...``
  (``fastapi.applications`` -> ``hinted.app``);
* ``import fastapi`` / ``import fastapi.<sub>`` / ``import fastapi as fa`` -> the same
  with ``hinted``, and the attribute reads through them (``fastapi.FastAPI(...)`` ->
  ``hinted.App(...)``);
* Starlette imports, and everything that is not an import, are left as they are.

Anything hinted has no counterpart for (a name missing from the hinted module's
``__all__``, a module hinted does not have) stays on a ``fastapi`` import and is
reported as ``path:line: message``, as are dynamic imports (``importlib.import_module``
or ``__import__`` of a ``fastapi`` module). The exit code is 1 when something was
reported, or with ``--check`` when a file would change; else 0.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import importlib
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

__all__ = ["FileMigration", "Finding", "main", "migrate_file", "migrate_paths", "migrate_source"]

_SKIPPED_FOLDERS = frozenset(
    {".git", ".hg", ".venv", "venv", "env", "__pycache__", "node_modules", "build", "dist"}
)


@dataclass(frozen=True)
class Finding:
    """Something ``hinted migrate`` left for a person: where it is and why."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class FileMigration:
    """One file's outcome: its text before and after, and what was left unconverted."""

    path: Path
    before: bytes
    after: bytes
    findings: list[Finding] = field(default_factory=list[Finding])

    @property
    def changed(self) -> bool:
        """True when the rewrite changed the file."""
        return self.before != self.after

    def diff(self, display_path: str | None = None) -> str:
        """A unified diff of the change (empty when nothing changed)."""
        name = display_path or str(self.path)
        before = self.before.decode("utf-8", "replace").splitlines(keepends=True)
        after = self.after.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))


# -- what hinted has -----------------------------------------------------------------------


@functools.cache
def _module_problem(module: str) -> str | None:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and not exc.name.startswith("hinted"):
            return f"{module} needs {exc.name}, which is not installed"
        return f"hinted has no module {module}"
    except ImportError as exc:
        return f"{module} cannot be imported: {exc}"
    return None


@functools.cache
def _public_names(module: str) -> frozenset[str]:
    imported = importlib.import_module(module)
    names = getattr(imported, "__all__", None)
    if names is None:
        names = [name for name in vars(imported) if not name.startswith("_")]
    return frozenset(names)


def _name_problem(module: str, name: str) -> str | None:
    if name in _public_names(module):
        return None
    if _module_problem(f"{module}.{name}") is None:
        return None  # a submodule: `from fastapi import responses`
    return f"{module} has no {name}"


# -- rewriting -------------------------------------------------------------------------------


def migrate_source(source: bytes | str, path: str = "<source>") -> tuple[bytes, list[Finding]]:
    """``source`` with its FastAPI imports rewritten, and the findings about it.

    ```python
    code, findings = migrate_source("from fastapi import FastAPI\\napp = FastAPI()\\n")
    assert code == b"from hinted import App\\napp = App()\\n"
    ```
    """
    from hinted._import_rewriter import rewrite_imports

    data = source.encode() if isinstance(source, str) else source
    code, found = rewrite_imports(data, _module_problem, _name_problem)
    return code, [Finding(path, item.line, item.message) for item in found]


def migrate_file(path: Path, *, display_path: str | None = None) -> FileMigration:
    """Rewrite one file in memory (nothing is written)."""
    import libcst

    before = path.read_bytes()
    shown = display_path or str(path)
    try:
        after, findings = migrate_source(before, shown)
    except libcst.ParserSyntaxError as exc:
        problem = Finding(shown, exc.raw_line, f"not converted: cannot parse: {exc.message}")
        return FileMigration(path, before, before, [problem])
    return FileMigration(path, before, after, findings)


def python_files(root: Path) -> Iterator[Path]:
    """``root`` itself when it is a file, else the ``.py`` files below it, sorted."""
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).parts[:-1]
        if any(part in _SKIPPED_FOLDERS or part.startswith(".") for part in relative):
            continue
        if "site-packages" in relative:
            continue
        yield path


def migrate_paths(paths: Sequence[Path]) -> list[FileMigration]:
    """Every Python file under ``paths``, rewritten in memory."""
    results: list[FileMigration] = []
    for root in paths:
        for path in python_files(root):
            results.append(migrate_file(path))
    return results


# -- the command ------------------------------------------------------------------------------


def run(
    paths: Sequence[Path], *, check: bool = False, diff: bool = False, out: TextIO | None = None
) -> int:
    """Migrate ``paths``, print the report to ``out``; the command's exit code."""
    stream = out or sys.stdout
    missing = [path for path in paths if not path.exists()]
    if missing:
        print(f"error: no such file or directory: {missing[0]}", file=stream)
        return 2
    results = migrate_paths(paths)
    write = not (check or diff)
    changed = [result for result in results if result.changed]
    for result in changed:
        if diff:
            stream.write(result.diff())
        if write:
            result.path.write_bytes(result.after)
        print(f"{'rewrote' if write else 'would rewrite'} {result.path}", file=stream)
    findings = [finding for result in results for finding in result.findings]
    for finding in findings:
        print(finding, file=stream)
    verb = "rewritten" if write else "to rewrite"
    print(
        f"{len(changed)} of {len(results)} files {verb}; "
        f"{len(findings)} {'thing' if len(findings) == 1 else 'things'} left to convert by hand",
        file=stream,
    )
    return 1 if findings or (check and changed) else 0


def _command(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("libcst") is None:
        print("error: hinted migrate needs libcst: pip install 'hinted[migrate]'", file=sys.stderr)
        return 2
    paths: list[Path] = args.paths
    return run(paths, check=args.check, diff=args.diff)


def register(commands: Any) -> None:
    """Add the ``migrate`` subcommand to the ``hinted`` command's subparsers."""
    parser = commands.add_parser(
        "migrate",
        help="rewrite a FastAPI project's imports to hinted",
        description="Rewrite fastapi imports to hinted (FastAPI -> App) and report "
        "what could not be converted, as path:line: message.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file would change"
    )
    parser.add_argument("--diff", action="store_true", help="print a diff; write nothing")
    parser.set_defaults(handler=_command)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m hinted.migrate PATH``: the same as ``hinted migrate PATH``."""
    parser = argparse.ArgumentParser(prog="hinted")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["migrate", *(sys.argv[1:] if argv is None else argv)])
    return _command(args)


if __name__ == "__main__":
    raise SystemExit(main())
