"""Endpoint plans: a handler and its dependency tree, flattened once at startup.

A plan says which parts of the request to read, holds the validators built for them,
and lists the calls to make in order (dependencies first, the handler last). The
executor (:mod:`hinted._execution`) only follows it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter

from hinted import params
from hinted._pydantic import FieldSpec, typed_dict_adapter, value_adapter
from hinted._signature import (
    CallKind,
    CallSignature,
    DependencyParam,
    SpecialKind,
    ValueParam,
    analyse,
)
from hinted.exceptions import HintedError
from hinted.params import ParamSource
from hinted.websockets import MessageCodec, typed_socket_types

# Where a step's keyword argument comes from.
FROM_VALUES = 0  # the validated request values, by key
FROM_STEP = 1  # an earlier step's result, by index
FROM_SPECIAL = 2  # a framework object (Request, Response, BackgroundTasks...)


@dataclasses.dataclass(slots=True)
class Step:
    """One call of the plan: a dependency or the handler itself."""

    call: Callable[..., Any]
    kind: CallKind
    args: tuple[tuple[str, int, Any], ...]
    scopes: tuple[str, ...] = ()
    # Depends(..., scope="function"): a yield dependency finished before the response.
    function_scope: bool = False
    # The validator and serialiser of the messages of a TypedWebSocket this step takes.
    messages: MessageCodec[Any, Any] | None = None


@dataclasses.dataclass(slots=True)
class BodyPlan:
    """How to validate a JSON body: whole (one parameter) or embedded by name."""

    adapter: TypeAdapter[Any]
    key: str | None  # the value's key when the body is one un-embedded parameter
    keys: tuple[str, ...]  # every key of that parameter (dependencies may read it too)
    required: bool
    default: Any
    fields: list[ValueParam]
    media_type: str
    default_factory: Callable[[], Any] | None = None  # called per request, when given


@dataclasses.dataclass(slots=True)
class FormPlan:
    """The form fields a plan reads: wire name -> (is a list, is read as bytes)."""

    fields: dict[str, tuple[bool, bool]]
    values: list[ValueParam]
    media_type: str


@dataclasses.dataclass(slots=True)
class EndpointPlan:
    """Everything the executor needs for one route, computed once."""

    steps: tuple[Step, ...]
    endpoint: Step
    direct: bool  # the handler takes only validated values: call it with them as they are
    path: bool
    query: dict[str, bool] | None  # wire name -> is a list
    headers: dict[bytes, tuple[str, bool]] | None  # lower-case name -> (wire name, is a list)
    cookies: frozenset[str] | None
    adapter: TypeAdapter[dict[str, Any]] | None
    body: BodyPlan | None
    form: FormPlan | None
    specials: frozenset[SpecialKind]
    value_params: list[tuple[ValueParam, str]]  # every request value, with its key
    has_generators: bool
    function_scoped: bool  # some yield dependency finishes before the response

    @property
    def reads_request(self) -> bool:
        return self.adapter is not None or self.body is not None


class _PlanBuilder:
    def __init__(self, path_params: frozenset[str], overrides: Mapping[Any, Any]) -> None:
        self.path_params = path_params
        self.overrides = overrides
        self.steps: list[Step] = []
        self.cache: dict[tuple[Any, tuple[str, ...]], int] = {}
        self.values: list[tuple[ValueParam, str]] = []
        self.specials: set[SpecialKind] = set()
        self.visits = 0
        self.codecs: list[MessageCodec[Any, Any]] = []

    def arguments(self, signature: CallSignature, prefix: str) -> tuple[tuple[str, int, Any], ...]:
        found: dict[str, tuple[str, int, Any]] = {}
        for value in signature.values:
            key = prefix + value.name
            self.values.append((value, key))
            found[value.name] = (value.name, FROM_VALUES, key)
        for special in signature.specials:
            self.specials.add(special.kind)
            found[special.name] = (special.name, FROM_SPECIAL, special.kind)
        for dependency in signature.dependencies:
            found[dependency.name] = (dependency.name, FROM_STEP, self.dependency(dependency))
        return tuple(found[name] for name in signature.order if name in found)

    def dependency(self, dependency: DependencyParam) -> int:
        original = dependency.signature.call
        call = self.overrides.get(original, original)
        signature = dependency.signature
        if call is not original:
            signature = analyse(call, path_params=self.path_params, scopes=dependency.scopes)
        cache_key = (call, tuple(sorted(dependency.scopes)))
        if dependency.use_cache and cache_key in self.cache:
            return self.cache[cache_key]
        self.visits += 1
        args = self.arguments(signature, f"{self.visits}:")
        function_scope = dependency.marker.scope == "function"
        self.steps.append(
            Step(
                call,
                signature.kind,
                args,
                dependency.scopes,
                function_scope,
                message_codec(signature, self.codecs),
            )
        )
        index = len(self.steps) - 1
        if dependency.use_cache:
            self.cache[cache_key] = index
        return index


def build_plan(
    endpoint: Callable[..., Any],
    *,
    path_params: frozenset[str],
    dependencies: Sequence[params.Depends] = (),
    overrides: Mapping[Any, Any] | None = None,
    signature: CallSignature | None = None,
) -> EndpointPlan:
    """Analyse ``endpoint`` (unless given its signature) and flatten it into a plan."""
    builder = _PlanBuilder(path_params, overrides or {})
    for marker in dependencies:
        call = marker.dependency
        if call is None:
            raise HintedError("A route-level Depends() needs a callable")
        extra = tuple(marker.scopes) if isinstance(marker, params.Security) else ()
        sub = analyse(call, path_params=path_params, scopes=extra)
        builder.dependency(DependencyParam("", sub, marker.use_cache, extra, marker))
    if signature is None:
        signature = analyse(endpoint, path_params=path_params)
    handler = Step(
        endpoint,
        _handler_kind(signature.kind),
        builder.arguments(signature, ""),
        messages=message_codec(signature, builder.codecs),
    )
    direct = not builder.steps and not builder.specials
    return _assemble(builder, handler, direct)


def message_codec(
    signature: CallSignature, known: list[MessageCodec[Any, Any]] | None = None
) -> MessageCodec[Any, Any] | None:
    """The message codec of the ``TypedWebSocket`` that ``signature`` asks for, if any.

    A codec for the same types in ``known`` is reused (and a new one added to it), so
    a dependency and its handler share one socket.
    """
    found: list[tuple[Any, Any, Any]] = []
    for special in signature.specials:
        types = typed_socket_types(special.annotation)
        if types is not None and types not in found:
            found.append(types)
    if not found:
        return None
    if len(found) > 1:
        raise HintedError(f"{signature.name} asks for typed WebSockets of different types")
    for codec in known or ():
        if (codec.incoming_type, codec.outgoing_type, codec.options) == found[0]:
            return codec
    codec = MessageCodec.build(*found[0])
    if known is not None:
        known.append(codec)
    return codec


def _handler_kind(kind: CallKind) -> CallKind:
    """A generator handler streams its items; a generator dependency yields one value."""
    if kind is CallKind.ASYNC_GENERATOR:
        return CallKind.STREAM
    if kind is CallKind.SYNC_GENERATOR:
        return CallKind.SYNC_STREAM
    return kind


def _assemble(builder: _PlanBuilder, handler: Step, direct: bool) -> EndpointPlan:
    by_source: dict[ParamSource, list[tuple[ValueParam, str]]] = {s: [] for s in ParamSource}
    for value, key in builder.values:
        by_source[value.source].append((value, key))
    specs: list[FieldSpec] = []
    for source in (ParamSource.PATH, ParamSource.QUERY, ParamSource.HEADER, ParamSource.COOKIE):
        for value, key in by_source[source]:
            specs.append(
                FieldSpec(key, value.annotation, value.marker, (source.value, value.alias))
            )
    form = _form_plan(by_source[ParamSource.FORM], specs)
    if form is not None and by_source[ParamSource.BODY]:
        raise HintedError("A route cannot read both a JSON body and form fields")
    kinds = {step.kind for step in (*builder.steps, handler)}
    return EndpointPlan(
        steps=tuple(builder.steps),
        endpoint=handler,
        direct=direct and form is None,
        path=bool(by_source[ParamSource.PATH]),
        query={v.alias: v.is_sequence for v, _ in by_source[ParamSource.QUERY]} or None,
        headers={
            v.alias.lower().encode("latin-1"): (v.alias, v.is_sequence)
            for v, _ in by_source[ParamSource.HEADER]
        }
        or None,
        cookies=frozenset(v.alias for v, _ in by_source[ParamSource.COOKIE]) or None,
        adapter=typed_dict_adapter("RequestValues", specs) if specs else None,
        body=_body_plan(by_source[ParamSource.BODY]),
        form=form,
        specials=frozenset(builder.specials),
        value_params=builder.values,
        has_generators=bool(kinds & {CallKind.ASYNC_GENERATOR, CallKind.SYNC_GENERATOR}),
        function_scoped=any(step.function_scope for step in builder.steps),
    )


def _form_plan(values: list[tuple[ValueParam, str]], specs: list[FieldSpec]) -> FormPlan | None:
    if not values:
        return None
    fields: dict[str, tuple[bool, bool]] = {}
    media_type = "application/x-www-form-urlencoded"
    for value, key in values:
        specs.append(FieldSpec(key, value.annotation, value.marker, ("body", value.alias)))
        reads_bytes = _is_bytes(value.annotation)
        fields[value.alias] = (value.is_sequence, reads_bytes)
        if isinstance(value.marker, params.File):
            media_type = "multipart/form-data"
    return FormPlan(fields, [v for v, _ in values], media_type)


def _is_bytes(annotation: Any) -> bool:
    from hinted._signature import strip_optional

    for member in strip_optional(annotation):
        if member is bytes:
            return True
        args = getattr(member, "__args__", ())
        if any(arg is bytes for arg in args):
            return True
    return False


def _body_plan(values: list[tuple[ValueParam, str]]) -> BodyPlan | None:
    if not values:
        return None
    # The same body field read by several dependencies is one field of the body.
    unique: dict[str, tuple[ValueParam, str]] = {}
    for value, key in values:
        unique.setdefault(value.alias, (value, key))
    first, first_key = values[0]
    marker = first.marker
    media_type = marker.media_type if isinstance(marker, params.Body) else "application/json"
    embed = isinstance(marker, params.Body) and bool(marker.embed)
    if len(unique) == 1 and not embed:
        required = marker.required
        return BodyPlan(
            adapter=value_adapter(first.annotation, marker),
            key=first_key,
            keys=tuple(key for _, key in values),
            required=required,
            default=None if required else marker.default,
            default_factory=marker.default_factory(),
            fields=[first],
            media_type=media_type,
        )
    specs = [FieldSpec(key, v.annotation, v.marker, (v.alias,)) for v, key in values]
    return BodyPlan(
        adapter=typed_dict_adapter("Body", specs),
        key=None,
        keys=(),
        required=any(v.required for v, _ in values),
        default=None,
        fields=[v for v, _ in unique.values()],
        media_type=media_type,
    )


__all__ = [
    "FROM_SPECIAL",
    "FROM_STEP",
    "FROM_VALUES",
    "BodyPlan",
    "EndpointPlan",
    "FormPlan",
    "Step",
    "build_plan",
    "message_codec",
]
