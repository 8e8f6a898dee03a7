"""benchmarks/openapi_build.py still runs, and times comparable documents (no timing here)."""

from __future__ import annotations

from openapi_spec_validator import validate

from benchmarks.openapi_build import ROUTES_PER_RESOURCE, VARIANTS, build_app, measure, table


def test_the_benchmark_app_is_the_same_on_both_frameworks() -> None:
    documents = {name: build_app(name, resources=3).openapi() for name in ("hinted", "fastapi")}
    validate(documents["hinted"])
    hinted, fastapi = documents["hinted"], documents["fastapi"]
    assert hinted["paths"].keys() == fastapi["paths"].keys()
    for path, item in hinted["paths"].items():
        assert item.keys() == fastapi["paths"][path].keys(), path
    assert hinted["components"]["schemas"].keys() == fastapi["components"]["schemas"].keys()


def test_each_variant_measures_and_the_table_prints() -> None:
    results = {variant: [measure(variant, resources=2)] for variant in VARIANTS}
    for runs in results.values():
        assert runs[0]["operations"] == 2 * ROUTES_PER_RESOURCE
        assert runs[0]["cold_cpu_s"] > 0
    printed = table(results, "cpu")
    assert all(variant in printed for variant in VARIANTS)
    assert "1.00x" in printed
