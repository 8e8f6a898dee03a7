"""json_too_deep against a reference: the depth of the value json.loads builds."""

from __future__ import annotations

import json
import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hinted.limits import PARSER_MAX_DEPTH, json_too_deep

# Strings full of what could confuse a scanner: brackets, quotes and backslashes.
tricky_text = st.text(alphabet=st.sampled_from('[]{}"\\/ab\u00e9\u2028\n'), max_size=12)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | tricky_text
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(tricky_text, children, max_size=4)
    ),
    max_leaves=60,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


def wrap(value: Any, levels: int) -> Any:
    for index in range(levels):
        value = [value] if index % 2 else {'k[\\"': value}
    return value


@settings(max_examples=200, deadline=None)
@given(
    value=values,
    extra=st.integers(0, 70),
    maximum=st.integers(0, 80),
    ascii_only=st.booleans(),
    indent=st.none() | st.integers(0, 2),
)
def test_matches_the_depth_of_the_parsed_value(
    value: Any, extra: int, maximum: int, ascii_only: bool, indent: int | None
) -> None:
    value = wrap(value, extra)
    body = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode()
    assert depth(json.loads(body)) == depth(value)
    assert json_too_deep(body, maximum) == (depth(value) > maximum)


def test_past_the_parsers_limit_the_parser_decides() -> None:
    deep = b"[" * 500 + b"]" * 500
    assert json_too_deep(deep, PARSER_MAX_DEPTH - 1)
    assert not json_too_deep(deep, PARSER_MAX_DEPTH)


def test_unbalanced_openers_are_too_deep() -> None:
    # What the parser stops on at its own depth limit: a prefix with no closers.
    assert json_too_deep(b"[" * 100_000, 64)
    assert json_too_deep(b'{"a":' * 100_000, 64)


def test_cost_stays_linear_on_hostile_bodies() -> None:
    hostile = [
        (b"[" * 64 + b"]" * 64) * 8_000,  # as deep as allowed, again and again
        b"[" + b"[]," * 300_000 + b"[]]",
        b'["' + b'\\"' * 400_000 + b'"]',
        b'["' + b"\\\\" * 400_000 + b'"]',
        b'"' * 1_000_000,
    ]
    for body in hostile:
        start = time.perf_counter()
        json_too_deep(body, 64)
        assert time.perf_counter() - start < 2.0, body[:20]
