"""Time building the OpenAPI document of a 500-route app: hinted against FastAPI.

Run from the repository root::

    .venv/bin/python -m benchmarks.openapi_build              # 5 fresh processes each
    .venv/bin/python -m benchmarks.openapi_build --repeats 9 --frameworks hinted

Each repeat is a fresh Python process (``--child VARIANT``): it imports the
framework, builds the app and starts it as a server would, untimed, then times the
first ``app.openapi()`` call, which generates the whole document (every JSON schema
included) from nothing; the second, cached call is timed too. The child prints one
JSON line; the parent prints a table (milliseconds, median over the repeats, min-max).

"Starts it": FastAPI analyses each handler when the route is added; hinted compiles
its endpoint plans at startup (``app.build()``, run by the lifespan or the first
request) and the generator reads those plans. Both variants are measured:

- ``hinted``: after startup, as a served app answers ``/openapi.json``;
- ``hinted-unstarted``: ``openapi()`` on an app that never started (the ``hinted
  openapi`` CLI, a test calling ``app.openapi()``), which builds the plans itself;
- ``fastapi``: FastAPI has no startup step that matters here.

The app is the same for both frameworks (hinted mirrors FastAPI's API): 100 resources,
each with two pydantic models of its own (``In``/``Out``, the latter nesting shared
models, an enum, a datetime, a list, optionals) and five routes:

- ``GET /r{i}/items``: three query parameters with constraints and a header, a list response;
- ``POST /r{i}/items``: a JSON body, ``status_code=201``, a response model;
- ``GET /r{i}/items/{item_id}``: an int path parameter, a dependency chain reading a
  query parameter and a cookie, ``responses={404: ...}`` with a model;
- ``PUT /r{i}/items/{item_id}``: a path parameter and two bodies (embedded), a header;
- ``DELETE /r{i}/items/{item_id}``: 204, a string path parameter with a pattern and a tag.

Both clocks are recorded: on a busy machine the wall clock mostly measures the other
work, CPU time (``time.process_time``) the work itself; ``--clock`` picks the table's.
"""

# No `from __future__ import annotations`: the routes are closures whose annotations
# name local models and markers, which the frameworks resolve from live objects.
import argparse
import enum
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("hinted", "hinted-unstarted", "fastapi")
RESOURCES = 100
ROUTES_PER_RESOURCE = 5


# -- the app ------------------------------------------------------------------------------


class Status(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Address(BaseModel):
    street: str = Field(description="Street and number", examples=["1 Main St"])
    city: str
    postcode: str | None = Field(None, pattern=r"^[0-9A-Z -]{3,10}$")


class Tag(BaseModel):
    name: str = Field(min_length=1, max_length=30)
    weight: float = Field(1.0, ge=0, le=10)


class NotFound(BaseModel):
    detail: str


class Framework:
    """The names a route file imports, from ``fastapi`` or from ``hinted``."""

    def __init__(self, name: str) -> None:
        module = importlib.import_module(name)
        self.name = name
        self.app_class: Any = module.FastAPI if name == "fastapi" else module.App
        self.Query: Any = module.Query
        self.Path: Any = module.Path
        self.Body: Any = module.Body
        self.Header: Any = module.Header
        self.Cookie: Any = module.Cookie
        self.Depends: Any = module.Depends


def resource_models(i: int) -> tuple[type[BaseModel], type[BaseModel]]:
    """``Item{i}In`` (what clients send) and ``Item{i}Out`` (what the service answers)."""
    fields_in: dict[str, Any] = {
        "title": (str, Field(min_length=1, max_length=200, description=f"Title of item {i}")),
        "body": (str | None, None),
        "status": (Status, Status.DRAFT),
        "tags": (list[Tag], Field(default_factory=list)),
        "address": (Address | None, None),
        f"extra_{i}": (int, Field(0, ge=0, description="A field only this resource has")),
    }
    model_in = create_model(f"Item{i}In", **fields_in)
    model_out = create_model(
        f"Item{i}Out",
        __base__=model_in,
        id=(int, Field(description="Identifier")),
        created_at=(datetime, ...),
        score=(float | None, Field(None, ge=0)),
    )
    return model_in, model_out


def add_resource(app: Any, fw: Framework, i: int) -> None:
    """Five routes on ``/r{i}/items``, as a FastAPI user writes them."""
    model_in, model_out = resource_models(i)
    prefix = f"/r{i}/items"
    tag = f"resource {i}"

    async def list_items(
        q: Annotated[str | None, fw.Query(max_length=50, description="Search text")] = None,
        limit: Annotated[int, fw.Query(ge=1, le=100)] = 10,
        offset: Annotated[int, fw.Query(ge=0)] = 0,
        x_request_id: Annotated[str | None, fw.Header()] = None,
    ) -> Any:
        return []

    async def create_item(item: model_in) -> Any:  # type: ignore[valid-type]
        return item

    async def token(session: Annotated[str | None, fw.Cookie()] = None) -> str | None:
        return session

    async def user(
        token: Annotated[str | None, fw.Depends(token)],
        as_user: Annotated[str | None, fw.Query()] = None,
    ) -> str | None:
        return as_user or token

    async def read_item(
        item_id: Annotated[int, fw.Path(ge=1, description="The item's id")],
        user: Annotated[str | None, fw.Depends(user)],
    ) -> Any:
        return None

    async def update_item(
        item_id: Annotated[int, fw.Path(ge=1)],
        item: Annotated[model_in, fw.Body()],  # type: ignore[valid-type]
        note: Annotated[str, fw.Body(max_length=500)],
        if_match: Annotated[str | None, fw.Header()] = None,
    ) -> Any:
        return item

    async def delete_item(item_id: Annotated[str, fw.Path(pattern=r"^[a-z0-9-]+$")]) -> None:
        return None

    app.add_api_route(
        prefix,
        list_items,
        methods=["GET"],
        response_model=list[model_out],
        tags=[tag],
        name=f"list_items_{i}",
    )
    app.add_api_route(
        prefix,
        create_item,
        methods=["POST"],
        response_model=model_out,
        status_code=201,
        tags=[tag],
        name=f"create_item_{i}",
    )
    app.add_api_route(
        prefix + "/{item_id}",
        read_item,
        methods=["GET"],
        response_model=model_out,
        responses={404: {"model": NotFound, "description": "No such item"}},
        tags=[tag],
        name=f"read_item_{i}",
    )
    app.add_api_route(
        prefix + "/{item_id}",
        update_item,
        methods=["PUT"],
        response_model=model_out,
        tags=[tag],
        name=f"update_item_{i}",
    )
    app.add_api_route(
        prefix + "/{item_id}",
        delete_item,
        methods=["DELETE"],
        status_code=204,
        tags=[tag],
        name=f"delete_item_{i}",
    )


def build_app(framework: str, resources: int = RESOURCES) -> Any:
    """The benchmark app on ``framework``: ``resources`` x 5 routes."""
    fw = Framework(framework)
    app = fw.app_class(title="OpenAPI build benchmark", version="1.0.0")
    for i in range(resources):
        add_resource(app, fw, i)
    return app


# -- one measurement (a child process) ----------------------------------------------------


def measure(variant: str, resources: int) -> dict[str, Any]:
    """Import, build and start untimed, then time the cold and the cached ``openapi()``."""
    framework = variant.split("-")[0]
    started = time.perf_counter()
    app = build_app(framework, resources)
    if variant == "hinted":
        app.build()  # what startup does: compile the routes' plans
    build_s = time.perf_counter() - started

    wall, cpu = time.perf_counter(), time.process_time()
    document = app.openapi()
    cold_wall, cold_cpu = time.perf_counter() - wall, time.process_time() - cpu

    wall = time.perf_counter()
    again = app.openapi()
    cached_wall = time.perf_counter() - wall
    assert again is document or again == document

    operations = sum(
        1 for item in document["paths"].values() for method in item if method != "parameters"
    )
    return {
        "variant": variant,
        "build_s": build_s,
        "cold_wall_s": cold_wall,
        "cold_cpu_s": cold_cpu,
        "cached_wall_s": cached_wall,
        "operations": operations,
        "schemas": len(document.get("components", {}).get("schemas", {})),
        "bytes": len(json.dumps(document)),
    }


def run_child(variant: str, resources: int) -> dict[str, Any]:
    """``measure`` in a fresh interpreter; its JSON line, parsed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "benchmarks.openapi_build", "--child", variant]
    result = subprocess.run(
        [*command, "--resources", str(resources)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{variant} child failed:\n{result.stderr}")
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


# -- the table ----------------------------------------------------------------------------


def _ms(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{statistics.median(ms):.1f} ({min(ms):.1f}-{max(ms):.1f})"


def table(results: dict[str, list[dict[str, Any]]], clock: str) -> str:
    key = "cold_cpu_s" if clock == "cpu" else "cold_wall_s"
    header = ["variant", "routes", "schemas", "KiB", "build+start (ms, wall)"]
    header.append(f"openapi() cold (ms, {clock})")
    header += ["cached (us)", "vs hinted"]
    rows = [header]
    base = statistics.median(r[key] for r in results["hinted"]) if "hinted" in results else None
    for variant, runs in results.items():
        first = runs[0]
        median = statistics.median(r[key] for r in runs)
        cached = statistics.median(r["cached_wall_s"] for r in runs) * 1e6
        ratio = "-" if base is None else f"{median / base:.2f}x"
        rows.append(
            [
                variant,
                str(first["operations"]),
                str(first["schemas"]),
                f"{first['bytes'] / 1024:.0f}",
                _ms([r["build_s"] for r in runs]),
                _ms([r[key] for r in runs]),
                f"{cached:.1f}",
                ratio,
            ]
        )
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help="any of " + ", ".join(VARIANTS)
    )
    parser.add_argument("--repeats", type=int, default=5, help="fresh processes per framework")
    parser.add_argument("--resources", type=int, default=RESOURCES, help="x 5 routes each")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(measure(args.child, args.resources)))
        return 0

    variants = [name.strip() for name in args.variants.split(",") if name.strip()]
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; pick from {', '.join(VARIANTS)}")
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
    # Alternate the variants, so machine noise hits them all alike.
    for _ in range(args.repeats):
        for variant in variants:
            results[variant].append(run_child(variant, args.resources))
    routes = args.resources * ROUTES_PER_RESOURCE
    print(
        f"OpenAPI document of a {routes}-route app, {args.repeats} fresh processes each; "
        "median (min-max)"
    )
    print(table(results, args.clock))
    frameworks = dict.fromkeys(variant.split("-")[0] for variant in variants)
    versions = {name: importlib.import_module(name).__version__ for name in frameworks}
    print("versions: " + ", ".join(f"{name} {v}" for name, v in versions.items()))
    if args.json:
        args.json.write_text(json.dumps({"versions": versions, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
