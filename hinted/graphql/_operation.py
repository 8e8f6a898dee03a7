"""Preparing and running one GraphQL operation with graphql-core.

:meth:`Operations.prepare` does everything that can refuse a request before a
resolver runs: parsing and validating the document (both cached by its text, since
clients send the same few documents again and again), picking the operation,
coercing the variables and checking the depth and cost limits. Its errors are
*request errors*: the operation never started.

:meth:`Operations.execute` then runs the operation: wholly in a worker thread when
no resolver of the schema is a coroutine function (sync resolvers then never block
the event loop), on the event loop otherwise.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any

import anyio.to_thread
from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    OperationType,
    # graphql-core annotates execute()'s middleware as a bare Tuple | List (unknown items).
    execute,  # pyright: ignore[reportUnknownVariableType]
    parse,
    specified_rules,
    subscribe,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.pyutils import is_awaitable
from graphql.validation import ASTValidationRule

from hinted.graphql._limits import check_limits
from hinted.graphql._request import GraphQLParams
from hinted.graphql._schema import has_async_resolvers

logger = logging.getLogger("hinted.graphql")

_CACHE_SIZE = 256


class RequestError(Exception):
    """The request was refused before execution: ``errors`` say why."""

    def __init__(self, errors: Sequence[GraphQLError]) -> None:
        super().__init__(errors[0].message if errors else "GraphQL request error")
        self.errors = list(errors)


@dataclasses.dataclass(frozen=True, slots=True)
class Prepared:
    """An operation that passed every check and can be executed."""

    document: DocumentNode
    operation: OperationDefinitionNode
    variables: dict[str, Any]
    operation_name: str | None

    @property
    def kind(self) -> OperationType:
        return self.operation.operation


@dataclasses.dataclass(frozen=True, slots=True)
class _Checked:
    document: DocumentNode | None
    errors: list[GraphQLError]
    fragments: dict[str, FragmentDefinitionNode]


class Operations:
    """One schema with its rules: prepares and executes its operations."""

    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        introspection: bool = True,
        max_depth: int | None = None,
        max_cost: int | None = None,
        root_value: Any = None,
        middleware: Sequence[Any] | None = None,
        validation_rules: Sequence[type[ASTValidationRule]] = (),
    ) -> None:
        self.schema = schema
        self.max_depth = max_depth
        self.max_cost = max_cost
        self.root_value = root_value
        self.middleware = list(middleware) if middleware else None
        rules = [*specified_rules, *validation_rules]
        if not introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        self.rules: tuple[type[ASTValidationRule], ...] = tuple(rules)
        self.in_threads = not has_async_resolvers(schema)
        self._documents: OrderedDict[str, _Checked] = OrderedDict()

    def _check_document(self, query: str) -> _Checked:
        checked = self._documents.get(query)
        if checked is not None:
            self._documents.move_to_end(query)
            return checked
        try:
            document = parse(query)
        except GraphQLError as error:
            checked = _Checked(None, [error], {})
        else:
            errors = validate(self.schema, document, self.rules)
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            checked = _Checked(document, errors, fragments)
        self._documents[query] = checked
        if len(self._documents) > _CACHE_SIZE:
            self._documents.popitem(last=False)
        return checked

    def prepare(self, params: GraphQLParams) -> Prepared:
        """Parse, validate, pick the operation, coerce variables, check the limits."""
        checked = self._check_document(params.query)
        if checked.errors or checked.document is None:
            raise RequestError(checked.errors)
        operation = _pick_operation(checked.document, params.operation_name)
        variables = params.variables or {}
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), variables, max_errors=50
        )
        if isinstance(coerced, list):
            raise RequestError(coerced)
        limit_errors = check_limits(
            operation,
            checked.fragments,
            coerced,
            max_depth=self.max_depth,
            max_cost=self.max_cost,
        )
        if limit_errors:
            raise RequestError(limit_errors)
        return Prepared(checked.document, operation, variables, params.operation_name)

    async def execute(
        self, prepared: Prepared, context: Any, limiter: anyio.CapacityLimiter | None = None
    ) -> ExecutionResult:
        """Run a query or mutation: in a worker thread when every resolver is sync."""
        run = self._runner(prepared, context)
        if self.in_threads:
            result = await anyio.to_thread.run_sync(run, limiter=limiter)
        else:
            result = run()
        if is_awaitable(result):
            # A sync resolver returned an awaitable (a data loader, say): finish on the loop.
            result = await result
        assert isinstance(result, ExecutionResult)
        _log_errors(result.errors)
        return result

    def _runner(self, prepared: Prepared, context: Any) -> Callable[[], Any]:
        def run() -> Any:
            return execute(
                self.schema,
                prepared.document,
                root_value=self.root_value,
                context_value=context,
                variable_values=prepared.variables,
                operation_name=prepared.operation_name,
                middleware=self.middleware,
            )

        return run

    async def subscribe(
        self, prepared: Prepared, context: Any
    ) -> AsyncIterator[ExecutionResult] | ExecutionResult:
        """Start a subscription: its results, or one result holding why it did not start."""
        outcome = subscribe(
            self.schema,
            prepared.document,
            root_value=self.root_value,
            context_value=context,
            variable_values=prepared.variables,
            operation_name=prepared.operation_name,
        )
        # graphql-core 3.2's subscribe() is a coroutine function, 3.3's returns a value or
        # an awaitable: the check is needed although pyright sees 3.2 only.
        started = (
            await outcome
            if isinstance(outcome, Awaitable)  # pyright: ignore[reportUnnecessaryIsInstance]
            else outcome
        )
        if isinstance(started, ExecutionResult):
            _log_errors(started.errors)
        return started


def _pick_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        if len(operations) == 1:
            return operations[0]
        raise RequestError(
            [GraphQLError("The document has several operations: name one in 'operationName'.")]
        )
    for operation in operations:
        if operation.name is not None and operation.name.value == name:
            return operation
    raise RequestError([GraphQLError(f"The document has no operation named '{name}'.")])


def _log_errors(errors: Sequence[GraphQLError] | None) -> None:
    """Log resolver failures with their tracebacks; GraphQL's own errors are the client's."""
    for error in errors or ():
        original = error.original_error
        if original is None or isinstance(original, GraphQLError) or _is_http_error(original):
            continue
        logger.error(
            "Error in a resolver at %s: %s",
            ".".join(str(key) for key in error.path or ()),
            original,
            exc_info=original,
        )


def _is_http_error(error: BaseException) -> bool:
    from starlette.exceptions import HTTPException

    return isinstance(error, HTTPException)


def resolver_exception(result: ExecutionResult) -> Exception | None:
    """The first exception a resolver raised (not a GraphQL error), if any."""
    for error in result.errors or ():
        original = error.original_error
        if isinstance(original, Exception) and not isinstance(original, GraphQLError):
            return original
    return None


def format_error(error: GraphQLError) -> dict[str, Any]:
    """The error as the response's JSON; an ``HTTPException`` shows its detail and status."""
    from starlette.exceptions import HTTPException

    formatted: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, HTTPException):
        formatted["message"] = str(original.detail)
        extensions: Mapping[str, Any] = formatted.get("extensions") or {}
        formatted["extensions"] = {**extensions, "status": original.status_code}
    return formatted


__all__ = ["Operations", "Prepared", "RequestError", "format_error", "resolver_exception"]
