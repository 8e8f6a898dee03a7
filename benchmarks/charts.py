"""Render the benchmark result files as PNG charts: ``python -m benchmarks.charts FILE...``.

Each JSON file written by ``benchmarks.run``, ``benchmarks.e2e`` or ``benchmarks.startup``
(``--json``) becomes one chart per table, named after the file: ``inprocess.json`` ->
``inprocess.png``, ``e2e.json`` -> ``e2e-uvicorn.png`` and ``e2e-granian.png``,
``startup.json`` -> ``startup.png``.  Every chart shows the median of the repeats as a
bar and the lowest and highest repeat as a whisker, and carries its units, the machine,
the date and the load the machine was under.  The run commands take ``--charts DIR``
to do the same right after measuring.
"""

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

RESULTS = Path(__file__).resolve().parent / "results"
COLOURS = {
    "hinted": "#d62728",
    "fastapi": "#1f9e89",
    "litestar": "#e8a33d",
    "starlette": "#6a51a3",
    "blacksheep": "#3b6fb6",
    "raw": "#8c8c8c",
}
SCENARIO_LABELS = {
    "hello": "hello\nGET constant JSON",
    "validation": "validation\npath + query",
    "body": "body\nPOST JSON, 201",
    "invalid_body": "invalid_body\nPOST -> 422",
    "dependencies": "dependencies\nDepends chain x3",
    "routing": "routing\n101st route",
    "upload": "upload\nmultipart, 16 KiB file",
    "ws_echo": "ws_echo\nWebSocket, 3 echoes",
}


def colour(name: str) -> str:
    return COLOURS.get(name, "#444444")


def number(value: float) -> str:
    if value >= 10000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2g}"


def footer(fig, result: dict, extra: str = "") -> None:
    machine = result.get("machine", {})
    load = result.get("load_average", {})
    first = (
        f"{machine.get('summary', 'machine not recorded')}; {machine.get('date', 'date unknown')}"
    )
    if machine.get("revision"):
        first += f"; hinted at {machine['revision']}"
    lines = [first]
    if load:
        lines.append(
            f"load average (1, 5, 15 min) {load.get('before')} before, {load.get('after')} after"
            + (f"; {extra}" if extra else "")
        )
    elif extra:
        lines.append(extra)
    if result.get("command"):
        lines.append(f"$ {result['command']}")
    fig.text(0.01, 0.005, "\n".join(lines), fontsize=7.5, color="#444444", va="bottom")


def grouped_bars(ax, groups, series, values, *, log=False, label_bars=True) -> None:
    """Bars per (group, series): ``values[series][group]`` = (median, low, high) or None."""
    width = 0.8 / max(len(series), 1)
    for index, name in enumerate(series):
        xs, heights, lows, highs, missing = [], [], [], [], []
        for position, group in enumerate(groups):
            x = position - 0.4 + width * (index + 0.5)
            cell = values[name].get(group)
            if cell is None:
                missing.append(x)
                continue
            median, low, high = cell
            xs.append(x)
            heights.append(median)
            lows.append(max(median - low, 0))
            highs.append(max(high - median, 0))
        edge = "black" if name == "hinted" else "none"
        ax.bar(xs, heights, width * 0.92, color=colour(name), label=name, edgecolor=edge,
               linewidth=0.8, yerr=[lows, highs], error_kw={"elinewidth": 0.8, "capsize": 1.5,
               "ecolor": "#222222"})  # fmt: skip
        if label_bars:
            for x, height, high in zip(xs, heights, highs, strict=True):
                ax.annotate(number(height), (x, height + high), xytext=(0, 4),
                            textcoords="offset points", ha="center", va="bottom",
                            fontsize=6.5, rotation=90)  # fmt: skip
        for x in missing:
            ax.annotate("n/a", (x, 0), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=6.5, rotation=90)  # fmt: skip
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([SCENARIO_LABELS.get(group, group) for group in groups], fontsize=8)
    ax.set_xlim(-0.55, len(groups) - 0.45)
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.margins(y=0.18)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def headroom(ax, log: bool) -> None:
    """Leave room above the tallest bar for its rotated value label."""
    low, high = ax.get_ylim()
    ax.set_ylim(low, high * (2.2 if log else 1.12))


def inprocess_chart(result: dict, out: Path, stem: str) -> list[Path]:
    frameworks = result.get("frameworks") or list(result["results"])
    scenarios = result.get("scenarios") or list(next(iter(result["results"].values())))
    values = {
        fw: {
            name: (cell["median_us"], cell["min_us"], cell["max_us"])
            for name, cell in result["results"][fw].items()
            if "median_us" in cell
        }
        for fw in frameworks
    }
    settings = result.get("settings", {})
    fig, ax = plt.subplots(figsize=(12, 6.2))
    grouped_bars(ax, scenarios, frameworks, values, log=True)
    headroom(ax, True)
    ax.set_ylabel(f"µs per request ({settings.get('clock', 'wall')} clock), log scale")
    ax.set_title(
        "In-process (ASGI calls, no server): time per request, lower is better\n"
        f"median of {settings.get('repeats', '?')} repeats x {settings.get('seconds', '?')} s, "
        "whiskers: lowest and highest repeat",
        fontsize=11,
    )
    ax.legend(ncol=len(frameworks), fontsize=8, loc="upper left", frameon=False)
    footer(fig, result, versions_text(result))
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return [save(fig, out / f"{stem}.png")]


def versions_text(result: dict) -> str:
    versions = result.get("versions", {})
    keep = ["hinted", "fastapi", "litestar", "starlette", "blacksheep", "pydantic", "uvicorn"]
    keep += ["granian"]
    return ", ".join(f"{k} {versions[k]}" for k in keep if k in versions)


def e2e_charts(result: dict, out: Path, stem: str) -> list[Path]:
    paths = []
    settings = result.get("settings", {})
    frameworks = result["frameworks"]
    scenarios = result["scenarios"]
    for server, by_fw in result["results"].items():
        panels = [
            ("rps", "requests/s, higher is better", False),
            ("cpu_us", "server CPU µs per request, lower is better", False),
            ("p99_ms", "p99 latency (ms), lower is better", True),
        ]
        fig, axes = plt.subplots(3, 1, figsize=(12, 13))
        loads = [
            value
            for cells in by_fw.values()
            for cell in cells.values()
            for value in cell.get("other_load_server_core", [])
            if value is not None
        ]
        for ax, (key, label, log) in zip(axes, panels, strict=True):
            values = {
                fw: {
                    name: (cell[key]["median"], cell[key]["min"], cell[key]["max"])
                    for name, cell in by_fw[fw].items()
                    if key in cell
                }
                for fw in frameworks
            }
            grouped_bars(ax, scenarios, frameworks, values, log=log)
            headroom(ax, log)
            ax.set_ylabel(label, fontsize=9)
        axes[0].legend(ncol=len(frameworks), fontsize=8, loc="upper right", frameon=False)
        load_text = ""
        if loads:
            loads.sort()
            load_text = (
                f"other processes used the server's core {loads[len(loads) // 2]:.0%} of the "
                f"time (median run), up to {loads[-1]:.0%}"
            )
        fig.suptitle(
            f"End to end behind {server} (1 worker, pinned to one core), wrk on another core, "
            f"{settings.get('connections', '?')} connections\n"
            f"median of {settings.get('rounds_done', settings.get('repeats', '?'))} rounds x "
            f"{settings.get('duration', '?')} s, whiskers: lowest and highest round",
            fontsize=11,
        )
        footer(fig, result, load_text)
        fig.text(0.01, 0.058, versions_text(result), fontsize=7.5, color="#444444")
        fig.tight_layout(rect=(0, 0.07, 1, 0.96))
        paths.append(save(fig, out / f"{stem}-{server}.png"))
    return paths


def startup_chart(result: dict, out: Path, stem: str) -> list[Path]:
    metrics = [(key, label) for key, label in result["metrics"].items()]
    frameworks = list(result["results"])
    metrics = [
        (k, label) for k, label in metrics if all(k in result["results"][fw] for fw in frameworks)
    ]
    if not metrics:
        return []
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.0 * len(metrics) + 1, 5.2), squeeze=False)
    for ax, (key, label) in zip(axes[0], metrics, strict=True):
        for index, fw in enumerate(frameworks):
            cell = result["results"][fw][key]
            wall = cell["wall"]
            ax.bar(index, wall["median"], 0.6, color=colour(fw),
                   yerr=[[wall["median"] - wall["min"]], [wall["max"] - wall["median"]]],
                   error_kw={"elinewidth": 0.8, "capsize": 3},
                   edgecolor="black" if fw == "hinted" else "none", linewidth=0.8)  # fmt: skip
            ax.annotate(number(wall["median"]), (index + 0.31, wall["median"]), xytext=(3, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=8.5,
                        fontweight="bold")  # fmt: skip
            if "cpu" in cell:
                cpu = cell["cpu"]["median"]
                ax.bar(index, cpu, 0.6, color="black", alpha=0.28, hatch="///", linewidth=0)
                ax.annotate(f"CPU\n{number(cpu)}", (index, cpu / 2), ha="center", va="center",
                            fontsize=7.5, bbox={"boxstyle": "round,pad=0.2", "fc": "white",
                            "ec": "none", "alpha": 0.9})  # fmt: skip
        ax.set_xticks(range(len(frameworks)))
        ax.set_xticklabels(frameworks)
        ax.set_xlim(-0.5, len(frameworks) - 0.1)
        ax.set_title(label.replace(" (", "\n("), fontsize=9)
        ax.margins(y=0.15)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    settings = result.get("settings", {})
    fig.suptitle(
        "Startup and memory, hinted vs FastAPI; lower is better\n"
        f"median of {settings.get('repeats', '?')} fresh processes each, whiskers: lowest and "
        "highest; hatched: CPU time of the same runs (the rest is waiting for a core)",
        fontsize=11,
    )
    footer(fig, result, versions_text(result))
    fig.tight_layout(rect=(0, 0.09, 1, 0.95))
    return [save(fig, out / f"{stem}.png")]


def save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def suite_of(result: dict) -> str:
    if "suite" in result:
        return result["suite"]
    return "inprocess" if "clock" in result.get("settings", {}) else "unknown"


RENDERERS = {"inprocess": inprocess_chart, "e2e": e2e_charts, "startup": startup_chart}
TABLES_ONLY = {"graphql"}  # result files of suites drawn as tables, not charts


def render_result(result: dict, out: Path, stem: str) -> list[Path]:
    """Render one result (as loaded from JSON) into ``out``; return the PNG paths."""
    suite = suite_of(result)
    if suite not in RENDERERS:
        raise ValueError(f"not a benchmark result file (suite {suite!r})")
    return RENDERERS[suite](result, out, stem)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.charts", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, help="result JSON files")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"default {RESULTS}")
    args = parser.parse_args(argv)
    code = 0
    for file in args.files:
        try:
            result = json.loads(file.read_text())
            if suite_of(result) in TABLES_ONLY:
                print(f"{file}: no chart for the {suite_of(result)} suite (its tables say it)")
                continue
            for path in render_result(result, args.out, file.stem):
                print(path)
        except (OSError, ValueError, KeyError) as exc:
            print(f"{file}: {type(exc).__name__}: {exc}", file=sys.stderr)
            code = 1
    return code


if __name__ == "__main__":
    sys.exit(main())
