"""Signature analysis: a handler or dependency -> what it needs from a request.

Runs once per callable at startup. The result, a :class:`CallSignature`, says for each
parameter whether it is a request value (with its source and wire name), a dependency,
or a special object (Request, Response, BackgroundTasks…). The plan builder
(:mod:`hinted._plan`) turns a tree of these into one flat, executable plan.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined
from starlette.background import BackgroundTasks
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from typing_extensions import is_typeddict

from hinted import params
from hinted._narrowing import is_class
from hinted._security_scopes import SecurityScopes
from hinted.concurrency import INLINE_MARKER
from hinted.exceptions import HintedError
from hinted.params import ParamSource

if TYPE_CHECKING:
    import functools
from hinted.websockets import typed_socket_types


class CallKind(Enum):
    """How a callable is invoked, decided once from its definition."""

    ASYNC = "async"
    SYNC = "sync"
    INLINE = "inline"  # a sync callable marked cheap: called on the event loop
    ASYNC_GENERATOR = "async generator"
    SYNC_GENERATOR = "generator"
    STREAM = "stream"  # a handler written as an async generator: its items are streamed
    SYNC_STREAM = "sync stream"  # the same with a sync generator, iterated in threads


class SpecialKind(Enum):
    """Objects the framework passes in by type rather than by reading the request."""

    REQUEST = "request"
    WEBSOCKET = "websocket"
    TYPED_WEBSOCKET = "typed_websocket"  # hinted.websockets.TypedWebSocket[In, Out]
    CONNECTION = "connection"
    RESPONSE = "response"
    BACKGROUND_TASKS = "background_tasks"
    SECURITY_SCOPES = "security_scopes"


_SPECIAL_TYPES: tuple[tuple[type[Any], SpecialKind], ...] = (
    (Request, SpecialKind.REQUEST),
    (WebSocket, SpecialKind.WEBSOCKET),
    (HTTPConnection, SpecialKind.CONNECTION),
    (Response, SpecialKind.RESPONSE),
    (BackgroundTasks, SpecialKind.BACKGROUND_TASKS),
    (SecurityScopes, SpecialKind.SECURITY_SCOPES),
)


@dataclasses.dataclass(slots=True)
class ValueParam:
    """A parameter whose value is read from the request and validated."""

    name: str
    annotation: Any
    marker: params.Param
    alias: str
    is_sequence: bool

    @property
    def source(self) -> ParamSource:
        return self.marker.source

    @property
    def required(self) -> bool:
        return self.marker.required


@dataclasses.dataclass(slots=True)
class DependencyParam:
    """A parameter whose value is another callable's result."""

    name: str
    signature: CallSignature
    use_cache: bool
    scopes: tuple[str, ...]
    marker: params.Depends


@dataclasses.dataclass(slots=True)
class SpecialParam:
    """A parameter that receives a framework object, chosen by its annotation."""

    name: str
    kind: SpecialKind
    annotation: Any = None  # kept for TYPED_WEBSOCKET: the message types are in it


@dataclasses.dataclass(slots=True)
class CallSignature:
    """Everything a callable needs, in its parameters' order."""

    call: Callable[..., Any]
    kind: CallKind
    values: list[ValueParam]
    dependencies: list[DependencyParam]
    specials: list[SpecialParam]
    return_annotation: Any
    order: list[str]  # parameter names in declaration order

    @property
    def name(self) -> str:
        return getattr(self.call, "__name__", type(self.call).__name__)


def call_kind(call: Callable[..., Any]) -> CallKind:
    """Whether ``call`` is a coroutine function, a generator function, or plain."""
    target: Any = call
    inline = getattr(call, INLINE_MARKER, False)
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        if inspect.isclass(target):
            return CallKind.INLINE if inline else CallKind.SYNC
        dunder = getattr(target, "__call__", None)  # noqa: B004
        if dunder is not None:
            target = dunder
    while isinstance(target, _partial_types()):
        target = target.func
    if inspect.isasyncgenfunction(target):
        return CallKind.ASYNC_GENERATOR
    if inspect.isgeneratorfunction(target):
        return CallKind.SYNC_GENERATOR
    if inspect.iscoroutinefunction(target):
        return CallKind.ASYNC
    return CallKind.INLINE if inline else CallKind.SYNC


def _partial_types() -> tuple[type[functools.partial[Any]], ...]:
    import functools

    return (functools.partial,)


def analyse(
    call: Callable[..., Any],
    *,
    path_params: frozenset[str],
    scopes: tuple[str, ...] = (),
    stack: tuple[Callable[..., Any], ...] = (),
) -> CallSignature:
    """Read ``call``'s signature (and its dependencies' recursively) into a CallSignature."""
    if call in stack:
        chain = " -> ".join(getattr(c, "__name__", repr(c)) for c in (*stack, call))
        raise HintedError(f"Circular dependency: {chain}")
    try:
        signature = inspect.signature(call, eval_str=True)
    except NameError as exc:
        raise HintedError(f"Cannot resolve the annotations of {call!r}: {exc}") from exc
    except (TypeError, ValueError):
        signature = inspect.Signature()
    result = CallSignature(
        call=call,
        kind=call_kind(call),
        values=[],
        dependencies=[],
        specials=[],
        return_annotation=signature.return_annotation,
        order=[],
    )
    for parameter in signature.parameters.values():
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        result.order.append(parameter.name)
        _analyse_parameter(parameter, result, path_params, scopes, (*stack, call))
    return result


def _analyse_parameter(
    parameter: inspect.Parameter,
    result: CallSignature,
    path_params: frozenset[str],
    scopes: tuple[str, ...],
    stack: tuple[Callable[..., Any], ...],
) -> None:
    annotation, markers = _split_annotated(parameter.annotation)
    default = parameter.default
    if isinstance(default, (params.Param, params.Depends)):
        markers.append(default)
        default = PydanticUndefined
    elif default is inspect.Parameter.empty:
        default = PydanticUndefined
    if len(markers) > 1:
        raise HintedError(
            f"Parameter {parameter.name!r} of {result.name} has several markers: {markers!r}"
        )
    marker = markers[0] if markers else None
    if annotation is inspect.Parameter.empty:
        annotation = Any

    if isinstance(marker, params.Depends):
        dependency = marker.dependency or (annotation if callable(annotation) else None)
        if dependency is None:
            raise HintedError(f"Depends() on {parameter.name!r} needs a callable or a class")
        extra = tuple(marker.scopes) if isinstance(marker, params.Security) else ()
        sub = analyse(dependency, path_params=path_params, scopes=scopes + extra, stack=stack)
        result.dependencies.append(
            DependencyParam(parameter.name, sub, marker.use_cache, scopes + extra, marker)
        )
        return

    special = _special_kind(annotation)
    if special is not None and marker is None:
        result.specials.append(SpecialParam(parameter.name, special, annotation))
        return

    if marker is None:
        marker = _implicit_marker(parameter.name, annotation, path_params)
    assert isinstance(marker, params.Param)
    if default is not PydanticUndefined:
        if marker.source is ParamSource.PATH:
            pass  # a path parameter is always required
        else:
            marker = _with_default(marker, default)
    if (
        marker.source is ParamSource.PATH
        and parameter.name not in path_params
        and marker.alias not in path_params
    ):
        raise HintedError(
            f"Path parameter {parameter.name!r} of {result.name} is not in the route's path"
        )
    _refuse_parameter_model(parameter.name, result.name, marker, annotation)
    result.values.append(
        ValueParam(
            name=parameter.name,
            annotation=annotation,
            marker=marker,
            alias=_wire_name(parameter.name, marker),
            is_sequence=is_sequence(annotation),
        )
    )


def _refuse_parameter_model(name: str, owner: str, marker: params.Param, annotation: Any) -> None:
    """A model read from the query, headers, cookies or a form is not supported (yet).

    Refused at startup: read as one value named ``name``, it could never validate.
    """
    if marker.source in (ParamSource.PATH, ParamSource.BODY) or isinstance(marker, params.File):
        return
    if any(_is_structured(member) for member in strip_optional(annotation)):
        raise HintedError(
            f"Parameter {name!r} of {owner}: a model read from the {marker.source.value} "
            "(a parameter model) is not supported; declare its fields as parameters"
        )


def _split_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """``Annotated[int, Query(ge=1), "doc"]`` -> ``(Annotated[int, "doc"], [Query(ge=1)])``."""
    if get_origin(annotation) is not Annotated:
        return annotation, []
    base, *extras = get_args(annotation)
    markers = [e for e in extras if isinstance(e, (params.Param, params.Depends))]
    others = [e for e in extras if not isinstance(e, (params.Param, params.Depends))]
    if others:
        base = Annotated[(base, *others)]
    return base, markers


def _with_default(marker: params.Param, default: Any) -> params.Param:
    """A copy of ``marker`` with the default taken from the parameter's ``= value``."""
    import copy

    clone = copy.copy(marker)
    clone.default = default
    return clone


def _special_kind(annotation: Any) -> SpecialKind | None:
    if typed_socket_types(annotation) is not None:
        return SpecialKind.TYPED_WEBSOCKET
    if not isinstance(annotation, type):
        return None
    for cls, kind in _SPECIAL_TYPES:
        if issubclass(annotation, cls):
            return kind
    return None


def _implicit_marker(name: str, annotation: Any, path_params: frozenset[str]) -> params.Param:
    """FastAPI's rules for an unmarked parameter: path name, file, body model, else query."""
    if name in path_params:
        return params.Path()
    if _mentions_upload_file(annotation):
        return params.File()
    if is_scalar(annotation):
        return params.Query()
    return params.Body()


def _wire_name(name: str, marker: params.Param) -> str:
    if marker.alias:
        return marker.alias
    if isinstance(marker, params.Header) and marker.convert_underscores:
        return name.replace("_", "-")
    return name


def strip_optional(annotation: Any) -> list[Any]:
    """The members of a union without ``None`` (or the annotation itself)."""
    annotation = _unwrap_annotated(annotation)
    if get_origin(annotation) in (Union, types.UnionType):
        return [arg for arg in get_args(annotation) if arg is not type(None)]
    return [annotation]


def _unwrap_annotated(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


_SEQUENCE_ORIGINS = (list, set, frozenset, tuple, Sequence)


def is_sequence(annotation: Any) -> bool:
    """True for ``list[str]``, ``set[int] | None``, ``tuple[int, ...]`` and the like."""
    for member in strip_optional(annotation):
        origin = get_origin(member) or member
        if isinstance(origin, type) and origin in _SEQUENCE_ORIGINS:
            return True
        if isinstance(origin, type) and issubclass(origin, (list, set, frozenset, tuple)):
            return True
    return False


def _is_structured(member: Any) -> bool:
    origin = get_origin(member) or member
    if not is_class(origin):
        return False
    if issubclass(origin, (BaseModel, dict, Mapping)) or is_typeddict(origin):
        return True
    return dataclasses.is_dataclass(origin)


def is_scalar(annotation: Any) -> bool:
    """True when a value of this type fits in one query string value."""
    for member in strip_optional(annotation):
        if _is_structured(member) or is_sequence(member):
            return False
    return True


def _mentions_upload_file(annotation: Any) -> bool:
    for member in strip_optional(annotation):
        origin = get_origin(member)
        candidates = get_args(member) if origin in _SEQUENCE_ORIGINS else (member,)
        for candidate in candidates:
            candidate = _unwrap_annotated(candidate)
            if isinstance(candidate, type) and issubclass(candidate, StarletteUploadFile):
                return True
    return False


def is_scalar_sequence(annotation: Any) -> bool:
    """True for ``list[int]``-like annotations whose items are scalars."""
    for member in strip_optional(annotation):
        if not is_sequence(member):
            continue
        return all(is_scalar(arg) for arg in get_args(member) if arg is not Ellipsis)
    return False


__all__ = [
    "CallKind",
    "CallSignature",
    "DependencyParam",
    "SpecialKind",
    "SpecialParam",
    "ValueParam",
    "analyse",
    "call_kind",
    "is_scalar",
    "is_sequence",
]
