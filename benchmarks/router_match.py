"""Micro-benchmark for hinted.routing.compiler: nanoseconds per ``match()`` call.

Run from the repository root::

    .venv/bin/python benchmarks/router_match.py

Prints timings only (no assertions; best of 7, CPU time): a static hit, a 2-parameter hit on a table
of 1,000 routes, a 404 and a 405.  For context it also times a Starlette-style
linear scan over the same templates' regexes (first match wins).
"""

from __future__ import annotations

import sys
import time
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from starlette.routing import compile_path

from hinted.routing.compiler import CompiledRouter, compile_routes

RESOURCES = 250  # x 4 templates = 1,000 routes


def build_table() -> list[tuple[str, list[str], str]]:
    """Return 1,000 (template, methods, endpoint) triples: 250 static, 750 dynamic."""
    routes: list[tuple[str, list[str], str]] = []
    for i in range(RESOURCES):
        base = f"/api/r{i}"
        routes.append((base, ["GET", "POST"], f"list_{i}"))
        routes.append((base + "/{id:int}", ["GET", "PUT"], f"get_{i}"))
        routes.append((base + "/{id:int}/items/{item_id}", ["GET"], f"item_{i}"))
        routes.append((base + "/{id:int}/items/{item_id}/tags", ["GET"], f"tags_{i}"))
    return routes


def linear_scan(routes: list[tuple[str, list[str], str]]) -> Any:
    """A Starlette-like baseline: try every route's regex in order."""
    table = [(compile_path(path)[0].match, set(methods), ep) for path, methods, ep in routes]

    def match(path: str, method: str) -> Any:
        partial = None
        for regex_match, methods, endpoint in table:
            m = regex_match(path)
            if m is not None:
                if method in methods:
                    return endpoint, m.groupdict()
                if partial is None:
                    partial = methods
        return partial

    return match


def bench(label: str, func: Any, path: str, method: str, number: int) -> None:
    """Time ``func(path, method)`` and print ns per call (best of 7 repeats).

    CPU time of this process (``time.process_time``), so that other processes competing
    for the CPU disturb the figures less than with wall-clock time.
    """
    timer = timeit.Timer(lambda: func(path, method), timer=time.process_time)
    best = min(timer.repeat(number=number, repeat=7))
    print(f"  {label:<28} {best / number * 1e9:8.0f} ns   {method} {path}")


def main() -> None:
    """Run the benchmark and print the results."""
    routes = build_table()
    router: CompiledRouter[str, None] = compile_routes(routes)
    cases = [
        ("static hit", "/api/r137", "GET"),
        ("2-param hit", "/api/r137/42/items/abc", "GET"),
        ("404 (no such path)", "/api/r137/42/nope", "GET"),
        ("405 (path ok, method not)", "/api/r137/42/items/abc", "DELETE"),
    ]
    assert router.match("/api/r137/42/items/abc", "GET") is not None  # sanity, not timing
    print(f"hinted compiled router, {len(routes)} routes:")
    for label, path, method in cases:
        bench(label, router.match, path, method, 200_000)
    scan = linear_scan(routes)
    print("baseline: linear regex scan (Starlette-style), same routes:")
    for label, path, method in cases:
        bench(label, scan, path, method, 2_000)


if __name__ == "__main__":
    main()
