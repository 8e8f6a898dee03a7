"""Hypothesis strategies for hostile HTTP requests, as raw ASGI pieces."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from tests.fuzz._driver import RawRequest

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]
METHODS_BYTES = [method.encode() for method in METHODS]
methods = st.sampled_from(METHODS) | st.sampled_from(["get", "CONNECT", "PROPFIND", "", "G\x00T"])

# -- values that break parsers --------------------------------------------------------

interesting_text = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "1",
        "007",
        "1e3",
        "1.5",
        "-0.0",
        "nan",
        "NaN",
        "inf",
        "-Infinity",
        "1e999",
        "9" * 5000,  # past Python's int-from-str digit limit
        "-" + "9" * 30,
        "0x10",
        "1_000",
        "true",
        "false",
        "yes",
        "null",
        "None",
        "[]",
        "{}",
        "[1,2]",
        '{"a": 1}',
        "[" * 300,
        "2024-02-30",
        "2024-01-01T25:00:00",
        "00000000-0000-0000-0000-000000000000",
        "not-a-uuid",
        "..",
        ".",
        "../../etc/passwd",
        "\x00",
        "\r\n",
        "é",
        "\u2028",
        "😀",
        "\ufeff",
        "a" * 10_000,
    ]
)
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40) | interesting_text
latin1 = st.binary(max_size=40) | interesting_text.map(lambda t: t.encode("utf-8"))


def named(names: Sequence[str]) -> st.SearchStrategy[bytes]:
    """One of ``names``, encoded (nothing to draw when there are none)."""
    return st.sampled_from([n.encode() for n in names]) if names else st.nothing()


def percent(raw: bytes, safe: bytes = b"") -> bytes:
    return quote_from_bytes(raw, safe=safe).encode("ascii")


# A piece of query string: well-formed, raw bytes, or broken escapes.
escapes = st.sampled_from([b"%", b"%2", b"%zz", b"%ff", b"%fe%ff", b"%00", b"%C3%A9", b"+", b"%2B"])
query_atom = (
    text.map(lambda t: percent(t.encode("utf-8")))
    | latin1.map(lambda b: b.replace(b"&", b"").replace(b"=", b""))
    | escapes
    | st.binary(max_size=10)
)


def query_strings(names: Sequence[str]) -> st.SearchStrategy[bytes]:
    name = named(names) | query_atom
    pair = st.tuples(name, st.sampled_from([b"=", b"", b"=="]), query_atom).map(b"".join)
    return st.lists(pair, max_size=12).map(b"&".join) | st.binary(max_size=200)


# -- paths ------------------------------------------------------------------------------

segment = (
    text.map(lambda t: t.replace("/", ""))
    | st.sampled_from(["..", ".", "%2e%2e", "%2F", "%00", "~", "a b", "-1", "1.0", "0"])
    | st.integers().map(str)
)


# Values that often fit a path parameter (ints, floats, UUIDs, enum values), or not.
param_values = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(str),
    st.uuids().map(str),
    st.sampled_from(["red", "green", "blue", "a/b", "a.txt", "x/../y"]),
    segment,
)


def fill(template: str, values: list[str]) -> str:
    """``template`` with each ``{parameter}`` replaced by one of ``values``."""
    out = []
    for part in template.split("/"):
        if part.startswith("{"):
            out.append(values.pop() if values else "")
        else:
            out.append(part)
    return "/".join(out)


def paths(templates: Sequence[str]) -> st.SearchStrategy[str]:
    """Paths of the routes (with likely and unlikely parameters), and far from them."""
    near = st.builds(fill, st.sampled_from(list(templates)), st.lists(param_values, min_size=3))
    far = st.lists(segment, max_size=8).map(lambda segs: "/" + "/".join(segs))
    tweaks = st.sampled_from(["/", "//", "/..", "/%2e", "?", "#", "/" + "a" * 5000])
    return st.one_of(
        near,
        near,
        near,
        st.tuples(near, tweaks).map("".join),
        far,
        st.text(max_size=30),
        st.just("/" + "x/" * 3000),
    ).map(lambda p: p.encode("utf-8", "replace").decode("utf-8"))


# -- headers, cookies, bodies ------------------------------------------------------------

CONTENT_TYPES = [
    b"application/json",
    b"application/json; charset=utf-8",
    b"application/json; charset=latin-1",
    b"application/merge-patch+json",
    b"APPLICATION/JSON",
    b"text/plain",
    b"application/x-www-form-urlencoded",
    b"multipart/form-data; boundary=fuzz",
    b"multipart/form-data",
    b"multipart/form-data; boundary=",
    b'multipart/form-data; boundary="' + b"x" * 100 + b'"',
    b"multipart/form-data; boundary=fuzz; charset=nope",
    b";;;",
    b"\xff\xfe",
    b"",
]
content_types = st.sampled_from(CONTENT_TYPES) | latin1


def cookie_headers(names: Sequence[str]) -> st.SearchStrategy[bytes]:
    name = named(names) | latin1
    pair = st.tuples(name, st.sampled_from([b"=", b""]), latin1).map(b"".join)
    return st.lists(pair, max_size=8).map(b"; ".join) | latin1


def header_lists(
    names: Sequence[str], cookie_names: Sequence[str]
) -> st.SearchStrategy[list[tuple[bytes, bytes]]]:
    known = named(names) | st.just(b"accept")
    header = st.one_of(
        st.tuples(known, latin1),
        st.tuples(st.just(b"cookie"), cookie_headers(cookie_names)),
        st.tuples(  # CORS: an allowed origin, a refused one, or junk
            st.just(b"origin"),
            st.sampled_from([b"https://example.com", b"https://evil.com", b"null", b"\xff"]),
        ),
        st.tuples(st.just(b"access-control-request-method"), st.sampled_from(METHODS_BYTES)),
        st.tuples(
            st.just(b"content-length"),
            st.sampled_from([b"0", b"-1", b"1", b"abc", b"99999999999999999999", b""]),
        ),
        st.tuples(
            st.just(b"authorization"),
            st.sampled_from([b"Bearer ", b"Basic "]).flatmap(
                lambda scheme: latin1.map(lambda v: scheme + v)
            ),
        ),
        st.tuples(
            st.text("abcdefghijklmnopqrstuvwxyz-_0123456789", min_size=1, max_size=20).map(
                str.encode
            ),
            latin1,
        ),
    )
    return st.lists(header, max_size=10)


JSONValue = Any
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**20, max_value=10**400)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(text, children, max_size=5),
    max_leaves=30,
)


def json_bodies(models: Sequence[dict[str, Any]] = ()) -> st.SearchStrategy[bytes]:
    """Valid JSON, near-valid JSON (model shapes with odd values) and broken JSON."""
    shaped: st.SearchStrategy[Any] = st.nothing()
    if models:
        shaped = st.sampled_from(list(models)).flatmap(
            lambda model: st.fixed_dictionaries(
                {}, optional={key: json_values | st.just(value) for key, value in model.items()}
            )
        )
    valid = (json_values | shaped).map(lambda v: json.dumps(v).encode())
    broken = st.sampled_from(
        [
            b"",
            b"{",
            b"[1,]",
            b"NaN",
            b"[NaN, Infinity, -Infinity]",
            b'{"a": 1e999}',
            b"1" * 5000,
            b"-" + b"9" * 10_000,
            b"\xff\xfe{}",
            b'{"a": "\xff"}',
            b'"\\ud800"',
            b"\xef\xbb\xbf{}",
            b"[" * 100_000 + b"]" * 100_000,
            b'{"a":' * 10_000,
            b"[" * 65 + b"]" * 65,
            b'{"__proto__": {}}',
            b'{"a": 1, "a": 2}',
            b"null",
            b"\x00",
        ]
    )
    return valid | broken | st.binary(max_size=200)


def urlencoded_bodies(names: Sequence[str]) -> st.SearchStrategy[bytes]:
    return query_strings(names)


def multipart_bodies(names: Sequence[str]) -> st.SearchStrategy[bytes]:
    name = named(names) | latin1
    filename = st.none() | latin1
    content = st.binary(max_size=300) | st.sampled_from([b"--fuzz", b"\r\n--fuzz--", b"\r\n"])

    def part(name: bytes, filename: bytes | None, content: bytes, extra: bytes) -> bytes:
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        return (
            b"--fuzz\r\nContent-Disposition: "
            + disposition
            + b"\r\n"
            + extra
            + b"\r\n"
            + content
            + b"\r\n"
        )

    extra = st.sampled_from(
        [b"", b"Content-Type: text/plain\r\n", b"X: \xff\r\n", b"bad header\r\n"]
    )
    parts = st.lists(st.builds(part, name, filename, content, extra), max_size=5)
    ending = st.sampled_from([b"--fuzz--\r\n", b"--fuzz--", b"", b"--fuzz", b"garbage"])
    return st.tuples(parts.map(b"".join), ending).map(b"".join)


@st.composite
def chunked(draw: st.DrawFn, body: bytes) -> list[bytes]:
    """``body`` cut into the pieces a server might deliver."""
    if not body or draw(st.booleans()):
        return [body]
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=4)))
    points = [0, *cuts, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(points)]


@st.composite
def requests(
    draw: st.DrawFn,
    routes: Sequence[tuple[str, str]],
    query_names: Sequence[str] = (),
    header_names: Sequence[str] = (),
    cookie_names: Sequence[str] = (),
    form_names: Sequence[str] = (),
    models: Sequence[dict[str, Any]] = (),
) -> RawRequest:
    route = draw(st.sampled_from(list(routes)))
    method = route[0] if draw(st.integers(0, 4)) else draw(methods)
    path = fill(route[1], draw(st.lists(param_values, min_size=3)))
    if not draw(st.integers(0, 3)):
        path = draw(paths([template for _, template in routes]))
    query = draw(query_strings(query_names))
    headers = draw(header_lists(header_names, cookie_names))
    # Mostly what the route takes, sometimes anything.
    kind = draw(st.sampled_from(["none", "json", "json", "form", "multipart", "raw"]))
    body = b""
    content_type: bytes | None = None
    if kind == "json":
        body = draw(json_bodies(models))
        content_type = draw(
            st.sampled_from([b"application/json", b"application/json"]) | content_types
        )
    elif kind == "form":
        body = draw(urlencoded_bodies(form_names))
        content_type = b"application/x-www-form-urlencoded"
    elif kind == "multipart":
        body = draw(multipart_bodies(form_names))
        content_type = draw(
            st.sampled_from([b"multipart/form-data; boundary=fuzz"]) | content_types
        )
    elif kind == "raw":
        body = draw(st.binary(max_size=300))
        content_type = draw(st.none() | content_types)
    if content_type is not None:
        headers.insert(draw(st.integers(0, len(headers))), (b"content-type", content_type))
    if draw(st.booleans()):
        headers.insert(0, (b"host", b"testserver"))
    return RawRequest(
        method=method,
        path=path,
        query_string=query,
        headers=headers,
        chunks=draw(chunked(body)),
        disconnect=draw(st.integers(0, 9)) == 0,
    )
