"""Tests for hinted.routing.compiler: templates, matching, priority, 405s, mounts."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.convertors import CONVERTOR_TYPES, Convertor, register_url_convertor
from starlette.routing import compile_path

from hinted.routing.compiler import (
    CompiledRouter,
    Match,
    MountMatch,
    PathTemplate,
    compile_routes,
)

Route = tuple[str, list[str], str]


def router(*routes: Route, mounts: tuple[tuple[str, str], ...] = ()) -> CompiledRouter[str, str]:
    return compile_routes(routes, mounts)


def endpoint(r: CompiledRouter[str, Any], path: str, method: str = "GET") -> str | None:
    m = r.match(path, method)
    return None if m is None else m.endpoint


# -- static paths -------------------------------------------------------------------------


def test_static_hit_returns_endpoint_allowed_and_template() -> None:
    r = router(("/", ["GET"], "index"), ("/health", ["GET", "POST"], "health"))
    assert r.match("/health", "POST") == Match("health", ("GET", "POST"), {}, "/health")
    assert r.match("/", "GET") == Match("index", ("GET",), {}, "/")


def test_empty_path_behaves_like_root() -> None:
    r = router(("/", ["GET"], "index"))
    assert endpoint(r, "") == "index"
    r2 = router(("/{p:path}", ["GET"], "catch_all"))
    m = r2.match("", "GET")
    assert m is not None and m.endpoint == "catch_all" and m.path_params == {"p": ""}


def test_trailing_slash_is_significant() -> None:
    r = router(("/a", ["GET"], "a"), ("/b/", ["GET"], "b"), ("/c/{x}", ["GET"], "c"))
    assert endpoint(r, "/a") == "a"
    assert r.match("/a/", "GET") is None
    assert endpoint(r, "/b/") == "b"
    assert r.match("/b", "GET") is None
    assert endpoint(r, "/c/1") == "c"
    assert r.match("/c/1/", "GET") is None


def test_unknown_path_and_malformed_path_give_none() -> None:
    r = router(("/a", ["GET"], "a"), ("/b/{x}", ["GET"], "b"))
    assert r.match("/nope", "GET") is None
    assert r.match("/b", "GET") is None
    assert r.match("/b/x/y", "GET") is None
    assert r.match("b/x", "GET") is None  # not starting with "/"


def test_empty_router_matches_nothing() -> None:
    r: CompiledRouter[str, str] = compile_routes([])
    assert r.match("/", "GET") is None
    assert r.match_mount("/x") is None


# -- parameters and convertors ------------------------------------------------------------


def test_str_and_int_params_are_converted() -> None:
    r = router(("/users/{user_id:int}/posts/{slug}", ["GET"], "post"))
    m = r.match("/users/42/posts/hello-world", "GET")
    template = "/users/{user_id:int}/posts/{slug}"
    assert m == Match("post", ("GET",), {"user_id": 42, "slug": "hello-world"}, template)
    assert type(m.path_params["user_id"]) is int


@pytest.mark.parametrize("bad", ["/items/abc", "/items/-1", "/items/1.5", "/items/", "/items/٣"])
def test_int_param_rejects_non_digits(bad: str) -> None:
    r = router(("/items/{item_id:int}", ["GET"], "item"))
    assert r.match(bad, "GET") is None


def test_float_param() -> None:
    r = router(("/price/{amount:float}", ["GET"], "price"))
    m = r.match("/price/12.5", "GET")
    assert m is not None and m.path_params == {"amount": 12.5}
    m = r.match("/price/3", "GET")
    assert m is not None and m.path_params["amount"] == 3.0
    assert isinstance(m.path_params["amount"], float)
    assert r.match("/price/1.", "GET") is None
    assert r.match("/price/.5", "GET") is None


def test_uuid_param_is_converted_to_uuid() -> None:
    r = router(("/things/{thing_id:uuid}", ["GET"], "thing"))
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    m = r.match(f"/things/{value}", "GET")
    assert m is not None and m.path_params == {"thing_id": value}
    assert isinstance(m.path_params["thing_id"], uuid.UUID)
    assert r.match(f"/things/{value.hex}", "GET") is not None  # dashes are optional
    assert r.match("/things/not-a-uuid", "GET") is None


def test_convertor_value_error_fails_the_branch() -> None:
    # 5,000 digits match [0-9]+ but int() refuses them (CPython's digit limit)
    huge = "9" * 5000
    r = router(("/n/{x:int}", ["GET"], "int"), ("/n/{x}", ["GET"], "str"))
    m = r.match(f"/n/{huge}", "GET")
    assert m is not None and m.endpoint == "str" and m.path_params == {"x": huge}
    assert router(("/n/{x:int}", ["GET"], "int")).match(f"/n/{huge}", "GET") is None


def test_same_shape_templates_with_different_names_keep_their_names() -> None:
    r = router(("/a/{x}", ["GET"], "by_x"), ("/a/{y}", ["POST"], "by_y"))
    get = r.match("/a/1", "GET")
    post = r.match("/a/1", "POST")
    assert get is not None and (get.endpoint, get.path_params) == ("by_x", {"x": "1"})
    assert post is not None and (post.endpoint, post.path_params) == ("by_y", {"y": "1"})


def test_params_are_not_percent_decoded() -> None:
    r = router(("/q/{term}", ["GET"], "q"))
    m = r.match("/q/a%2Fb c", "GET")
    assert m is not None and m.path_params == {"term": "a%2Fb c"}


def test_each_match_gets_its_own_params_dict() -> None:
    r = router(("/a", ["GET"], "a"), ("/b/{x}", ["GET"], "b"))
    for path in ("/a", "/b/1"):
        first = r.match(path, "GET")
        assert first is not None
        first.path_params["mutated"] = True
        second = r.match(path, "GET")
        assert second is not None and "mutated" not in second.path_params


# -- path convertor -----------------------------------------------------------------------


def test_path_param_takes_the_rest_including_slashes() -> None:
    r = router(("/files/{rest:path}", ["GET"], "files"))
    m = r.match("/files/a/b/c.txt", "GET")
    assert m is not None and m.path_params == {"rest": "a/b/c.txt"}
    m = r.match("/files/", "GET")
    assert m is not None and m.path_params == {"rest": ""}
    m = r.match("/files//x/", "GET")
    assert m is not None and m.path_params == {"rest": "/x/"}
    assert r.match("/files", "GET") is None
    assert r.match("/filesx/a", "GET") is None


def test_path_param_after_other_params_and_in_a_mixed_segment() -> None:
    r = router(
        ("/repo/{owner}/{name}/blob/{ref}/{file:path}", ["GET"], "blob"),
        ("/assets/v{version:int}-{rest:path}", ["GET"], "assets"),
    )
    m = r.match("/repo/me/proj/blob/main/src/app.py", "GET")
    assert m is not None
    assert m.path_params == {
        "owner": "me",
        "name": "proj",
        "ref": "main",
        "file": "src/app.py",
    }
    m = r.match("/assets/v3-css/site.css", "GET")
    assert m is not None and m.path_params == {"version": 3, "rest": "css/site.css"}
    assert r.match("/assets/vx-css/site.css", "GET") is None


def test_path_params_on_paths_deeper_than_any_template() -> None:
    deep = "/" + "/".join(["s"] * 500)
    r = router(("/{p:path}", ["GET"], "all"), ("/a/{x}", ["GET"], "a"))
    m = r.match(deep, "GET")
    assert m is not None and m.path_params == {"p": deep[1:]}
    assert router(("/a/{x}", ["GET"], "a")).match("/a" + deep, "GET") is None


# -- mixed segments -----------------------------------------------------------------------


def test_mixed_segments() -> None:
    r = router(
        ("/dl/{name}.{ext}", ["GET"], "dl"),
        ("/v{version:int}/items", ["GET"], "versioned"),
        ("/report-{year:int}-{month:int}.csv", ["GET"], "report"),
    )
    m = r.match("/dl/archive.tar.gz", "GET")
    assert m is not None and m.path_params == {"name": "archive.tar", "ext": "gz"}
    m = r.match("/v2/items", "GET")
    assert m is not None and m.path_params == {"version": 2}
    m = r.match("/report-2024-06.csv", "GET")
    assert m is not None and m.path_params == {"year": 2024, "month": 6}
    assert r.match("/dl/noext", "GET") is None
    assert r.match("/vX/items", "GET") is None
    assert r.match("/report-2024-06.txt", "GET") is None


# -- priority and backtracking ------------------------------------------------------------


@pytest.mark.parametrize("static_first", [True, False])
def test_static_segment_beats_param_whatever_the_order(static_first: bool) -> None:
    routes: list[Route] = [("/users/me", ["GET"], "me"), ("/users/{id}", ["GET"], "user")]
    r = router(*(routes if static_first else routes[::-1]))
    assert endpoint(r, "/users/me") == "me"
    assert endpoint(r, "/users/bob") == "user"


@pytest.mark.parametrize("typed_first", [True, False])
def test_typed_param_beats_str_param(typed_first: bool) -> None:
    routes: list[Route] = [("/a/{n:int}", ["GET"], "int"), ("/a/{s}", ["GET"], "str")]
    r = router(*(routes if typed_first else routes[::-1]))
    m = r.match("/a/7", "GET")
    assert m is not None and (m.endpoint, m.path_params) == ("int", {"n": 7})
    m = r.match("/a/seven", "GET")
    assert m is not None and (m.endpoint, m.path_params) == ("str", {"s": "seven"})


def test_str_beats_mixed_beats_path() -> None:
    r = router(
        ("/f/{rest:path}", ["GET"], "path"),
        ("/f/{stem}.{ext}", ["GET"], "mixed"),
        ("/f/{name}", ["GET"], "str"),
    )
    assert endpoint(r, "/f/a.txt") == "str"  # [^/]+ accepts "a.txt" too
    assert endpoint(r, "/f/a/b") == "path"
    r2 = router(("/g/{rest:path}", ["GET"], "path"), ("/g/{stem}.{ext}", ["GET"], "mixed"))
    assert endpoint(r2, "/g/a.txt") == "mixed"
    assert endpoint(r2, "/g/readme") == "path"


def test_backtracking_from_static_branch_to_param_branch() -> None:
    r = router(
        ("/users/me/settings", ["GET"], "settings"),
        ("/users/me/{tab:int}", ["GET"], "me_tab"),
        ("/users/{id}/posts", ["GET"], "posts"),
    )
    m = r.match("/users/me/posts", "GET")
    assert m is not None and (m.endpoint, m.path_params) == ("posts", {"id": "me"})
    assert endpoint(r, "/users/me/settings") == "settings"
    assert endpoint(r, "/users/me/3") == "me_tab"


def test_backtracking_from_typed_branch_to_str_branch() -> None:
    r = router(("/a/{x:int}/foo", ["GET"], "int_foo"), ("/a/{y}/bar", ["GET"], "str_bar"))
    m = r.match("/a/5/bar", "GET")
    assert m is not None and (m.endpoint, m.path_params) == ("str_bar", {"y": "5"})
    m = r.match("/a/5/foo", "GET")
    assert m is not None and (m.endpoint, m.path_params) == ("int_foo", {"x": 5})


def test_backtracking_into_path_param_restores_params() -> None:
    r = router(("/x/{a}/{b:int}/end", ["GET"], "deep"), ("/x/{rest:path}", ["GET"], "rest"))
    m = r.match("/x/one/2/other", "GET")
    assert m is not None and (m.endpoint, m.path_params) == ("rest", {"rest": "one/2/other"})


# -- methods and 405 ----------------------------------------------------------------------


def test_405_when_path_matches_but_method_does_not() -> None:
    r = router(("/items/{id:int}", ["PUT", "GET", "DELETE"], "item"))
    m = r.match("/items/3", "POST")
    assert m == Match(None, ("DELETE", "GET", "PUT"), {"id": 3}, "/items/{id:int}")
    s = router(("/static", ["POST"], "s"))
    assert s.match("/static", "GET") == Match(None, ("POST",), {}, "/static")


def test_method_picks_the_first_candidate_that_accepts_it() -> None:
    r = router(("/users/me", ["GET"], "me"), ("/users/{id}", ["GET", "DELETE"], "user"))
    assert endpoint(r, "/users/me", "GET") == "me"
    m = r.match("/users/me", "DELETE")
    assert m is not None and (m.endpoint, m.path_params) == ("user", {"id": "me"})
    # neither accepts PUT: 405 with the methods of the first path-matching candidate
    assert r.match("/users/me", "PUT") == Match(None, ("GET",), {}, "/users/me")


def test_405_reports_first_path_matching_leaf_in_priority_order() -> None:
    r = router(("/a/{s}", ["POST"], "str"), ("/a/{n:int}", ["PUT"], "int"))
    assert r.match("/a/1", "GET") == Match(None, ("PUT",), {"n": 1}, "/a/{n:int}")
    assert r.match("/a/x", "GET") == Match(None, ("POST",), {"s": "x"}, "/a/{s}")
    m = r.match("/a/1", "POST")
    assert m is not None and (m.endpoint, m.path_params) == ("str", {"s": "1"})


def test_same_template_merges_methods_and_first_registration_wins() -> None:
    r = router(
        ("/r/{id}", ["GET"], "first"),
        ("/r/{id}", ["get", "POST"], "second"),
        ("/s", ["GET"], "s1"),
        ("/s", ["GET", "PATCH"], "s2"),
    )
    assert endpoint(r, "/r/1", "GET") == "first"
    assert endpoint(r, "/r/1", "POST") == "second"
    m = r.match("/r/1", "DELETE")
    assert m is not None and m.allowed == ("GET", "POST")
    assert endpoint(r, "/s", "GET") == "s1"
    assert endpoint(r, "/s", "PATCH") == "s2"


def test_head_is_not_added_for_get() -> None:
    r = router(("/a", ["GET"], "a"), ("/b/{x}", ["GET"], "b"))
    assert r.match("/a", "HEAD") == Match(None, ("GET",), {}, "/a")
    m = r.match("/b/1", "HEAD")
    assert m is not None and m.endpoint is None and m.allowed == ("GET",)


# -- mounts -------------------------------------------------------------------------------


def test_mount_prefix_matches_at_segment_boundaries() -> None:
    r = router(mounts=(("/static", "static"),))
    assert r.match_mount("/static") == MountMatch("static", "/static", "/", {})
    assert r.match_mount("/static/") == MountMatch("static", "/static", "/", {})
    assert r.match_mount("/static/css/a.css") == MountMatch("static", "/static", "/css/a.css", {})
    assert r.match_mount("/staticfoo") is None
    assert r.match_mount("/") is None
    assert r.match_mount("/other/static") is None


def test_longest_mount_prefix_wins_and_root_mount_catches_the_rest() -> None:
    r = router(
        mounts=(("", "root"), ("/api", "api"), ("/api/v2/", "v2"), ("/api/v2", "v2-dup")),
    )
    assert r.match_mount("/api/v2/users") == MountMatch("v2", "/api/v2", "/users", {})
    assert r.match_mount("/api/v1/users") == MountMatch("api", "/api", "/v1/users", {})
    assert r.match_mount("/api") == MountMatch("api", "/api", "/", {})
    assert r.match_mount("/elsewhere/x") == MountMatch("root", "", "/elsewhere/x", {})
    assert r.match_mount("") == MountMatch("root", "", "/", {})
    assert router(mounts=(("/", "slash-root"),)).match_mount("/a") == MountMatch(
        "slash-root", "", "/a", {}
    )


def test_mount_prefix_with_params() -> None:
    r = router(
        ("/users/{uid:int}", ["GET"], "user"),
        mounts=(("/users/{uid:int}/files", "files"), ("/users/me/files", "my-files")),
    )
    assert r.match_mount("/users/7/files/a/b.txt") == MountMatch(
        "files", "/users/7/files", "/a/b.txt", {"uid": 7}
    )
    assert r.match_mount("/users/me/files/x") == MountMatch("my-files", "/users/me/files", "/x", {})
    assert r.match_mount("/users/bob/files/x") is None
    assert endpoint(r, "/users/7") == "user"
    assert r.match("/users/7/files/a", "GET") is None  # routes and mounts are separate


def test_mount_prefix_with_mixed_segment_and_param_values_are_restored() -> None:
    r = router(mounts=(("/v{n:int}/api", "api"), ("/v{n:int}", "version")))
    assert r.match_mount("/v3/api/x") == MountMatch("api", "/v3/api", "/x", {"n": 3})
    assert r.match_mount("/v3/docs") == MountMatch("version", "/v3", "/docs", {"n": 3})


def test_mount_prefix_cannot_hold_a_path_param() -> None:
    with pytest.raises(ValueError, match="path parameter"):
        router(mounts=(("/files/{rest:path}", "files"),))


# -- templates ----------------------------------------------------------------------------


def test_parse_collects_names_in_order_and_convertors() -> None:
    t = PathTemplate.parse("/items/{item_id:int}/files/{rest:path}")
    assert t.path == "/items/{item_id:int}/files/{rest:path}"
    assert t.param_names == ("item_id", "rest")
    assert t.convertors == {"item_id": CONVERTOR_TYPES["int"], "rest": CONVERTOR_TYPES["path"]}
    assert PathTemplate.parse("/a/{x}").convertors["x"] is CONVERTOR_TYPES["str"]
    assert PathTemplate.parse("/a").param_names == ()
    assert t == PathTemplate.parse(t.path)
    assert hash(t) == hash(PathTemplate.parse(t.path))


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "start with '/'"),
        ("items/{id}", "start with '/'"),
        ("/{a}/{a:int}", "Duplicated param name a"),
        ("/{a:nope}", "Unknown path convertor 'nope'"),
        ("/{a", "Unbalanced braces"),
        ("/a}", "Unbalanced braces"),
        ("/{{a}}", "Unbalanced braces"),
        ("/{a:}", "Unbalanced braces"),
        ("/{1a}", "Unbalanced braces"),
        ("/{rest:path}/x", "must be last"),
        ("/{rest:path}{b}", "must be last"),
    ],
)
def test_parse_rejects_bad_templates(path: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PathTemplate.parse(path)
    with pytest.raises(ValueError, match=message):
        compile_routes([(path, ["GET"], "x")])


def test_direct_construction_must_agree_with_the_path() -> None:
    with pytest.raises(ValueError, match="do not match"):
        PathTemplate("/a/{x}", ("y",), {"x": CONVERTOR_TYPES["str"]})
    with pytest.raises(ValueError, match="No convertor"):
        PathTemplate("/a/{x}", ("x",), {})


@pytest.mark.parametrize(
    ("template", "params", "expected"),
    [
        ("/", {}, "/"),
        ("/items/{item_id:int}", {"item_id": 42}, "/items/42"),
        ("/u/{name}/f/{rest:path}", {"name": "bob", "rest": "a/b.txt"}, "/u/bob/f/a/b.txt"),
        ("/f/{rest:path}", {"rest": ""}, "/f/"),
        ("/p/{x:float}", {"x": 1.5}, "/p/1.5"),
        ("/dl/{name}.{ext}", {"name": "a", "ext": "zip"}, "/dl/a.zip"),
        ("/v{version:int}/x", {"version": 2}, "/v2/x"),
        (
            "/t/{id:uuid}",
            {"id": uuid.UUID(int=1)},
            "/t/00000000-0000-0000-0000-000000000001",
        ),
    ],
)
def test_format_round_trips_through_match(
    template: str, params: dict[str, Any], expected: str
) -> None:
    path = PathTemplate.parse(template).format(**params)
    assert path == expected
    m = router((template, ["GET"], "ep")).match(path, "GET")
    assert m is not None and m.path_params == params and m.route_path == template


def test_format_errors() -> None:
    t = PathTemplate.parse("/u/{name}/{n:int}")
    with pytest.raises(KeyError, match="n"):
        t.format(name="bob")
    with pytest.raises(ValueError, match="extra"):
        t.format(name="bob", n=1, extra=2)
    with pytest.raises(ValueError, match="name"):
        t.format(name="a/b", n=1)  # would not match the template again
    with pytest.raises(ValueError, match="name"):
        t.format(name="", n=1)
    with pytest.raises(ValueError, match="'n'"):
        t.format(name="bob", n=-1)


# -- custom convertor ---------------------------------------------------------------------


class HexConvertor(Convertor[int]):
    regex = "[0-9a-f]+"

    def convert(self, value: str) -> int:
        return int(value, 16)

    def to_string(self, value: int) -> str:
        return format(value, "x")


@pytest.fixture
def hex_convertor() -> Iterator[None]:
    assert "hex" not in CONVERTOR_TYPES
    register_url_convertor("hex", HexConvertor())
    try:
        yield
    finally:
        del CONVERTOR_TYPES["hex"]


@pytest.mark.usefixtures("hex_convertor")
def test_custom_convertor_converts_formats_and_ranks_as_typed() -> None:
    r = router(
        ("/c/{name}", ["GET"], "str"),
        ("/c/{color:hex}", ["GET"], "hex"),
        ("/px/{a:hex}x{b:hex}", ["GET"], "mixed"),
    )
    m = r.match("/c/ff", "GET")
    assert m is not None and (m.endpoint, m.path_params) == ("hex", {"color": 255})
    m = r.match("/c/red", "GET")
    assert m is not None and (m.endpoint, m.path_params) == ("str", {"name": "red"})
    m = r.match("/px/10x1f", "GET")
    assert m is not None and m.path_params == {"a": 16, "b": 31}
    assert PathTemplate.parse("/c/{color:hex}").format(color=4095) == "/c/fff"


# -- scale and debugging ------------------------------------------------------------------


def test_ten_thousand_parameterised_routes_match_correctly() -> None:
    routes: list[Route] = []
    for i in range(2500):
        routes.append((f"/r{i}/{{id:int}}", ["GET"], f"get{i}"))
        routes.append((f"/r{i}/{{id:int}}/items/{{item}}", ["GET", "PUT"], f"item{i}"))
        routes.append((f"/api/{{tenant}}/res{i}/{{key:uuid}}", ["DELETE"], f"res{i}"))
        routes.append((f"/files{i}/{{name}}.{{ext}}", ["GET"], f"file{i}"))
    r: CompiledRouter[str, Any] = compile_routes(routes)
    key = uuid.UUID(int=12345)
    for i in (0, 1, 777, 1234, 2499):
        m = r.match(f"/r{i}/{i * 3}/items/x{i}", "PUT")
        assert m is not None
        assert (m.endpoint, m.path_params) == (f"item{i}", {"id": i * 3, "item": f"x{i}"})
        assert endpoint(r, f"/r{i}/5") == f"get{i}"
        m = r.match(f"/api/acme/res{i}/{key}", "DELETE")
        assert m is not None and m.path_params == {"tenant": "acme", "key": key}
        assert endpoint(r, f"/api/acme/res{i}/{key}", "DELETE") == f"res{i}"
        m = r.match(f"/files{i}/report.pdf", "GET")
        assert m is not None and m.path_params == {"name": "report", "ext": "pdf"}
        template = f"/api/{{tenant}}/res{i}/{{key:uuid}}"
        expected = Match(None, ("DELETE",), {"tenant": "acme", "key": key}, template)
        assert r.match(f"/api/acme/res{i}/{key}", "GET") == expected
    assert r.match("/r2500/1", "GET") is None
    assert r.match("/r1/notanint", "GET") is None
    assert r.match("/api/acme/res1/not-a-uuid", "DELETE") is None


def test_describe_lists_routes_and_mounts() -> None:
    def list_users() -> None: ...

    r = compile_routes(
        [
            ("/health", ["GET"], "health"),
            ("/users", ["GET"], list_users),
            ("/users/{id:int}", ["GET", "DELETE"], "user"),
            ("/files/{rest:path}", ["GET"], "files"),
        ],
        [("/static", "static-app")],
    )
    text = r.describe()
    for fragment in (
        "/health",
        "list_users",
        "/users/{id:int}",
        "DELETE -> 'user'",
        "GET -> 'user'",
        "/files/{rest:path}",
        "{int}",
        "mount /static -> 'static-app'",
    ):
        assert fragment in text
    assert text.index("/users/{id:int}") < text.index("/files/{rest:path}")


# -- differential check against a brute-force reference -----------------------------------

SEGMENTS = ["a", "b", "me", "{x}", "{n:int}", "{f:float}", "{s}.{e}", "v{k:int}", "{p:path}"]
PATH_PARTS = ["a", "b", "me", "1", "22", "2.5", "x.y", "v3", "", "zz"]
METHODS = ["GET", "POST", "DELETE"]


def _edge(segment: str) -> tuple[int, str]:
    """(tier, identity) of a template segment, per the documented priority."""
    if "{" not in segment:
        return 0, segment
    if segment.endswith(":path}"):
        return 4, re.sub(r"\{\w+", "{", segment)
    if re.fullmatch(r"\{\w+:(int|float)\}", segment):
        return 1, segment.split(":")[1]
    if re.fullmatch(r"\{\w+\}", segment):
        return 2, "str"
    return 3, re.sub(r"\{\w+", "{", segment)


def reference_match(routes: list[Route], path: str, method: str) -> Match[str] | None:
    """Try every route with Starlette's own regex; order the hits by the priority rules."""
    first_seen: dict[tuple[tuple[int, str], ...], int] = {}
    templates: dict[str, tuple[list[str], str]] = {}  # template -> (methods, first endpoint)
    merged: dict[str, dict[str, str]] = {}
    for template, methods, ep in routes:
        prefix: tuple[tuple[int, str], ...] = ()
        for segment in template[1:].split("/"):
            prefix += (_edge(segment),)
            first_seen.setdefault(prefix, len(first_seen))
        for meth in methods:
            merged.setdefault(template, {}).setdefault(meth, ep)
        templates.setdefault(template, (methods, ep))
    hits = []
    for order, template in enumerate(merged):
        regex, _, convertors = compile_path(template)
        found = regex.match(path or "/")
        if found is None:
            continue
        prefix, key = (), []
        for segment in template[1:].split("/"):
            prefix += (_edge(segment),)
            key.append((prefix[-1][0], first_seen[prefix]))
        params = {k: convertors[k].convert(v) for k, v in found.groupdict().items()}
        hits.append((key, order, template, params))
    hits.sort(key=lambda h: (h[0], h[1]))
    for _, _, template, params in hits:
        if method in merged[template]:
            return Match(
                merged[template][method], tuple(sorted(merged[template])), params, template
            )
    if hits:
        _, _, template, params = hits[0]
        return Match(None, tuple(sorted(merged[template])), params, template)
    return None


def random_template(rng: random.Random) -> str:
    """A template of 1-3 random segments, parameters renamed q0, q1, ... to stay unique."""
    segments = [rng.choice(SEGMENTS) for _ in range(rng.randint(1, 3))]
    if any(s.endswith(":path}") for s in segments[:-1]):
        segments = segments[-1:]
    names = iter(f"q{j}" for j in range(20))
    renamed = [re.sub(r"\{\w+", lambda _: "{" + next(names), s) for s in segments]
    return "/" + "/".join(renamed)


@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_reference(seed: int) -> None:
    rng = random.Random(seed)
    routes: list[Route] = [
        (random_template(rng), rng.sample(METHODS, rng.randint(1, 2)), f"ep{k}")
        for k in range(rng.randint(1, 12))
    ]
    r = router(*routes)
    for _ in range(150):
        path = "/" + "/".join(rng.choice(PATH_PARTS) for _ in range(rng.randint(1, 4)))
        method = rng.choice(METHODS)
        assert r.match(path, method) == reference_match(routes, path, method), (routes, path)
