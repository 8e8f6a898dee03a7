"""Turn benchmark results into tables: us/request, requests/s and hinted's speed ratios."""

import statistics
from dataclasses import dataclass, field


@dataclass
class Cell:
    """One framework x scenario: the median us/request of each repeat, or an error."""

    repeats: list[float] = field(default_factory=list)
    error: str | None = None
    batch: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.repeats)

    @property
    def median(self) -> float:
        return statistics.median(self.repeats)

    def as_dict(self) -> dict:
        if not self.ok:
            return {"error": self.error or "not measured"}
        return {
            "median_us": round(self.median, 3),
            "min_us": round(min(self.repeats), 3),
            "max_us": round(max(self.repeats), 3),
            "requests_per_s": round(1e6 / self.median),
            "repeats_us": [round(value, 3) for value in self.repeats],
            "batch": self.batch,
        }


def short_error(error: str | None) -> str:
    return (error or "not measured").split(":", 1)[0]


def us(value: float) -> str:
    return f"{value:.3g}" if value < 1000 else f"{value:.0f}"


def rate(value: float) -> str:
    return f"{value / 1000:.3g}k" if value >= 1000 else f"{value:.0f}"


def ratio(hinted: Cell, peer: Cell) -> str:
    if not (hinted.ok and peer.ok):
        return "n/a"
    factor = peer.median / hinted.median
    if factor >= 1:
        return f"{factor:.1f}x faster"
    return f"{1 / factor:.1f}x slower"


def render(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = [header, ["---"] * len(header), *rows]
        return "\n".join("| " + " | ".join(line) + " |" for line in lines)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def tables(
    cells: dict, frameworks: list[str], scenarios: list[str], markdown: bool, clock: str = "wall"
) -> str:
    """All tables plus the list of failures, as one printable string."""

    def cell_text(cell: Cell, show) -> str:
        return show(cell) if cell.ok else short_error(cell.error).upper()

    def spread(cell: Cell) -> str:
        return f"{us(cell.median)} ({us(min(cell.repeats))}-{us(max(cell.repeats))})"

    def grid(show) -> list[list[str]]:
        return [
            [name, *(cell_text(cells[fw, name], show) for fw in frameworks)] for name in scenarios
        ]

    out = [
        f"us/request ({clock} clock): median over repeats (min-max); lower is better",
        render(["scenario", *frameworks], grid(spread), markdown),
        "",
        "requests/s (median)",
        render(["scenario", *frameworks], grid(lambda c: rate(1e6 / c.median)), markdown),
    ]
    peers = [fw for fw in frameworks if fw != "hinted"]
    if "hinted" in frameworks and peers:
        rows = [
            [name, *(ratio(cells["hinted", name], cells[fw, name]) for fw in peers)]
            for name in scenarios
        ]
        out += ["", "hinted vs each peer", render(["scenario", *peers], rows, markdown)]
    failures = []
    for fw in frameworks:
        errors = {name: cells[fw, name].error for name in scenarios if not cells[fw, name].ok}
        if len(errors) == len(scenarios) and len(set(errors.values())) == 1:
            failures.append(f"- {fw}: {errors[scenarios[0]]}")
        else:
            failures += [f"- {fw} / {name}: {error}" for name, error in errors.items()]
    if failures:
        out += ["", "failures:", *failures]
    return "\n".join(out)
