"""The documentation site: ``mkdocs build --strict`` passes, lists every page, stays offline.

* every ``docs/**/*.md`` page is in mkdocs.yml's ``nav`` (checked without building, so a
  new page that was not added fails with its name and where to add it);
* the site builds with ``--strict`` (broken links, missing anchors, pages missing from
  the nav and API-reference problems are all errors);
* no built page loads a script, stylesheet, font, image or frame from another host:
  only ``<a href="https://...">`` hyperlinks in the prose may point outside;
* the benchmark charts of ``benchmarks/results/`` are on the benchmarks page (through
  the build hook in scripts/mkdocs_hooks.py, without a copy in docs/).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"
RESULTS = ROOT / "benchmarks" / "results"
BUILD_TIMEOUT = 100  # seconds; the build takes ~5 s of CPU, more wall time on a busy machine


def load_config() -> dict[str, Any]:
    # mkdocs.yml uses no custom YAML tags, so the safe loader reads it.
    config: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return config


def nav_pages(entry: Any) -> Iterator[str]:
    if isinstance(entry, str):
        if not re.match(r"^[a-z][a-z0-9+.-]*://", entry):
            yield entry
    elif isinstance(entry, list):
        for item in entry:
            yield from nav_pages(item)
    elif isinstance(entry, dict):
        for value in entry.values():
            yield from nav_pages(value)


def test_every_page_is_in_the_nav() -> None:
    listed = list(nav_pages(load_config()["nav"]))
    pages = sorted(str(p.relative_to(DOCS).as_posix()) for p in DOCS.rglob("*.md"))
    missing = [page for page in pages if page not in listed]
    hint = {
        "tutorial": "Tutorial",
        "guide": "Guide",
        "reference": "API reference",
    }
    assert not missing, "pages missing from mkdocs.yml's nav:\n" + "\n".join(
        f"  docs/{page}: add `- {page}` under "
        + (f"`{hint[page.split('/')[0]]}:`" if page.split("/")[0] in hint else "the top level")
        for page in missing
    )
    assert sorted(set(listed)) == sorted(listed), "a page is listed twice in the nav"
    gone = [page for page in listed if not (DOCS / page).is_file()]
    assert not gone, f"the nav lists pages that do not exist: {gone}"


def test_the_site_is_offline_by_configuration() -> None:
    config = load_config()
    assert config["theme"]["name"] == "material"
    assert config["theme"]["font"] is False, "theme.font must stay false (no Google Fonts)"
    extra = config.get("extra") or {}
    assert "analytics" not in extra, "no analytics"
    for key in ("extra_javascript", "extra_css"):
        for url in config.get(key) or []:
            assert "://" not in str(url), f"{key}: {url} is not local"
    plugins = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "search" in plugins
    handler = config["plugins"][plugins.index("mkdocstrings")]["mkdocstrings"]
    for options in handler["handlers"].values():
        assert not options.get("inventories"), "inventories are fetched over the network"


# -- the build ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    command += ["--config-file", str(CONFIG), "--site-dir", str(out)]
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"mkdocs build took over {BUILD_TIMEOUT} s")
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return out


@pytest.mark.timeout(BUILD_TIMEOUT + 30)
def test_the_site_builds_strictly(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()
    for page in DOCS.rglob("*.md"):
        relative = page.relative_to(DOCS).with_suffix("")
        folder = relative.parent if relative.name == "index" else relative
        assert (site / folder / "index.html").is_file(), f"docs/{relative}.md was not built"


class ExternalResources(HTMLParser):
    """Every resource a page would fetch from another host (hyperlinks excepted)."""

    LOADS: ClassVar[dict[str, tuple[str, ...]]] = {
        "script": ("src",),
        "link": ("href",),
        "img": ("src", "srcset"),
        "iframe": ("src",),
        "source": ("src", "srcset"),
        "video": ("src", "poster"),
        "audio": ("src",),
        "embed": ("src",),
        "object": ("data",),
    }

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and "canonical" in (values.get("rel") or "").split():
            return  # names the page, loads nothing (unset: site_url is not configured)
        for name in self.LOADS.get(tag, ()):
            value = values.get(name) or ""
            if re.search(r"(^|[\s,])(https?:)?//", value):
                self.found.append(f"<{tag} {name}={value!r}>")
        style = values.get("style") or ""
        if re.search(r"url\(\s*['\"]?(https?:)?//", style):
            self.found.append(f"<{tag} style={style!r}>")


CSS_REMOTE = re.compile(r"(@import\s+(url\()?\s*['\"]?|url\(\s*['\"]?)(https?:)?//", re.I)


@pytest.mark.timeout(BUILD_TIMEOUT + 30)
def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = ExternalResources()
        text = page.read_text(encoding="utf-8")
        parser.feed(text)
        problems += [f"{page.relative_to(site)}: {found}" for found in parser.found]
        for style in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S | re.I):
            if CSS_REMOTE.search(style):
                problems.append(f"{page.relative_to(site)}: <style> imports a remote file")
    for sheet in sorted(site.rglob("*.css")):
        if CSS_REMOTE.search(sheet.read_text(encoding="utf-8")):
            problems.append(f"{sheet.relative_to(site)} loads a remote file")
    assert problems == []


def test_the_scanner_tells_hyperlinks_from_resources() -> None:
    parser = ExternalResources()
    parser.feed(
        '<a href="https://example.org/">prose</a><link rel="stylesheet" href="https://cdn/x.css">'
        '<script src="//cdn/x.js"></script><script src="../assets/x.js"></script>'
        '<img src="assets/benchmarks/a.png"><link rel="canonical" href="https://site/">'
    )
    assert parser.found == [
        "<link href='https://cdn/x.css'>",
        "<script src='//cdn/x.js'>",
    ]


@pytest.mark.timeout(BUILD_TIMEOUT + 30)
def test_the_benchmark_charts_are_on_the_benchmarks_page(site: Path) -> None:
    page = (site / "benchmarks" / "index.html").read_text(encoding="utf-8")
    assert "<!-- benchmark-results -->" not in page
    assert 'id="regenerating-the-results"' in page
    charts = sorted(RESULTS.glob("*.png")) if RESULTS.is_dir() else []
    for chart in charts:
        built = site / "assets" / "benchmarks" / chart.name
        assert built.read_bytes() == chart.read_bytes()
        assert f'src="../assets/benchmarks/{chart.name}"' in page
    if not charts:
        assert "No results yet" in page
    assert not (DOCS / "assets" / "benchmarks").exists(), "the charts are not copied into docs/"


# -- the hook on its own ------------------------------------------------------------------


def load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts/mkdocs_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hook_without_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = load_hooks()
    monkeypatch.setattr(hooks, "RESULTS", tmp_path / "missing")
    assert hooks.results_markdown().startswith("No results yet")


def test_hook_tables_and_unknown_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = load_hooks()
    monkeypatch.setattr(hooks, "RESULTS", tmp_path)
    cell = {"median_us": 11.5, "min_us": 10.2, "max_us": 12.2}
    inprocess = {
        "suite": "inprocess",
        "command": "python -m benchmarks.run --json x",
        "settings": {"clock": "cpu"},
        "frameworks": ["hinted", "fastapi"],
        "scenarios": ["hello"],
        "results": {"hinted": {"hello": cell}, "fastapi": {"hello": {"error": "boom"}}},
    }
    (tmp_path / "inprocess.json").write_text(json.dumps(inprocess))
    (tmp_path / "inprocess.png").write_bytes(b"png")
    (tmp_path / "fanout.json").write_text(json.dumps({"suite": "fanout"}))
    (tmp_path / "fanout-memory.png").write_bytes(b"png")
    (tmp_path / "stray.png").write_bytes(b"png")
    text = hooks.results_markdown()
    assert "| `hello` | 11.5 (10.2-12.2) | failed |" in text
    assert "made by `python -m benchmarks.run --json x`" in text
    assert text.index("![inprocess]") < text.index("![fanout-memory]") < text.index("![stray]")
    assert "The numbers are in `benchmarks/results/fanout.json`." in text


def test_sphinx_roles_become_code() -> None:
    hooks = load_hooks()
    text = "See :class:`Limits`, :meth:`~hinted.App.include_router` and :mod:`hinted.logging`."
    assert hooks.ROLE.sub(hooks._role, text) == (
        "See `Limits`, `include_router` and `hinted.logging`."
    )
