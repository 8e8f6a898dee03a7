"""Fuzz targets for the router and the query, form, cookie and JSON-depth readers.

Each target takes raw bytes and raises ``AssertionError`` (or any unexpected
exception) when it finds a bug. The bytes are read through :class:`Bytes`, not
atheris' own provider, so the same targets run under atheris (coverage-guided, see
``fuzz/run.py``) and under hypothesis (``tests/fuzz/test_atheris_brief.py``).

Each target compares hinted against a reference written to be obviously right
rather than fast:

``router``   ``CompiledRouter.match`` against trying every route's regex in turn and
             ordering the hits by the documented priority rules.
``query``    ``_read_query`` against ``urllib.parse.parse_qsl`` (Starlette's reading).
``form``     the streaming form reader against Starlette's form parsers, fed the same
             body in the same chunks; errors must be 400 or 413, never anything else.
``cookies``  cookie reading and the ``max_cookies`` limit against a plain split.
``json_depth`` ``json_too_deep`` against the depth of what ``json.loads`` builds.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import sys
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import parse_qsl

T = TypeVar("T")

# python-multipart logs a warning for each malformed body: the form target makes many.
logging.getLogger("python_multipart").setLevel(logging.CRITICAL)


class Bytes:
    """Draws choices from a byte string; past its end every draw is the smallest."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            return 0
        self.pos += 1
        return self.data[self.pos - 1]

    def int(self, high: int) -> int:
        """An int in ``range(high + 1)``."""
        if high <= 0:
            return 0
        value = self.byte() | self.byte() << 8 if high > 255 else self.byte()
        return value % (high + 1)

    def pick(self, options: Sequence[T]) -> T:
        return options[self.int(len(options) - 1)]

    def bool(self) -> bool:
        return bool(self.byte() & 1)

    def raw(self, max_size: int) -> bytes:
        size = self.int(max_size)
        chunk = self.data[self.pos : self.pos + size]
        self.pos += len(chunk)
        return chunk

    def rest(self) -> bytes:
        chunk = self.data[self.pos :]
        self.pos = len(self.data)
        return chunk

    def text(self, max_size: int, alphabet: Sequence[str] = ()) -> str:
        if alphabet and self.bool():
            return "".join(self.pick(alphabet) for _ in range(self.int(max_size)))
        return self.raw(max_size * 2).decode("utf-8", "replace")


# -- router -------------------------------------------------------------------------------

SEGMENTS = [
    "a", "b", "me", "", "{x}", "{n:int}", "{f:float}", "{u:uuid}", "{s}.{e}", "v{k:int}",
    "{p:path}", "é", "a b", "%2F",
]  # fmt: skip
PATH_PARTS = [
    "a", "b", "me", "", "1", "22", "007", "2.5", "1e3", "x.y", "v3", "v", "zz", "é", "a b",
    "%2F", "..", ".", "\n", "\x00", str(uuid.UUID(int=7)), "9" * 5000, "-1",
    "\u0661",  # an Arabic-Indic digit: isdigit() is true, [0-9] does not match
]  # fmt: skip
METHODS = ["GET", "POST", "DELETE", "HEAD"]
_TIER_TYPED, _TIER_STR, _TIER_MIXED, _TIER_PATH = 1, 2, 3, 4


def _edge(segment: str) -> tuple[int, str]:
    """(tier, identity) of a template segment: the priority the compiler documents."""
    if "{" not in segment:
        return 0, segment
    shape = re.sub(r"\{\w+", "{", segment)
    if segment.endswith(":path}"):
        return _TIER_PATH, shape
    if re.fullmatch(r"\{\w+:\w+\}", segment):
        return _TIER_TYPED, segment.split(":")[1]
    if re.fullmatch(r"\{\w+\}", segment):
        return _TIER_STR, "str"
    return _TIER_MIXED, shape


def _template_regex(template: str) -> tuple[re.Pattern[str], dict[str, Any]]:
    """The whole-path regex of ``template`` and its convertors (like Starlette's compile_path)."""
    from starlette.convertors import CONVERTOR_TYPES

    regex, convertors, index = "", {}, 0
    for found in re.finditer(r"\{(\w+)(?::(\w+))?\}", template):
        name, kind = found.group(1), found.group(2) or "str"
        convertors[name] = CONVERTOR_TYPES[kind]
        regex += re.escape(template[index : found.start()])
        regex += f"(?P<{name}>{convertors[name].regex})"
        index = found.end()
    regex += re.escape(template[index:])
    return re.compile(regex), convertors


def reference_match(
    routes: list[tuple[str, list[str], str]], path: str, method: str
) -> tuple[Any, ...] | None:
    """Try every template; the hits in priority order; the first accepting ``method``."""
    order: dict[tuple[tuple[int, str], ...], int] = {}
    merged: dict[str, dict[str, str]] = {}
    for template, methods, endpoint in routes:
        prefix: tuple[tuple[int, str], ...] = ()
        for segment in template[1:].split("/"):
            prefix += (_edge(segment),)
            order.setdefault(prefix, len(order))
        for name in methods:
            merged.setdefault(template, {}).setdefault(name, endpoint)
    hits = []
    for position, template in enumerate(merged):
        regex, convertors = _template_regex(template)
        found = regex.fullmatch(path or "/")
        if found is None:
            continue
        try:
            params = {k: convertors[k].convert(v) for k, v in found.groupdict().items()}
        except ValueError:
            continue  # int() past the digit limit: the branch fails
        key, prefix = [], ()
        for segment in template[1:].split("/"):
            prefix += (_edge(segment),)
            key.append((prefix[-1][0], order[prefix]))
        hits.append((key, position, template, params))
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    for _, _, template, params in hits:
        if method in merged[template]:
            return (merged[template][method], tuple(sorted(merged[template])), params, template)
    if hits:
        _, _, template, params = hits[0]
        return (None, tuple(sorted(merged[template])), params, template)
    return None


def _renamed(segments: list[str]) -> list[str]:
    """``segments`` with their parameters named q0, q1... so that no name repeats."""
    names = iter(f"q{j}" for j in range(20))
    return [re.sub(r"\{\w+", lambda _: "{" + next(names), s) for s in segments]


def router(data: bytes) -> None:
    from hinted.routing.compiler import compile_routes

    draw = Bytes(data)
    routes: list[tuple[str, list[str], str]] = []
    for index in range(1 + draw.int(8)):
        segments = [draw.pick(SEGMENTS) for _ in range(1 + draw.int(3))]
        if any(s.endswith(":path}") for s in segments[:-1]):
            segments = segments[-1:]
        renamed = _renamed(segments)
        methods = [draw.pick(METHODS) for _ in range(1 + draw.int(1))]
        routes.append(("/" + "/".join(renamed), methods, f"ep{index}"))
    compiled = compile_routes(routes)
    for _ in range(1 + draw.int(4)):
        if draw.int(3):
            path = "/" + "/".join(draw.pick(PATH_PARTS) for _ in range(1 + draw.int(4)))
        else:
            path = draw.text(30, "/a1.v")
        method = draw.pick(METHODS)
        found = compiled.match(path, method)
        expected = reference_match(routes, path, method)
        assert (tuple(found) if found else None) == expected, (routes, path, method, found)


# -- query strings ----------------------------------------------------------------------

QUERY_ALPHABET = ["a", "b", "=", "&", "%", "2", "0", "f", "F", "+", " ", "é", "\x00", ";", "%C3"]


def query(data: bytes) -> None:
    from hinted._execution import _read_query

    draw = Bytes(data)
    wanted = {name: draw.bool() for name in ("a", "b", "", "a b", "é", "a+b")}
    raw = draw.text(60, QUERY_ALPHABET).encode("utf-8") if draw.bool() else draw.rest()
    got = _read_query(raw, wanted)
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    expected: dict[str, Any] = {}
    for key, value in pairs:
        if key in wanted:
            if wanted[key]:
                expected.setdefault(key, []).append(value)
            else:
                expected[key] = value
    # parse_qsl skips empty pieces ("a&&b"); an empty key is asked for only here.
    got.pop("", None)
    expected.pop("", None)
    assert got == expected, (raw, got, expected)


# -- forms --------------------------------------------------------------------------------

FORM_ALPHABET = ["a", "=", "&", "%", "+", "\r\n", "--x", "\r\n--x", "--", "name", '"', ";"]


def _multipart(draw: Bytes) -> bytes:
    parts = []
    for _ in range(draw.int(4)):
        name = draw.pick([b"a", b"b", b"", b'a"b', b"\xe9", b"f"])
        disposition = b'form-data; name="' + name + b'"'
        if draw.bool():
            disposition += b'; filename="' + draw.pick([b"f.txt", b"", b"../x", b"\xff"]) + b'"'
        headers = b"Content-Disposition: " + disposition + b"\r\n"
        if draw.bool():
            headers += draw.pick([b"Content-Type: text/plain\r\n", b"X: \xff\r\n", b"junk\r\n"])
        parts.append(b"--x\r\n" + headers + b"\r\n" + draw.raw(40) + b"\r\n")
    ending = draw.pick([b"--x--\r\n", b"--x--", b"", b"--x", b"--y--\r\n"])
    body = b"".join(parts) + ending
    if draw.int(3) == 0:  # flip a few bytes
        body = bytearray(body)
        for _ in range(1 + draw.int(3)):
            if body:
                body[draw.int(len(body) - 1)] = draw.byte()
        body = bytes(body)
    return body


def _chunks(draw: Bytes, body: bytes) -> list[bytes]:
    cuts = sorted({draw.int(len(body)) for _ in range(draw.int(3))})
    points = [0, *cuts, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(points)] or [b""]


async def _read_with(parse: Callable[..., Any], chunks: list[bytes]) -> Any:
    pending = list(chunks)

    async def receive() -> dict[str, Any]:
        chunk = pending.pop(0) if pending else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    return await parse(receive)


async def _ours(scope: dict[str, Any], chunks: list[bytes], limits: Any) -> Any:
    from hinted._forms import read_form

    return await _read_with(lambda receive: read_form(scope, receive, limits), chunks)


async def _starlette(content_type: bytes, chunks: list[bytes]) -> Any:
    from starlette.datastructures import Headers
    from starlette.formparsers import FormParser, MultiPartParser

    async def stream() -> Any:
        for chunk in chunks:
            yield chunk

    headers = Headers(raw=[(b"content-type", content_type)])
    if content_type.startswith(b"multipart"):
        return await MultiPartParser(headers, stream()).parse()
    return await FormParser(headers, stream()).parse()


async def _items(form: Any) -> list[tuple[str, Any]]:
    items = []
    for key, value in form.multi_items():
        if hasattr(value, "read"):
            value = (value.filename, await value.read())
        items.append((key, value))
    return items


def form(data: bytes) -> None:
    from starlette.formparsers import MultiPartException

    from hinted.exceptions import HTTPException
    from hinted.limits import Limits

    draw = Bytes(data)
    multipart = draw.bool()
    if multipart:
        content_type = b"multipart/form-data; boundary=x"
        body = _multipart(draw) if draw.int(3) else draw.rest()
    else:
        content_type = b"application/x-www-form-urlencoded"
        body = draw.text(80, FORM_ALPHABET).encode() if draw.bool() else draw.rest()
    chunks = _chunks(draw, body)
    scope = {"type": "http", "headers": [(b"content-type", content_type)]}
    limits = Limits(max_fields=8, max_files=3, max_part_size=64, spool_max_size=16)

    async def compare() -> None:
        ours: Any = None
        try:
            ours = await _ours(scope, chunks, limits)
        except HTTPException as exc:
            assert exc.status_code in (400, 413), exc  # malformed, or past a limit
            ours = exc
        theirs: Any = None
        try:
            theirs = await _starlette(content_type, chunks)
        except MultiPartException as exc:
            theirs = exc
        if isinstance(ours, HTTPException) or isinstance(theirs, MultiPartException):
            # Where both read the body, they agree it was malformed; our limits are
            # lower than Starlette's, so a 413 here may be a success there.
            if isinstance(theirs, MultiPartException) and not isinstance(ours, Exception):
                raise AssertionError(f"Starlette refused, we accepted: {theirs} / {body!r}")
            if isinstance(ours, HTTPException) and ours.status_code == 400:
                # Stricter than Starlette on purpose: a multipart body must end with its
                # closing boundary (Starlette reads a truncated one as far as it goes),
                # start with it (python-multipart lets some stray bytes through), and
                # part headers hold no bare CR or LF (python-multipart reads on).
                detail = str(ours.detail)
                stricter = "before the closing boundary" in detail or "bare CR or LF" in detail
                unstarted = multipart and not body.lstrip(b"\r\n").startswith(b"--x")
                assert isinstance(theirs, MultiPartException) or stricter or unstarted, (
                    ours,
                    body,
                )
            return
        try:
            assert await _items(ours) == await _items(theirs), (body, chunks)
        finally:
            await ours.close()
            await theirs.close()

    asyncio.run(compare())


# -- cookies ------------------------------------------------------------------------------

COOKIE_ALPHABET = ["a", "b", "=", ";", " ", '"', "\\", "é", "\t", "s", "1"]


def cookies(data: bytes) -> None:
    from starlette.requests import cookie_parser

    from hinted._execution import _read_headers
    from hinted.exceptions import LimitExceeded
    from hinted.limits import Limits

    draw = Bytes(data)
    plan = _CookiePlan({"a", "b", "s", ""})
    limits = Limits(max_cookies=1 + draw.int(6))
    simple = draw.bool()
    pairs: list[tuple[str, str]] = []
    if simple:  # names and values a plain split reads: the reference knows the answer
        for _ in range(draw.int(8)):
            value = "".join(draw.pick(["1", "x", "é", "-"]) for _ in range(draw.int(6)))
            pairs.append((draw.pick(["a", "b", "s", "z"]), value))
        header = "; ".join(f"{k}={v}" for k, v in pairs).encode("latin-1", "replace")
    else:
        header = draw.text(40, COOKIE_ALPHABET).encode("utf-8") if draw.bool() else draw.rest()
    headers = [(b"cookie", header)]
    raw: dict[str, Any] = {}
    try:
        _read_headers(headers, plan, raw, limits)  # type: ignore[arg-type]
    except LimitExceeded as exc:
        assert header.count(b";") >= limits.max_cookies, (header, exc)
        return
    assert header.count(b";") < limits.max_cookies or not header
    parsed = raw["cookie"]
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.items())
    full = cookie_parser(header.decode("latin-1"))
    assert parsed == {k: v for k, v in full.items() if k in plan.cookies}
    if simple:
        expected = {k: v for k, v in pairs if k in plan.cookies}
        expected = {
            k: v.encode("latin-1", "replace").decode("latin-1") for k, v in expected.items()
        }
        assert parsed == {k: v for k, v in expected.items() if v or k}, (header, parsed)


class _CookiePlan:
    """The two attributes of an endpoint plan that cookie reading looks at."""

    def __init__(self, names: set[str]) -> None:
        self.headers = None
        self.cookies = {name: False for name in names}


# -- JSON depth ---------------------------------------------------------------------------

JSON_ALPHABET = ["[", "]", "{", "}", '"', "\\", ",", ":", "1", "a", " ", '"a":', "null"]


def _depth(value: Any) -> int:
    stack, deepest = [(value, 0)], 0
    while stack:
        item, level = stack.pop()
        if isinstance(item, list | dict):
            level += 1
            deepest = max(deepest, level)
            stack.extend(
                (child, level) for child in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


def json_depth(data: bytes) -> None:
    from hinted.limits import json_too_deep

    draw = Bytes(data)
    maximum = draw.int(12)
    body = draw.text(60, JSON_ALPHABET).encode() if draw.int(3) else draw.rest()
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        json_too_deep(body, maximum)  # any answer for malformed JSON, but no error
        return
    assert json_too_deep(body, maximum) == (_depth(value) > maximum), (body, maximum)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "router": router,
    "query": query,
    "form": form,
    "cookies": cookies,
    "json_depth": json_depth,
}


def main() -> None:
    """``python fuzz/targets.py NAME [libFuzzer options]``: run one target under atheris."""
    import atheris

    name = sys.argv[1]
    # Only the code under test: instrumenting all of hinted makes start-up slow.
    instrumented = [
        "hinted._execution",
        "hinted._forms",
        "hinted.limits",
        "hinted.routing.compiler",
        "python_multipart",
    ]
    with atheris.instrument_imports(include=instrumented):
        import hinted._execution
        import hinted._forms
        import hinted.limits
        import hinted.routing.compiler  # noqa: F401
    target = TARGETS[name]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
