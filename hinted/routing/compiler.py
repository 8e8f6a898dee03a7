"""Compiled path matching: a static dictionary plus a segment tree.

``compile_routes()`` turns ``(template, methods, endpoint)`` triples and ``(prefix, mount)``
pairs into a :class:`CompiledRouter`.  The module is pure: no ASGI, no Starlette route
objects; endpoint and mount payloads are opaque (generic ``T`` and ``M``).

How matching works
------------------
* Fully static templates live in a ``dict`` keyed by path, consulted first: the common
  case is one dictionary lookup.
* Other templates go into a tree with one level per path segment.  A node holds a ``dict``
  of static children and short tuples of parameter edges whose regexes are compiled once
  and applied with ``fullmatch``.  Edges sharing a convertor are merged (parameter names
  live on the leaves), so the cost of a match depends on the depth of the path and the
  number of *kinds* of edges at a level, not on the number of routes.
* Mount prefixes go into the same tree and mark their node.

Priority (differs from Starlette on purpose)
--------------------------------------------
At each level candidates are tried in this order, with backtracking (when a branch fails
deeper down, the next candidate at that level is tried):

1. the static segment;
2. typed parameters (``int``, ``uuid``, ``float``, custom convertors), in order of first
   registration;
3. ``str`` parameters;
4. mixed segments such as ``{name}.{ext}`` or ``v{version:int}`` (one regex per segment),
   in order of first registration;
5. ``path`` parameters, which consume the rest of the path.

So ``/users/me`` wins over ``/users/{id}`` whatever the registration order, whereas
Starlette takes the first registered route whose regex matches.  Templates of the same
shape (``/a/{x}`` and ``/a/{y}``) keep registration order.  ``match()`` returns the first
candidate in this order that accepts the method; if none does but the path matched, a
:class:`Match` with ``endpoint=None`` and the methods of the first path-matching candidate.

Also: ``""`` behaves like ``/``; trailing slashes are significant; paths are expected
percent-decoded (``scope["path"]``).  A convertor raising ``ValueError`` (e.g. ``int()`` on
5,000 digits) fails its branch.  Only ``path`` parameters span slashes: other convertors,
custom ones included, are matched against a single segment.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, TypeVar

from starlette.convertors import (
    CONVERTOR_TYPES,
    Convertor,
    FloatConvertor,
    IntegerConvertor,
    PathConvertor,
    StringConvertor,
    UUIDConvertor,
)

__all__ = ["CompiledRouter", "Match", "MountMatch", "PathTemplate", "compile_routes"]

T = TypeVar("T")
M = TypeVar("M")

_PARAM_RE = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_][a-zA-Z0-9_]*))?\}")
_MISSING: Any = object()
_FullMatch = Callable[[str], "re.Match[str] | None"]
_Convert = Callable[[str], Any]
_Groups = tuple[tuple[int, "_Convert | None"], ...]
# How a one-parameter segment is checked: the convertor's regex in general, equivalent
# cheaper tests for the stock str ("[^/]+": a segment never holds "/") and int ("[0-9]+").
_CHECK_REGEX, _CHECK_NONEMPTY, _CHECK_DIGITS = 0, 1, 2


# The conversion applied for stock convertors (None: identity); what their convert()
# calls, minus a Python-level call.  Others, subclasses included, use convert().
_STOCK_CONVERT: dict[type[Any], _Convert | None] = {
    StringConvertor: None,
    PathConvertor: None,
    IntegerConvertor: int,
    FloatConvertor: float,
    UUIDConvertor: uuid.UUID,
}


@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    kind: str  # the convertor key as written in the template, e.g. "int"
    convertor: Convertor[Any]
    pattern: re.Pattern[str]

    @property
    def is_path(self) -> bool:
        return self.kind == "path" or isinstance(self.convertor, PathConvertor)


_Piece = str | _Param


def _tokenize(path: str) -> list[tuple[str, str | None]]:
    """Split *path* into ``(literal, None)`` and ``(name, convertor key)`` pieces."""
    if not path.startswith("/"):
        raise ValueError(f"Path template must start with '/': {path!r}")
    pieces: list[tuple[str, str | None]] = []
    idx = 0
    for m in _PARAM_RE.finditer(path):
        pieces += [(path[idx : m.start()], None), (m.group(1), m.group(2) or "str")]
        idx = m.end()
    pieces.append((path[idx:], None))
    if any(kind is None and ("{" in text or "}" in text) for text, kind in pieces):
        raise ValueError(f"Unbalanced braces or malformed parameter in {path!r}")
    return [p for p in pieces if p[0] or p[1] is not None]


@dataclass(frozen=True, slots=True)
class PathTemplate:
    """A parsed path template such as ``"/items/{item_id:int}/files/{rest:path}"``.

    Build one with :meth:`parse`.  ``param_names`` are in order of appearance and
    ``convertors`` maps each of them to its Starlette convertor.
    """

    path: str
    param_names: tuple[str, ...]
    convertors: Mapping[str, Convertor[Any]] = field(hash=False)
    _pieces: tuple[_Piece, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pieces: list[_Piece] = []
        for text, kind in _tokenize(self.path):
            if kind is None:
                pieces.append(text)
            elif any(isinstance(p, _Param) and p.name == text for p in pieces):
                raise ValueError(f"Duplicated param name {text} at path {self.path}")
            elif text not in self.convertors:
                raise ValueError(f"No convertor for parameter {text!r} in {self.path!r}")
            else:
                conv = self.convertors[text]
                pieces.append(_Param(text, kind, conv, re.compile(conv.regex)))
        names = tuple(p.name for p in pieces if isinstance(p, _Param))
        if names != self.param_names or len(self.convertors) != len(names):
            raise ValueError(f"param_names/convertors do not match template {self.path!r}")
        for piece in pieces[:-1]:
            if isinstance(piece, _Param) and piece.is_path:
                raise ValueError(f"Path parameter {piece.name!r} must be last in {self.path!r}")
        object.__setattr__(self, "_pieces", tuple(pieces))

    @classmethod
    def parse(cls, path: str) -> PathTemplate:
        """Parse *path*, raising ``ValueError`` for a malformed template.

        Errors: not starting with ``/``, unbalanced braces or malformed ``{...}``, unknown
        convertor, duplicate parameter names, a ``path`` parameter not at the very end.
        """
        convertors: dict[str, Convertor[Any]] = {}
        names: list[str] = []
        for text, kind in _tokenize(path):
            if kind is not None:
                if kind not in CONVERTOR_TYPES:
                    raise ValueError(f"Unknown path convertor {kind!r} in {path!r}")
                names.append(text)
                convertors[text] = CONVERTOR_TYPES[kind]
        return cls(path, tuple(names), MappingProxyType(convertors))

    def format(self, **params: Any) -> str:
        """Build a concrete path from parameter values (for ``url_path_for``).

        Raises ``KeyError`` for a missing parameter, ``ValueError`` for an unexpected one
        or for a value its convertor cannot represent: the text must match the
        convertor's regex, so a formatted path always matches the template again.
        """
        missing = [n for n in self.param_names if n not in params]
        if missing:
            raise KeyError(f"Missing path parameter(s) {', '.join(missing)} for {self.path!r}")
        if len(params) != len(self.param_names):
            extra = ", ".join(sorted(set(params) - set(self.param_names)))
            raise ValueError(f"Unexpected path parameter(s) {extra} for {self.path!r}")
        out: list[str] = []
        for piece in self._pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            try:
                text = piece.convertor.to_string(params[piece.name])
            except AssertionError as exc:  # Starlette's to_string validates with assert
                raise ValueError(f"Invalid value for {piece.name!r}: {exc}") from None
            if piece.pattern.fullmatch(text) is None:
                raise ValueError(f"Value {text!r} for {piece.name!r} does not match {piece.kind}")
            out.append(text)
        return "".join(out)

    def segments(self) -> list[tuple[tuple[_Piece, ...], str, bool]]:
        """Pieces grouped by path segment, as ``(pieces, text, is_path_tail)``."""
        groups: list[list[_Piece]] = [[]]
        for piece in self._pieces:
            if isinstance(piece, _Param):
                groups[-1].append(piece)
                continue
            head, *rest = piece.split("/")
            if head:
                groups[-1].append(head)
            for part in rest:
                groups.append([part] if part else [])
        out: list[tuple[tuple[_Piece, ...], str, bool]] = []
        for group in groups[1:]:  # the template starts with "/": drop the empty head
            pieces = tuple(group) or ("",)
            text = "".join(p if isinstance(p, str) else f"{{{p.name}:{p.kind}}}" for p in pieces)
            out.append((pieces, text, any(isinstance(p, _Param) and p.is_path for p in pieces)))
        return out


class Match(NamedTuple, Generic[T]):
    """Result of :meth:`CompiledRouter.match`.

    ``endpoint`` is ``None`` when the path matched but not the method (405); ``allowed``
    lists the methods of the matched path, sorted, for the ``Allow`` header.
    ``path_params`` holds converted values; ``route_path`` is the template that matched.
    """

    endpoint: T | None
    allowed: tuple[str, ...]
    path_params: dict[str, Any]
    route_path: str


class MountMatch(NamedTuple, Generic[M]):
    """Result of :meth:`CompiledRouter.match_mount`.

    ``matched_prefix`` is the concrete prefix consumed (``""`` for a root mount),
    ``remaining`` the rest of the path, always starting with ``/``.
    """

    mount: M
    matched_prefix: str
    remaining: str
    path_params: dict[str, Any]


# tuple.__new__ skips the Python-level NamedTuple.__new__ on the hot path.
_MatchArgs = tuple[Any, tuple[str, ...], dict[str, Any], str]
_new_match: Callable[[type[Match[Any]], _MatchArgs], Match[Any]] = tuple[Any, ...].__new__


class _Leaf:
    __slots__ = ("allowed", "endpoints", "names", "route_path")

    def __init__(self, route_path: str, names: tuple[str, ...]) -> None:
        self.route_path = route_path
        self.names = names
        self.endpoints: dict[str, Any] = {}
        self.allowed: tuple[str, ...] = ()


class _Node:
    __slots__ = (
        "_edges", "alt_param", "alt_static", "has_mount", "label", "leaves", "mixed", "mount",
        "simple", "static", "tails",
    )  # fmt: skip

    def __init__(self, label: str) -> None:
        self.label = label
        self.static: dict[str, _Node] | None = None
        self.simple: tuple[tuple[int, _FullMatch, _Convert | None, _Node], ...] = ()
        self.mixed: tuple[tuple[_FullMatch, _Groups, _Node], ...] = ()
        self.tails: tuple[tuple[_FullMatch, _Groups, _Node], ...] = ()
        self.leaves: tuple[_Leaf, ...] = ()
        self.mount: tuple[Any, tuple[str, ...], str] | None = None  # (payload, names, prefix)
        self.has_mount = False  # a mount here or below: match_mount() prunes the rest
        # Set by freeze(): is there another candidate after taking the static child
        # (any parameter edge), or after taking a parameter edge (more than one)?
        self.alt_static = self.alt_param = False
        self._edges: dict[tuple[Any, ...], tuple[int, Any, _Node]] = {}  # build time only

    def child(self, segment: tuple[_Piece, ...], text: str, is_tail: bool) -> _Node:
        """Return (creating it if needed) the child reached through *segment*."""
        texts = [p for p in segment if isinstance(p, str)]
        if len(texts) == len(segment):
            if self.static is None:
                self.static = {}
            key = "".join(texts)
            if key not in self.static:
                self.static[key] = _Node(key)
            return self.static[key]
        first = segment[0]
        payload: tuple[Any, ...]
        edge_key: tuple[Any, ...]
        if len(segment) == 1 and isinstance(first, _Param) and not is_tail:
            conv = first.convertor
            tier, edge_key = (1 if first.kind == "str" else 0), ("s", id(conv))
            label = f"{{{first.kind}}}"  # merged across names: show the convertor only
            check = _CHECK_REGEX
            if type(conv) is StringConvertor and conv.regex == "[^/]+":
                check = _CHECK_NONEMPTY
            elif type(conv) is IntegerConvertor and conv.regex == "[0-9]+":
                check = _CHECK_DIGITS
            payload = (check, first.pattern.fullmatch, _STOCK_CONVERT.get(type(conv), conv.convert))
        else:
            regex, params = "", [p for p in segment if isinstance(p, _Param)]
            for piece in segment:
                if isinstance(piece, str):
                    regex += re.escape(piece)
                else:
                    regex += f"(?P<_hinted_{params.index(piece)}>{piece.convertor.regex})"
            compiled = re.compile(regex)
            tier, label = (3 if is_tail else 2), text
            edge_key = (tier, regex, *(id(p.convertor) for p in params))
            groups = tuple(
                (compiled.groupindex[f"_hinted_{k}"], _STOCK_CONVERT.get(type(c), c.convert))
                for k, c in enumerate(p.convertor for p in params)
            )
            payload = (compiled.fullmatch, groups)
        if edge_key not in self._edges:
            self._edges[edge_key] = (tier, payload, _Node(label))
        return self._edges[edge_key][2]

    def freeze(self) -> None:
        """Turn build-time structures into the tuples read by the matcher."""
        edges = sorted(self._edges.values(), key=lambda e: e[0])  # stable: keeps reg. order
        self.simple = tuple((*e[1], e[2]) for e in edges if e[0] <= 1)
        self.mixed = tuple((*e[1], e[2]) for e in edges if e[0] == 2)
        self.tails = tuple((*e[1], e[2]) for e in edges if e[0] == 3)
        self._edges = {}
        count = len(self.simple) + len(self.mixed) + len(self.tails)
        self.alt_static, self.alt_param = count > 0, count > 1
        for leaf in self.leaves:
            leaf.allowed = tuple(sorted(leaf.endpoints))
        for node in self.children():
            node.freeze()

    def children(self) -> list[_Node]:
        """Children in priority order (after :meth:`freeze`)."""
        static = list(self.static.values()) if self.static else []
        return static + [e[3] for e in self.simple] + [e[2] for e in (*self.mixed, *self.tails)]


def _simple_value(check: int, fullmatch: _FullMatch, convert: _Convert | None, seg: str) -> Any:
    """The converted value of a one-parameter segment, ``_MISSING`` if it does not match."""
    if check == _CHECK_NONEMPTY:
        ok = bool(seg)
    elif check == _CHECK_DIGITS:
        ok = seg.isdigit() and seg.isascii()
    else:
        ok = fullmatch(seg) is not None
    if not ok or convert is None:
        return seg if ok else _MISSING
    try:
        return convert(seg)
    except ValueError:
        return _MISSING


def _convert_groups(m: re.Match[str], groups: _Groups, values: list[Any]) -> bool:
    for index, convert in groups:
        raw = m.group(index)
        try:
            values.append(raw if convert is None else convert(raw))
        except ValueError:
            return False
    return True


def _search(
    node: _Node, segs: list[str], i: int, n: int, values: list[Any], method: str, missed: list[Any]
) -> _Leaf | None:
    """Depth-first search in priority order, collecting converted params in *values*.

    Returns the first leaf matching ``segs[i:]`` that accepts *method*; on failure
    *values* is as on entry.  The first leaf matching the path but not the method is
    appended to *missed* with a copy of its values, unless *missed* is not empty.
    """
    if i == n:
        for leaf in node.leaves:
            if method in leaf.endpoints:
                return leaf
            if not missed:
                missed.append((leaf, tuple(values)))
        return None
    seg = segs[i]
    static = node.static
    if static is not None:
        child = static.get(seg)
        if child is not None:
            found = _search(child, segs, i + 1, n, values, method, missed)
            if found is not None:
                return found
    for check, fullmatch, convert, child in node.simple:
        value = _simple_value(check, fullmatch, convert, seg)
        if value is not _MISSING:
            values.append(value)
            found = _search(child, segs, i + 1, n, values, method, missed)
            if found is not None:
                return found
            values.pop()
    for fullmatch, groups, child in node.mixed:
        m = fullmatch(seg)
        if m is not None:
            mark = len(values)
            if _convert_groups(m, groups, values):
                found = _search(child, segs, i + 1, n, values, method, missed)
                if found is not None:
                    return found
            del values[mark:]
    if node.tails:
        rest = "/".join(segs[i:])
        for fullmatch, groups, child in node.tails:
            m = fullmatch(rest)
            if m is not None:
                mark = len(values)
                if _convert_groups(m, groups, values):
                    found = _search(child, segs, n, n, values, method, missed)
                    if found is not None:
                        return found
                del values[mark:]
    return None


def _search_mount(
    node: _Node, segs: list[str], i: int, n: int, values: list[Any], best: list[Any]
) -> None:
    """Record in *best* the deepest mount reachable; ties go to the priority order."""
    if node.mount is not None and i > best[0]:
        best[:] = [i, node.mount, list(values)]
    if i == n:
        return
    seg = segs[i]
    static = node.static
    if static is not None:
        child = static.get(seg)
        if child is not None and child.has_mount:
            _search_mount(child, segs, i + 1, n, values, best)
    for check, fullmatch, convert, child in node.simple:
        value = _simple_value(check, fullmatch, convert, seg) if child.has_mount else _MISSING
        if value is not _MISSING:
            values.append(value)
            _search_mount(child, segs, i + 1, n, values, best)
            values.pop()
    for fullmatch, groups, child in node.mixed:
        m = fullmatch(seg) if child.has_mount else None
        if m is not None:
            mark = len(values)
            if _convert_groups(m, groups, values):
                _search_mount(child, segs, i + 1, n, values, best)
            del values[mark:]


def _payload_name(obj: Any) -> str:
    name = getattr(obj, "__qualname__", None)
    return name if isinstance(name, str) else repr(obj)


class CompiledRouter(Generic[T, M]):
    """Immutable matcher produced by :func:`compile_routes`; safe to share between threads."""

    __slots__ = ("_dynamic_count", "_has_tree", "_maxsplit", "_root", "_static", "static")

    def __init__(self, static: dict[str, _Leaf], root: _Node, depth: int, dynamic: int) -> None:
        self._static = static
        self.static: dict[str, dict[str, T]] = {
            path: leaf.endpoints for path, leaf in static.items() if leaf.endpoints
        }
        """Static paths -> method -> endpoint: one lookup answers most requests.

        A static path beats any parameterised one, so a hit here is the match; a miss
        (unknown path or method) says nothing, and :meth:`match` decides.
        """
        self._root = root
        # path.split("/", depth + 1): segs[0] == "" then at most depth real segments and
        # an unsplit remainder, so absurdly long paths cost no more than needed.
        self._maxsplit = depth + 1
        self._has_tree = dynamic > 0
        self._dynamic_count = dynamic

    def match(self, path: str, method: str) -> Match[T] | None:
        """Match a percent-decoded *path* and an upper-case *method*.

        Returns ``None`` when no route matches the path, a :class:`Match` with
        ``endpoint=None`` when the path matches but not the method.
        """
        if not path:
            path = "/"
        first = self._static.get(path)
        if first is not None:
            endpoint = first.endpoints.get(method, _MISSING)
            if endpoint is not _MISSING:
                return _new_match(Match, (endpoint, first.allowed, {}, first.route_path))
            if not self._has_tree:
                return Match(None, first.allowed, {}, first.route_path)
        elif not self._has_tree:
            return None
        segs = path.split("/", self._maxsplit)
        if segs[0]:
            return None  # not starting with "/"
        n = len(segs)
        # Fast path: follow the first viable static or simple edge at each level, which
        # is the branch the full search tries first.  On a dead end or a method not
        # accepted, the backtracking search runs only if a level offered alternatives.
        values: list[Any] = []
        node = self._root
        i = 1
        ambiguous = False
        while i < n:
            seg = segs[i]
            static = node.static
            if static is not None:
                child = static.get(seg)
                if child is not None:
                    if node.alt_static:
                        ambiguous = True
                    node = child
                    i += 1
                    continue
            for check, fullmatch, convert, child in node.simple:
                if check == _CHECK_NONEMPTY:
                    if not seg:
                        continue
                elif check == _CHECK_DIGITS:
                    if not (seg.isdigit() and seg.isascii()):
                        continue
                elif fullmatch(seg) is None:
                    continue
                if convert is None:
                    values.append(seg)
                else:
                    try:
                        values.append(convert(seg))
                    except ValueError:
                        continue
                if node.alt_param:
                    ambiguous = True
                node = child
                break
            else:
                if ambiguous or node.mixed or node.tails:
                    return self._slow(segs, n, method, first)
                return None if first is None else Match(None, first.allowed, {}, first.route_path)
            i += 1
        for leaf in node.leaves:
            endpoint = leaf.endpoints.get(method, _MISSING)
            if endpoint is not _MISSING:
                names = leaf.names
                if len(names) == 1:  # a dict display is ~3x cheaper than dict(zip())
                    params = {names[0]: values[0]}
                elif len(names) == 2:
                    params = {names[0]: values[0], names[1]: values[1]}
                else:
                    params = dict(zip(names, values, strict=True))
                return _new_match(Match, (endpoint, leaf.allowed, params, leaf.route_path))
        if ambiguous:
            return self._slow(segs, n, method, first)
        if first is not None:  # the path matched no other way: 405, or 404 for a dead end
            return Match(None, first.allowed, {}, first.route_path)
        if not node.leaves:
            return None
        leaf = node.leaves[0]
        return Match(
            None, leaf.allowed, dict(zip(leaf.names, values, strict=True)), leaf.route_path
        )

    def _slow(self, segs: list[str], n: int, method: str, first: _Leaf | None) -> Match[T] | None:
        """Backtracking search; also finds the leaf for a 405 answer."""
        missed: list[Any] = [] if first is None else [(first, ())]
        values: list[Any] = []
        found = _search(self._root, segs, 1, n, values, method, missed)
        if found is not None:
            params = dict(zip(found.names, values, strict=True))
            return Match(found.endpoints[method], found.allowed, params, found.route_path)
        if not missed:
            return None
        leaf, values = missed[0]
        params = dict(zip(leaf.names, values, strict=True))
        return Match(None, leaf.allowed, params, leaf.route_path)

    def match_mount(self, path: str) -> MountMatch[M] | None:
        """Find the mount with the longest prefix matching *path* at a segment boundary."""
        root = self._root
        if not root.has_mount:
            return None
        if not path:
            path = "/"
        segs = path.split("/", self._maxsplit)
        if segs[0]:
            return None
        best: list[Any] = [0, None, None]
        _search_mount(root, segs, 1, len(segs), [], best)
        depth, entry, values = best
        if entry is None:
            return None
        mount, names, _ = entry
        prefix = "/".join(segs[:depth])
        remaining = path[len(prefix) :] or "/"
        return MountMatch(mount, prefix, remaining, dict(zip(names, values, strict=True)))

    def describe(self) -> str:
        """Return a human-readable dump of the static table and the segment tree."""
        lines = [
            f"CompiledRouter: {len(self._static)} static, {self._dynamic_count} dynamic route(s)",
            "static routes (one dict lookup):",
        ]
        lines += [f"  {path}  {_leaf_text(leaf)}" for path, leaf in self._static.items()]
        lines.append("segment tree (priority: static > typed > str > mixed > path):")
        stack = [(self._root, 1)]
        while stack:
            node, depth = stack.pop()
            pad = "  " * depth
            lines.append(f"{pad}/{node.label}")
            if node.mount is not None:
                mount, _, prefix = node.mount
                lines.append(f"{pad}  ^ mount {prefix or '/'} -> {_payload_name(mount)}")
            lines += [f"{pad}  = {leaf.route_path}  {_leaf_text(leaf)}" for leaf in node.leaves]
            stack += [(child, depth + 1) for child in reversed(node.children())]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<CompiledRouter static={len(self._static)} dynamic={self._dynamic_count}>"


def _leaf_text(leaf: _Leaf) -> str:
    items = sorted(leaf.endpoints.items())
    return "[" + ", ".join(f"{meth} -> {_payload_name(ep)}" for meth, ep in items) + "]"


def compile_routes(
    routes: Iterable[tuple[str, Iterable[str], T]],
    mounts: Iterable[tuple[str, M]] = (),
) -> CompiledRouter[T, M]:
    """Compile routes and mounts into a :class:`CompiledRouter`.

    routes: ``(path template, methods, endpoint)``.  The same template registered twice
    merges its methods; for the same (template, method) the first registration wins (like
    Starlette's order).  Methods are upper-cased; HEAD is not added for GET.

    mounts: ``(prefix, mount)``.  Prefixes may hold parameters but no ``path`` parameter;
    a trailing slash is ignored; ``""`` and ``"/"`` mount at the root.  The first mount
    registered for a prefix wins.

    Raises ``ValueError`` for a malformed template or prefix.
    """
    static: dict[str, _Leaf] = {}
    dynamic: dict[str, _Leaf] = {}
    root = _Node("")
    depth = 0
    for path, methods, endpoint in routes:
        leaf = static.get(path) or dynamic.get(path)
        if leaf is None:
            template = PathTemplate.parse(path)
            leaf = _Leaf(path, template.param_names)
            if not template.param_names:
                static[path] = leaf
            else:
                dynamic[path] = leaf
                segments = template.segments()
                depth = max(depth, len(segments))
                node = root
                for pieces, text, is_tail in segments:
                    node = node.child(pieces, text, is_tail)
                node.leaves += (leaf,)
        for method in methods:
            leaf.endpoints.setdefault(method.upper(), endpoint)
    for prefix, mount in mounts:
        prefix = prefix.rstrip("/")
        template = PathTemplate.parse(prefix or "/")
        node = root
        node.has_mount = True
        segments = template.segments() if prefix else []
        depth = max(depth, len(segments))
        for pieces, text, is_tail in segments:
            if is_tail:
                raise ValueError(f"A mount prefix cannot hold a path parameter: {prefix!r}")
            node = node.child(pieces, text, False)
            node.has_mount = True
        if node.mount is None:
            node.mount = (mount, template.param_names, prefix)
    for leaf in static.values():
        leaf.allowed = tuple(sorted(leaf.endpoints))
    root.freeze()
    return CompiledRouter(static, root, depth, len(dynamic))
