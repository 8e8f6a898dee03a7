"""Executing an endpoint plan for one HTTP request.

Reads only the parts of the request the plan names, validates them in one call (plus
one for the body), runs the dependency steps in order, calls the handler, encodes the
result and sends it. Cleanup of ``yield`` dependencies runs after the response, in
reverse order, exactly once, and sees the exception the handler raised, if any; when
the request is cancelled (a timeout, the server's shutdown), it sees the
``CancelledError`` and runs to its end, shielded from the cancellation.
"""

from __future__ import annotations

import functools
import io
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

import anyio.to_thread
from pydantic import ValidationError
from starlette.background import BackgroundTask, BackgroundTasks
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.requests import ClientDisconnect, Request, cookie_parser
from starlette.responses import Response

from hinted._encoding import ResponseEncoder
from hinted._forms import check_content_length, read_form
from hinted._plan import FROM_SPECIAL, FROM_STEP, EndpointPlan, Step
from hinted._pydantic import missing_error, request_errors
from hinted._security_scopes import SecurityScopes
from hinted._signature import CallKind, SpecialKind
from hinted.exceptions import HTTPException, RequestValidationError
from hinted.limits import Limits, check_cookies, check_head, exceeded, json_too_deep
from hinted.middleware.functions import HANDOVER_KEY, offer_handover
from hinted.types import ASGIApp, Message, RawHeaders, Receive, Scope, Send

if TYPE_CHECKING:
    from hinted.app import App

logger = logging.getLogger("hinted")

_JSON_HEADER = (b"content-type", b"application/json")
_NO_BODY_STATUS = frozenset({204, 205, 304})
DEFAULT_LIMITS = Limits()
_STREAMS = frozenset({CallKind.STREAM, CallKind.SYNC_STREAM})
_NONE: dict[str, Any] = {}  # the arguments of a handler that reads nothing (never changed)


async def run_sync(
    func: Callable[..., Any], /, limiter: anyio.CapacityLimiter | None = None, **kwargs: Any
) -> Any:
    """Call blocking ``func`` in the thread pool (at most ``limiter``'s threads at once)."""
    return await anyio.to_thread.run_sync(functools.partial(func, **kwargs), limiter=limiter)


async def read_body(receive: Receive, max_size: int | None = None) -> bytes:
    """The whole request body; ``ClientDisconnect`` when the client goes away first.

    With ``max_size``, reading stops with a 413 at the chunk that takes the body past
    it: no more than that is ever held.
    """
    message = await receive()
    if message["type"] == "http.disconnect":
        raise ClientDisconnect()
    body: bytes = message.get("body", b"")
    size = len(body)
    if max_size is not None and size > max_size:
        raise exceeded("max_body_size", max_size)
    if not message.get("more_body", False):
        return body
    chunks = [body]
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if max_size is not None and size > max_size:
            raise exceeded("max_body_size", max_size)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


_STARTED = "_hinted_answered_via"


def mark_started(exc: BaseException, send: Send) -> None:
    """Note on ``exc`` that a response already went out through ``send``.

    No error answer may follow on that ``send``; an outer layer with a send of its
    own (a middleware that captured the response) may still answer.
    """
    setattr(exc, _STARTED, send)


def answered_via(exc: BaseException, send: Send) -> bool:
    """True when a response for ``exc``'s request already went out through ``send``."""
    return getattr(exc, _STARTED, None) is send


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class RequestContext:
    """Per-request objects created on demand: the Request, a sub-Response, tasks, cleanups."""

    __slots__ = ("background", "exits", "form", "receive", "request", "response", "scope", "send")

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send
        self.request: Request | None = None
        self.response: Response | None = None
        self.background: BackgroundTasks | None = None
        self.form: FormData | None = None
        self.exits: list[tuple[Any, CallKind, bool]] = []  # generator, kind, function scope

    def get_request(self) -> Request:
        if self.request is None:
            self.request = Request(self.scope, self.receive, self.send)
        return self.request

    def special(self, kind: SpecialKind, step: Step) -> Any:
        if kind is SpecialKind.REQUEST or kind is SpecialKind.CONNECTION:
            return self.get_request()
        if kind is SpecialKind.RESPONSE:
            if self.response is None:
                response = Response()
                del response.headers["content-length"]
                response.status_code = None  # type: ignore[assignment]
                self.response = response
            return self.response
        if kind is SpecialKind.BACKGROUND_TASKS:
            if self.background is None:
                self.background = BackgroundTasks()
            return self.background
        if kind is SpecialKind.SECURITY_SCOPES:
            return SecurityScopes(step.scopes)
        raise RuntimeError(f"{kind.value} is not available in an HTTP endpoint")

    async def close_function_scoped(self, exc: BaseException | None) -> None:
        """Finish the ``scope="function"`` yield dependencies, before the response."""
        request_scoped = [entry for entry in self.exits if not entry[2]]
        function_scoped = [entry for entry in self.exits if entry[2]]
        self.exits = function_scoped
        try:
            await self._finish_exits(exc)
        finally:
            self.exits = request_scoped

    async def close(self, exc: BaseException | None) -> None:
        """Finish ``yield`` dependencies in reverse order, each exactly once."""
        if self.form is not None:
            await _close_form(self.form)
        if self.exits:
            await self._finish_exits(exc)

    async def _finish_exits(self, exc: BaseException | None) -> None:
        """Run the pending exits, shielded: a cancelled request still cleans up.

        ``exc`` (an error, or the ``CancelledError`` of a cancelled request) is thrown
        into each dependency at its ``yield``; one that re-raises it has done its job.
        """
        failure: BaseException | None = None
        with anyio.CancelScope(shield=True):
            while self.exits:
                generator, kind, _ = self.exits.pop()
                try:
                    if kind is CallKind.ASYNC_GENERATOR:
                        await _finish_async(generator, exc)
                    else:
                        await anyio.to_thread.run_sync(_finish_sync, generator, exc)
                except Exception as cleanup_error:
                    logger.exception("Error in the cleanup of a dependency with yield")
                    failure = failure or cleanup_error
                except BaseException as cleanup_error:  # the remaining exits still run
                    failure = failure or cleanup_error
        if failure is not None and (exc is None or not isinstance(failure, Exception)):
            raise failure


async def _close_form(form: FormData) -> None:
    """Close the uploads of a form: those in memory at once, those on disk shielded."""
    on_disk: list[StarletteUploadFile] = []
    for _, value in form.multi_items():
        if isinstance(value, StarletteUploadFile):
            if isinstance(value.file, io.BytesIO):
                value.file.close()
            else:
                on_disk.append(value)
    if on_disk:
        with anyio.CancelScope(shield=True):  # uploads on disk go, even when cancelled
            for upload in on_disk:
                await upload.close()


async def _finish_async(generator: Any, exc: BaseException | None) -> None:
    try:
        if exc is None:
            await generator.__anext__()
        else:
            await generator.athrow(exc)
    except StopAsyncIteration:
        return
    except BaseException as raised:
        if raised is exc:
            return  # the dependency let the request's exception through
        raise
    raise RuntimeError(f"Dependency {generator!r} yielded more than once")


def _finish_sync(generator: Any, exc: BaseException | None) -> None:
    try:
        if exc is None:
            next(generator)
        else:
            generator.throw(exc)
    except StopIteration:
        return
    except BaseException as raised:
        if raised is exc:
            return  # the dependency let the request's exception through
        raise
    raise RuntimeError(f"Dependency {generator!r} yielded more than once")


class Endpoint:
    """An HTTP route bound to an app: its plan, encoder and response settings."""

    __slots__ = (
        "app",
        "dump",
        "encoder",
        "fast_json",
        "limits",
        "plain",
        "plan",
        "reads_request",
        "response_class",
        "status_code",
        "stream",
    )

    def __init__(
        self,
        app: App,
        plan: EndpointPlan,
        encoder: ResponseEncoder,
        status_code: int,
        response_class: type[Response],
        fast_json: bool,
    ) -> None:
        self.app = app
        self.plan = plan
        self.encoder = encoder
        self.status_code = status_code
        self.response_class = response_class
        self.fast_json = fast_json
        self.reads_request = plan.reads_request
        self.dump = encoder.bytes_function()
        self.limits = DEFAULT_LIMITS  # the route's own or the app's, set when it is built
        # For a generator handler: wraps its items in a streaming response.
        self.stream: Callable[[Any, int], Response] | None = None
        # Results go out as JSON bytes from the encoder (unless they are a Response),
        # with the route's status, which has a body.
        self.plain = fast_json and status_code >= 200 and status_code not in _NO_BODY_STATUS

    def set_stream(self, stream: Callable[[Any, int], Response]) -> None:
        """Answer the generator the handler returns with ``stream(items, status)``."""
        self.stream = stream
        self.plain = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.plan
        if not plan.direct:
            await self._call_with_context(scope, receive, send)
            return
        try:
            check_head(scope, self.limits)
            values = await self.read_values(scope, receive, None) if self.reads_request else _NONE
            step = plan.endpoint
            kind = step.kind
            if kind is CallKind.ASYNC:
                result = await step.call(**values)
            elif kind is CallKind.INLINE or kind in _STREAMS:
                result = step.call(**values)
            else:
                result = await run_sync(step.call, self.app.thread_limiter(), **values)
            if self.plain and not isinstance(result, Response):
                # The common answer, JSON from the encoder: two messages, no Response
                # (what _json() does, for a status with a body and no sub-response).
                body = self.dump(result)
                headers = [_JSON_HEADER, (b"content-length", b"%d" % len(body))]
                await send(
                    {"type": "http.response.start", "status": self.status_code, "headers": headers}
                )
                if scope["method"] == "HEAD":
                    body = b""
                await send({"type": "http.response.body", "body": body})
            else:
                await self._send_result(result, scope, receive, send, None)
        except Exception as exc:
            await self.app.handle_exception(exc, scope, receive, send, None)

    async def _call_with_context(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.plan
        context = RequestContext(scope, receive, send)
        error: BaseException | None = None
        try:
            check_head(scope, self.limits)
            values = await self.read_values(scope, receive, context)
            results: list[Any] = []
            for step in plan.steps:
                results.append(await self.run_step(step, values, results, context))
            try:
                result = await self.run_step(plan.endpoint, values, results, context)
            finally:
                if plan.function_scoped:
                    await context.close_function_scoped(sys.exc_info()[1])
            await self._send_result(result, scope, receive, send, context)
        except Exception as exc:
            error = exc
            await self.app.handle_exception(exc, scope, receive, send, context.request)
        except BaseException as exc:  # cancelled: the dependencies see it, not a success
            error = exc
            raise
        finally:
            if context.exits or context.form is not None:
                await context.close(error)

    async def run_step(
        self, step: Step, values: dict[str, Any], results: list[Any], context: RequestContext
    ) -> Any:
        """Call one step of the plan (a dependency, or the endpoint) with its arguments."""
        kwargs: dict[str, Any] = {}
        for name, origin, ref in step.args:
            if origin == FROM_STEP:
                kwargs[name] = results[ref]
            elif origin == FROM_SPECIAL:
                kwargs[name] = context.special(ref, step)
            else:
                kwargs[name] = values[ref]
        kind = step.kind
        if kind is CallKind.ASYNC:
            return await step.call(**kwargs)
        if kind is CallKind.INLINE or kind in _STREAMS:
            return step.call(**kwargs)  # a stream handler returns its generator unstarted
        if kind is CallKind.SYNC:
            return await run_sync(step.call, self.app.thread_limiter(), **kwargs)
        if kind is CallKind.ASYNC_GENERATOR:
            generator = step.call(**kwargs)
            value = await generator.__anext__()
            context.exits.append((generator, kind, step.function_scope))
            return value
        limiter = self.app.thread_limiter()
        generator = await run_sync(step.call, limiter, **kwargs)
        value = await anyio.to_thread.run_sync(next, generator, limiter=limiter)
        context.exits.append((generator, kind, step.function_scope))
        return value

    async def read_values(
        self, scope: Scope, receive: Receive, context: RequestContext | None
    ) -> dict[str, Any]:
        """Read and validate every request value the plan needs, reporting all errors."""
        plan = self.plan
        raw: dict[str, Any] = {}
        if plan.path:
            raw["path"] = scope.get("path_params", {})
        if plan.query is not None:
            raw["query"] = _read_query(scope["query_string"], plan.query)
        if plan.headers is not None or plan.cookies is not None:
            # Cookies are counted in HTTP requests (a WebSocket cannot answer 431).
            limits = self.limits if scope["type"] == "http" else None
            _read_headers(scope["headers"], plan, raw, limits)
        errors: list[dict[str, Any]] = []
        if plan.form is not None:
            assert context is not None
            raw["body"] = await _read_form(context, plan, self.limits)
        values: dict[str, Any] = {}
        if plan.adapter is not None:
            try:
                values = plan.adapter.validate_python(raw)
            except ValidationError as exc:
                errors = request_errors(exc, parameter_depth=2)  # (source, name)
        body: bytes | None = None
        if plan.body is not None:
            body = await self._body(scope, receive, context)
            errors.extend(self._validate_body(body, scope, values))
        if errors:
            if not plan.direct:
                errors = _unique(errors)
            raise RequestValidationError(errors, body=body)
        return values

    async def _body(self, scope: Scope, receive: Receive, context: RequestContext | None) -> bytes:
        if context is not None and context.request is not None:
            return await context.request.body()
        check_content_length(scope, self.limits.max_body_size)
        body = await read_body(receive, self.limits.max_body_size)
        if context is not None and SpecialKind.REQUEST in self.plan.specials:
            # request.body() answers the body read here; Starlette has no public setter.
            context.get_request()._body = body  # pyright: ignore[reportPrivateUsage]
        return body

    def _validate_body(
        self, body: bytes, scope: Scope, values: dict[str, Any]
    ) -> list[dict[str, Any]]:
        plan = self.plan.body
        assert plan is not None
        if not body:
            if plan.required:
                return [missing_error(("body",))]
            if plan.key is None:  # embedded, every field optional: their defaults
                values.update(plan.adapter.validate_python({}))
            default = plan.default_factory() if plan.default_factory else plan.default
            for key in plan.keys:
                values[key] = default
            return []
        content_type = _header(scope, b"content-type")
        if content_type is not None and not _is_json(content_type):
            raise HTTPException(415, f"Unsupported Media Type: send the body as {plan.media_type}")
        max_depth = self.limits.max_json_depth
        try:
            validated = plan.adapter.validate_json(body)
        except ValidationError as exc:
            # Too deep, if the parser accepted the JSON or gave up on its own depth
            # limit; json_too_deep first: for most bodies it answers from a count.
            if json_too_deep(body, max_depth) and _parsed(exc):
                raise exceeded("max_json_depth", max_depth) from None
            # An embedded body's keys are parameters; a whole-body model's are not.
            return request_errors(exc, ("body",), parameter_depth=1 if plan.key is None else 0)
        if json_too_deep(body, max_depth):
            raise exceeded("max_json_depth", max_depth)
        if plan.key is None:
            values.update(validated)
        for key in plan.keys:
            values[key] = validated
        return []

    async def _send_result(
        self,
        result: Any,
        scope: Scope,
        receive: Receive,
        send: Send,
        context: RequestContext | None,
    ) -> None:
        background = context.background if context is not None else None
        if self.stream is not None and not isinstance(result, Response):
            result = self.stream(result, self.status_code)
        if isinstance(result, Response):
            if background is not None:
                result.background = _merged(result.background, background)
            await _send_response(result, scope, receive, send)
            return
        sub = context.response if context is not None else None
        if not self.fast_json:
            status = self.status_code
            if sub is not None and sub.status_code:
                status = sub.status_code
            response = self.response_class(
                self.encoder.to_jsonable(result), status_code=status, background=background
            )
            if sub is not None:
                response.raw_headers.extend(sub.raw_headers)
            await _send_response(response, scope, receive, send)
            return
        status, headers, body = self._json(result, scope, sub)
        if background is not None:
            # As a Response, so that a function middleware can take it unsent: the
            # tasks must run once the client has the response, not before.
            response = Response(status_code=status, background=background)
            response.body = body
            response.raw_headers = headers
            await _send_response(response, scope, receive, send)
            return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _json(
        self, result: Any, scope: Scope, sub: Response | None
    ) -> tuple[int, RawHeaders, bytes]:
        """Status, headers and body of ``result`` as JSON (a sub-response's status and headers)."""
        body = self.dump(result)
        status = self.status_code
        if sub is not None and sub.status_code:
            status = sub.status_code
        headers: RawHeaders
        if status < 200 or status in _NO_BODY_STATUS:
            body = b""
            headers = []
        else:
            headers = [_JSON_HEADER, (b"content-length", b"%d" % len(body))]
        if sub is not None:
            headers.extend(sub.raw_headers)
        if scope["method"] == "HEAD":
            body = b""
        return status, headers, body


def _merged(own: BackgroundTask | None, tasks: BackgroundTasks) -> BackgroundTask:
    """A returned response's own task, then the request's ``BackgroundTasks``: none lost."""
    if own is None or own is tasks:
        return tasks
    merged = BackgroundTasks()
    merged.tasks = [own, *tasks.tasks]
    return merged


async def _send_response(response: Response, scope: Scope, receive: Receive, send: Send) -> None:
    if response.background is not None and not isinstance(response.background, _LoggedTasks):
        response.background = _LoggedTasks(response.background)
    if HANDOVER_KEY in scope and offer_handover(scope, send, response):
        return  # an @app.middleware("http") function sends it, after it has seen it
    await call_marking_start(response, scope, receive, send)


async def call_marking_start(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run ``app``; an exception it raises once its response started is marked so.

    The mark (:func:`mark_started`) tells the exception handling that no error answer
    may follow on ``send``.
    """
    started = False

    async def tracking_send(message: Message) -> None:
        nonlocal started
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    try:
        await app(scope, receive, tracking_send)
    except Exception as exc:
        if started:
            mark_started(exc, send)
        raise


class _LoggedTasks(BackgroundTask):
    """A response's background work, whose failure is logged as well as raised."""

    def __init__(self, tasks: BackgroundTask) -> None:
        super().__init__(tasks)
        self.tasks = tasks

    async def __call__(self) -> None:
        try:
            await self.tasks()
        except Exception:
            logger.exception("A background task failed")
            raise


def _read_query(query_string: bytes, wanted: dict[str, bool]) -> dict[str, Any]:
    """The wanted keys of a query string; a list for list parameters, else the last value.

    Decodes like Starlette (latin-1 bytes, then percent-escapes as UTF-8 with
    replacement), but only unquotes the pairs that need it.
    """
    query: dict[str, Any] = {}
    if not query_string:
        return query
    for pair in query_string.decode("latin-1").split("&"):
        key, _, value = pair.partition("=")
        if "%" in key or "+" in key:
            key = unquote_plus(key)
        is_list = wanted.get(key)
        if is_list is None:
            continue
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        if is_list:
            query.setdefault(key, []).append(value)
        else:
            query[key] = value
    return query


def _read_headers(
    raw_headers: RawHeaders, plan: EndpointPlan, raw: dict[str, Any], limits: Limits | None
) -> None:
    wanted = plan.headers or {}
    headers: dict[str, Any] = {}
    cookie_header: str | None = None
    for name, value in raw_headers:
        if name == b"cookie":
            cookie_header = value.decode("latin-1")
        spec = wanted.get(name)
        if spec is None:
            continue
        key, is_list = spec
        text = value.decode("latin-1")
        if is_list:
            headers.setdefault(key, []).append(text)
        elif key not in headers:
            headers[key] = text
    if plan.headers is not None:
        raw["header"] = headers
    if plan.cookies is not None:
        if cookie_header and limits is not None:
            check_cookies(cookie_header, limits)
        cookies = cookie_parser(cookie_header) if cookie_header else {}
        raw["cookie"] = {k: v for k, v in cookies.items() if k in plan.cookies}


async def _read_form(context: RequestContext, plan: EndpointPlan, limits: Limits) -> dict[str, Any]:
    form_plan = plan.form
    assert form_plan is not None
    form = await read_form(context.scope, context.receive, limits)
    context.form = form
    if SpecialKind.REQUEST in plan.specials:
        request = context.get_request()  # request.form() answers the same form, read once
        # Starlette has no public way to hand a Request the form it would parse.
        request._form = form  # pyright: ignore[reportPrivateUsage]
        request._stream_consumed = True  # pyright: ignore[reportPrivateUsage]
    fields: dict[str, Any] = {}
    for name, (is_list, reads_bytes) in form_plan.fields.items():
        items = form.getlist(name)
        if not items:
            continue
        if reads_bytes:
            items = [await _file_bytes(item) for item in items]
        fields[name] = items if is_list else items[-1]
    return fields


async def _file_bytes(item: Any) -> Any:
    if isinstance(item, StarletteUploadFile):
        return await item.read()
    return item


def _parsed(exc: ValidationError) -> bool:
    """True when the body was well-formed JSON, or too deeply nested for the parser."""
    for error in exc.errors(include_url=False, include_input=False):
        if error["type"] == "json_invalid":
            return "recursion limit" in str(error.get("ctx", {}).get("error", ""))
    return True


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


def _unique(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop duplicates: the same value read by two dependencies fails once."""
    seen: set[tuple[Any, ...]] = set()
    unique: list[dict[str, Any]] = []
    for error in errors:
        marker = (error["type"], tuple(error["loc"]))
        if marker not in seen:
            seen.add(marker)
            unique.append(error)
    return unique


__all__ = ["Endpoint", "Message", "RequestContext", "read_body", "run_sync"]
