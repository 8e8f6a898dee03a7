"""MkDocs hooks (mkdocs.yml ``hooks:``): the benchmark results on docs/benchmarks.md.

The charts and JSON files that the benchmark suites write stay where they are, in
``benchmarks/results/``; nothing is copied into docs/ or committed twice:

* ``on_files`` adds every ``benchmarks/results/*.png`` to the site as
  ``assets/benchmarks/<name>.png`` (a generated file whose source is the PNG itself);
* ``on_page_markdown`` replaces the line ``<!-- benchmark-results -->`` of
  docs/benchmarks.md with, for each result file: the machine, date, load and command it
  records, its charts, and its numbers as tables (median, lowest-highest repeat).

So re-running a suite with ``--json benchmarks/results/NAME.json --charts
benchmarks/results`` and building again updates the page. A result file this hook does
not know how to tabulate is still shown with its charts.

Also here, for the API reference: ``SphinxRoles``, a griffe extension (mkdocs.yml,
``mkdocstrings`` handler ``extensions``) that shows the reStructuredText roles of
hinted's docstrings (``:class:`Limits```, ``:meth:`~App.include_router```) as inline
code, the way a reader of the source sees them, instead of as literal markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import griffe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PAGE = "benchmarks.md"
MARKER = "<!-- benchmark-results -->"
ASSETS = "assets/benchmarks"
SUITES = {
    "inprocess": "In-process",
    "e2e": "End to end",
    "startup": "Startup and memory",
}


def charts() -> list[Path]:
    return sorted(RESULTS.glob("*.png")) if RESULTS.is_dir() else []


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for png in charts():
        files.append(File.generated(config, f"{ASSETS}/{png.name}", abs_src_path=str(png)))
    return files


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    if RESULTS.is_dir():
        server.watch(str(RESULTS))
    return server


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri != PAGE or MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, results_markdown())


# -- the API reference --------------------------------------------------------------------

ROLE = re.compile(r":(?:py:)?(?:class|meth|func|mod|attr|data|exc|obj|const):`~?([^`]+)`")


def _role(match: re.Match[str]) -> str:
    target = match.group(1)
    if match.group(0).split("`", 1)[1].startswith("~"):
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


class SphinxRoles(griffe.Extension):
    """``:role:`target``` in a docstring becomes ```target```; ``~a.b.c`` becomes ``c``."""

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if obj.docstring is not None and ":`" in obj.docstring.value:
            obj.docstring.value = ROLE.sub(_role, obj.docstring.value)


# -- the results section ------------------------------------------------------------------


def results_markdown() -> str:
    loaded: list[tuple[Path, dict[str, Any]]] = []
    if RESULTS.is_dir():
        for path in sorted(RESULTS.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                loaded.append((path, data))
    order = list(SUITES)
    loaded.sort(key=lambda item: (_rank(item[1], order), item[0].name))

    out: list[str] = []
    shown: set[str] = set()
    for path, data in loaded:
        pngs = [p for p in charts() if p.stem == path.stem or p.stem.startswith(path.stem + "-")]
        shown.update(p.name for p in pngs)
        out += section(path, data, pngs)
    rest = [p for p in charts() if p.name not in shown]
    if rest:
        out += ["### Other charts", ""]
        out += [image(p) for p in rest]
    if not out:
        return (
            "No results yet: `benchmarks/results/` holds no result file. Run the commands "
            "above and build the site again."
        )
    return "\n".join(out)


def _rank(data: dict[str, Any], order: list[str]) -> int:
    suite = data.get("suite")
    return order.index(suite) if suite in order else len(order)


def section(path: Path, data: dict[str, Any], pngs: list[Path]) -> list[str]:
    suite = str(data.get("suite", "unknown"))
    title = SUITES.get(suite, suite)
    out = [f"### {title}", "", *provenance(path, data), ""]
    try:
        tables = TABLES[suite](data, pngs) if suite in TABLES else None
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        tables = None
    if tables is None:
        out += [image(p) for p in pngs]
        out.append(f"The numbers are in `benchmarks/results/{path.name}`.")
        out.append("")
    else:
        out += tables
    return out


def provenance(path: Path, data: dict[str, Any]) -> list[str]:
    machine = data.get("machine") or {}
    load = data.get("load_average") or {}
    versions = data.get("versions") or {}
    facts = [f"`benchmarks/results/{path.name}`"]
    if machine.get("summary"):
        facts.append(str(machine["summary"]))
    if machine.get("date"):
        facts.append(str(machine["date"]))
    if machine.get("revision"):
        facts.append(f"hinted at `{machine['revision']}`")
    if load.get("before") is not None:
        before, after = (_loads(load.get(key)) for key in ("before", "after"))
        facts.append(f"load average (1, 5, 15 min) {before} before, {after} after")
    lines = ["- " + "; ".join(facts)]
    if versions:
        lines.append("- " + ", ".join(f"{name} {version}" for name, version in versions.items()))
    if data.get("command"):
        lines.append(f"- made by `{data['command']}`")
    return lines


def _loads(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def image(png: Path) -> str:
    return f"![{png.stem}]({ASSETS}/{png.name})\n"


def fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def spread(cell: dict[str, Any], median: str, low: str, high: str) -> str:
    return f"{fmt(cell[median])} ({fmt(cell[low])}-{fmt(cell[high])})"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def failed(cell: Any) -> str | None:
    if not isinstance(cell, dict):
        return "not measured"
    if "error" in cell:
        return "failed"
    return None


def inprocess_tables(data: dict[str, Any], pngs: list[Path]) -> list[str]:
    frameworks: list[str] = data["frameworks"]
    results = data["results"]
    clock = (data.get("settings") or {}).get("clock", "wall")
    rows = []
    for scenario in data["scenarios"]:
        row = [f"`{scenario}`"]
        for fw in frameworks:
            cell = results.get(fw, {}).get(scenario)
            row.append(failed(cell) or spread(cell, "median_us", "min_us", "max_us"))
        rows.append(row)
    out = [image(p) for p in pngs]
    out.append(
        f"Microseconds per request ({clock} clock), median over the repeats "
        "(lowest-highest); lower is better."
    )
    out.append("")
    return out + table(["scenario", *frameworks], rows)


def e2e_tables(data: dict[str, Any], pngs: list[Path]) -> list[str]:
    frameworks: list[str] = data["frameworks"]
    out: list[str] = []
    for server, by_framework in data["results"].items():
        out += [f"#### {server}", ""]
        out += [image(p) for p in pngs if p.stem.endswith("-" + server)]
        for key, what in (
            (
                "rps",
                "Requests per second, median over the rounds (lowest-highest); higher is better.",
            ),
            ("p99_ms", "p99 latency in milliseconds; lower is better."),
            ("cpu_us", "Server CPU time per request in microseconds; lower is better."),
        ):
            rows = []
            for scenario in data["scenarios"]:
                row = [f"`{scenario}`"]
                for fw in frameworks:
                    cell = by_framework.get(fw, {}).get(scenario)
                    row.append(failed(cell) or spread(cell[key], "median", "min", "max"))
                rows.append(row)
            out += [what, "", *table(["scenario", *frameworks], rows)]
    return out


def startup_tables(data: dict[str, Any], pngs: list[Path]) -> list[str]:
    results = data["results"]
    frameworks = list(results)
    metrics: dict[str, str] = data.get("metrics") or {}
    names = list(metrics) or sorted({name for fw in frameworks for name in results[fw]})
    rows = []
    for name in names:
        if not any(name in results[fw] for fw in frameworks):
            continue
        row = [metrics.get(name, name)]
        for fw in frameworks:
            clocks = results[fw].get(name)
            if not clocks:
                row.append("not measured")
                continue
            text = spread(clocks["wall"], "median", "min", "max")
            if "cpu" in clocks:
                text += f", CPU {fmt(clocks['cpu']['median'])}"
            row.append(text)
        rows.append(row)
    out = [image(p) for p in pngs]
    out.append(
        "Median over the repeats (lowest-highest), with the median CPU time where it "
        "applies; lower is better."
    )
    out.append("")
    out += table(["measurement", *frameworks], rows)
    failures = data.get("failures") or []
    if failures:
        out += ["Failures:", "", *(f"- `{failure}`" for failure in failures), ""]
    return out


TABLES = {"inprocess": inprocess_tables, "e2e": e2e_tables, "startup": startup_tables}
