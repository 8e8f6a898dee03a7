"""GraphQL query throughput: one Strawberry schema served by hinted and by Strawberry.

The same schema (``Book``, ``Author``, ``Review``; a ``books(first, genre)`` list query
with a nested author and ``reviews(limit)``) is served by

* **hinted**: ``App()`` with ``app.mount("/graphql", GraphQL(schema))``;
* **strawberry**: Strawberry's own ASGI app, ``strawberry.asgi.GraphQL(schema)``;
* **strawberry-cached**: the same, the schema built with Strawberry's ``ParserCache()``
  and ``ValidationCache()`` extensions. hinted caches the parsed and validated document
  by its text; Strawberry parses and validates every request unless told to cache.

Two variants of the schema: ``sync``, every resolver a plain ``def``, and ``async``,
the ``books`` and ``reviews`` resolvers ``async def``. hinted runs an operation whose
resolvers are all sync in a worker thread; Strawberry runs it on the event loop.

Every request is ``POST /graphql`` with ``application/json`` (the query and its
variables), called in-process as ``await app(scope, receive, send)`` (see
:mod:`benchmarks.harness`). Before anything is timed, both apps answer each variant
once and the answers must be identical and equal to the expected data. Timing uses
this process's CPU time by default (it includes the worker threads' work, and other
processes on a busy machine inflate it far less than wall time); in each round the
apps take turns in 0.1 s slices, in an order rotated every round; a round's value is the
median of its batches, and the table shows the median over rounds (min-max).

    python -m benchmarks.graphql_bench                     # under a minute of CPU time
    python -m benchmarks.graphql_bench --seconds 1 --repeats 7 --markdown --json out.json
"""

import argparse
import asyncio
import gc
import json
import platform
import statistics
import sys
from typing import Any

import strawberry
import strawberry.asgi
from strawberry.extensions import ParserCache, ValidationCache

from benchmarks import machine
from benchmarks.harness import CLOCKS, Collect, Receive, Target, calibrate, measure
from benchmarks.report import Cell, rate, render, us
from benchmarks.scenarios import CheckFailed, Scenario, equals
from hinted import App
from hinted.graphql import GraphQL

SERVERS = ["hinted", "strawberry", "strawberry-cached"]
VARIANTS = ["sync", "async"]
SLICE_SECONDS = 0.1
BATCH_NS = 10_000_000

QUERY = """
query Books($first: Int!, $genre: String, $reviews: Int!) {
  books(first: $first, genre: $genre) {
    id
    title
    year
    author { id name country }
    reviews(limit: $reviews) { stars text }
  }
}
"""
VARIABLES = {"first": 10, "genre": "sf", "reviews": 2}
BODY = json.dumps({"query": QUERY, "variables": VARIABLES}).encode()

# -- the data and the schema --------------------------------------------------------------

AUTHORS = [
    {"id": str(index), "name": f"Author {index}", "country": ("FR", "PL", "US")[index % 3]}
    for index in range(8)
]
BOOKS = [
    {
        "id": str(index),
        "title": f"Book {index}",
        "year": 1950 + index,
        "genre": ("sf", "crime")[index % 2],
        "author": AUTHORS[index % len(AUTHORS)],
        "reviews": [
            {"stars": (index + review) % 5 + 1, "text": f"review {review} of book {index}"}
            for review in range(4)
        ],
    }
    for index in range(40)
]


def select_books(first: int, genre: str | None) -> list[dict[str, Any]]:
    return [book for book in BOOKS if genre is None or book["genre"] == genre][:first]


def expected_data() -> dict[str, Any]:
    books = select_books(VARIABLES["first"], VARIABLES["genre"])
    return {
        "data": {
            "books": [
                {
                    "id": book["id"],
                    "title": book["title"],
                    "year": book["year"],
                    "author": {key: book["author"][key] for key in ("id", "name", "country")},
                    "reviews": book["reviews"][: VARIABLES["reviews"]],
                }
                for book in books
            ]
        }
    }


def make_schema(variant: str, cached: bool = False) -> strawberry.Schema:
    """The schema with plain ``def`` resolvers (``sync``) or ``async def`` ones (``async``).

    ``cached``: with Strawberry's parser and validation caches (which hinted ignores).
    """

    @strawberry.type
    class Author:
        id: strawberry.ID
        name: str
        country: str

    @strawberry.type
    class Review:
        stars: int
        text: str

    def author_of(raw: dict[str, Any]) -> Author:
        return Author(id=strawberry.ID(raw["id"]), name=raw["name"], country=raw["country"])

    if variant == "async":

        @strawberry.type
        class Book:
            id: strawberry.ID
            title: str
            year: int
            author: Author
            raw_reviews: strawberry.Private[list[dict[str, Any]]]

            @strawberry.field
            async def reviews(self, limit: int = 10) -> list[Review]:
                return [Review(**review) for review in self.raw_reviews[:limit]]

    else:

        @strawberry.type
        class Book:  # type: ignore[no-redef]
            id: strawberry.ID
            title: str
            year: int
            author: Author
            raw_reviews: strawberry.Private[list[dict[str, Any]]]

            @strawberry.field
            def reviews(self, limit: int = 10) -> list[Review]:
                return [Review(**review) for review in self.raw_reviews[:limit]]

    def book_of(raw: dict[str, Any]) -> Book:
        return Book(
            id=strawberry.ID(raw["id"]),
            title=raw["title"],
            year=raw["year"],
            author=author_of(raw["author"]),
            raw_reviews=raw["reviews"],
        )

    if variant == "async":

        @strawberry.type
        class Query:
            @strawberry.field
            async def books(self, first: int = 10, genre: str | None = None) -> list[Book]:
                return [book_of(raw) for raw in select_books(first, genre)]

    else:

        @strawberry.type
        class Query:  # type: ignore[no-redef]
            @strawberry.field
            def books(self, first: int = 10, genre: str | None = None) -> list[Book]:
                return [book_of(raw) for raw in select_books(first, genre)]

    extensions = [ParserCache, ValidationCache] if cached else []
    return strawberry.Schema(query=Query, extensions=extensions)


def make_app(server: str, schema: strawberry.Schema) -> Any:
    if server == "hinted":
        app = App()
        app.mount("/graphql", GraphQL(schema))
        return app
    return strawberry.asgi.GraphQL(schema)


def scenario(variant: str) -> Scenario:
    return Scenario(
        name=variant,
        description=f"POST /graphql, the books query, {variant} resolvers",
        method="POST",
        path="/graphql",
        status=200,
        check_body=equals(expected_data()),
        body=BODY,
        headers=(
            (b"content-type", b"application/json"),
            (b"accept", b"application/json"),
            (b"content-length", str(len(BODY)).encode()),
        ),
    )


# -- measuring ----------------------------------------------------------------------------


async def answer(target: Target, request: Scenario) -> bytes:
    """One request; its checked body."""
    scope, message = target._call_args(request)
    scope["state"] = target.state.copy()
    send = Collect()
    await target.app(scope, Receive(message), send)
    if send.status is None:
        raise CheckFailed(f"{target.name} {request.name}: no response was sent")
    request.check(send.status, send.headers, send.body)
    return send.body


async def start(server: str, variant: str, clock: str) -> Target:
    schema = make_schema(variant, cached=server == "strawberry-cached")
    target = Target(f"{server}-{variant}", make_app(server, schema), clock)
    if server == "hinted":  # strawberry.asgi.GraphQL has no lifespan (it raises on one)
        await target.start()
    return target


async def prepare(
    args: argparse.Namespace, cells: dict[tuple[str, str], Cell]
) -> dict[tuple[str, str], Target]:
    """Start every app, check both answer each variant identically, calibrate."""
    targets = {}
    for variant in args.variants:
        request = scenario(variant)
        bodies = {}
        for server in SERVERS:
            targets[server, variant] = await start(server, variant, args.clock)
            bodies[server] = json.loads(await answer(targets[server, variant], request))
        if any(body != bodies["hinted"] for body in bodies.values()):
            raise CheckFailed(f"{variant}: the answers differ: {bodies}")
        for server in SERVERS:
            cells[server, variant].batch = await calibrate(
                targets[server, variant], request, BATCH_NS, int(args.warmup * 1e9)
            )
    return targets


async def bench(args: argparse.Namespace, cells: dict[tuple[str, str], Cell]) -> None:
    targets = await prepare(args, cells)
    slices = max(1, round(args.seconds / SLICE_SECONDS))
    for repeat in range(args.repeats):
        shift = repeat % len(SERVERS)
        order = SERVERS[shift:] + SERVERS[:shift]
        for variant in args.variants:
            request = scenario(variant)
            gc.collect()
            samples: dict[str, list[float]] = {server: [] for server in order}
            for _ in range(slices):
                for server in order:
                    cell = cells[server, variant]
                    samples[server] += await measure(
                        targets[server, variant], request, cell.batch, args.seconds / slices
                    )
            for server, values in samples.items():
                cells[server, variant].repeats.append(statistics.median(values))
        print(f"repeat {repeat + 1}/{args.repeats} done", file=sys.stderr)
    for target in targets.values():
        await target.stop()


# -- output -------------------------------------------------------------------------------


def spread(cell: Cell) -> str:
    return f"{us(cell.median)} ({us(min(cell.repeats))}-{us(max(cell.repeats))})"


def rate_spread(cell: Cell) -> str:
    low, high = 1e6 / max(cell.repeats), 1e6 / min(cell.repeats)
    return f"{rate(1e6 / cell.median)} ({rate(low)}-{rate(high)})"


def table(
    cells: dict[tuple[str, str], Cell], variants: list[str], markdown: bool, clock: str
) -> str:
    """us/request and requests/s of every app, and each peer's us/request over hinted's."""
    peers = SERVERS[1:]
    header = ["resolvers", *(f"{server} us/req" for server in SERVERS)]
    header += [f"{peer} / hinted" for peer in peers]
    rows = []
    for variant in variants:
        hinted = cells["hinted", variant]
        row = [variant, *(spread(cells[server, variant]) for server in SERVERS)]
        row += [f"{cells[peer, variant].median / hinted.median:.2f}x" for peer in peers]
        rows.append(row)
    rate_header = ["resolvers", *(f"{server} req/s" for server in SERVERS)]
    rate_rows = [
        [variant, *(rate_spread(cells[server, variant]) for server in SERVERS)]
        for variant in variants
    ]
    titles = [
        f"GraphQL POST /graphql, us/request ({clock} clock): median over repeats (min-max); "
        "lower is better; peer / hinted > 1 means hinted is faster",
        "GraphQL POST /graphql, requests/s (1e6 / us): median over repeats (min-max); "
        "one core, the apps' own work",
    ]
    if markdown:
        titles = [f"*{title}*" for title in titles]
    return "\n\n".join(
        [
            titles[0],
            render(header, rows, markdown),
            titles[1],
            render(rate_header, rate_rows, markdown),
        ]
    )


def versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        **machine.package_versions(("hinted", "strawberry-graphql", "graphql-core", "starlette")),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", default=",".join(VARIANTS), help="sync,async")
    parser.add_argument("--seconds", type=float, default=1.0, help="per app x variant, per repeat")
    parser.add_argument("--repeats", type=int, default=7, help="rounds (default 7)")
    parser.add_argument("--warmup", type=float, default=0.3, help="seconds per app x variant")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args(argv)
    args.variants = [name for name in args.variants.split(",") if name]
    unknown = set(args.variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cells = {(server, variant): Cell() for server in SERVERS for variant in args.variants}
    estimate = len(cells) * (args.repeats * args.seconds + args.warmup)
    print(f"{len(cells)} cells x {args.repeats} repeats, about {estimate:.0f} s", file=sys.stderr)
    description = machine.describe()
    asyncio.run(bench(args, cells))
    print(table(cells, args.variants, args.markdown, args.clock))
    load_after = machine.load_average()
    print(f"\nload average: {description['load_average_at_start']} before, {load_after} after")
    if args.json:
        result = {
            "suite": "graphql",
            "machine": description,
            "command": "python -m benchmarks.graphql_bench "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "load_average": {"before": description["load_average_at_start"], "after": load_after},
            "settings": {"seconds": args.seconds, "repeats": args.repeats, "clock": args.clock},
            "versions": versions(),
            "query": {"query": QUERY, "variables": VARIABLES},
            "frameworks": SERVERS,
            "scenarios": args.variants,
            "results": {
                server: {variant: cells[server, variant].as_dict() for variant in args.variants}
                for server in SERVERS
            },
        }
        with open(args.json, "w") as handle:
            json.dump(result, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
