"""Query depth and cost: two numbers computed from an operation before it runs.

**Depth** is the deepest nesting of fields, the root fields being at depth 1::

    { messages { author { name } } }        # depth 3

**Cost** estimates the work: every field costs 1, and a field given a list size
argument (``first``, ``last`` or ``limit`` by default, as a literal or a variable)
multiplies the cost of what is selected under it by that size::

    { messages(limit: 10) { id text } }     # 1 + 10 * (1 + 1) = 21

Fragments count where they are spread; all the branches of a union or interface
count, so the estimate errs high. Introspection (``__schema``, ``__type``,
``__typename``) counts for nothing: it is switched off separately.

An operation over a limit is refused with a GraphQL error before any resolver runs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

DEFAULT_LIST_ARGUMENTS = ("first", "last", "limit")


class _Walker:
    """Walks one operation's selections, expanding fragments (each once per path)."""

    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        list_arguments: Collection[str],
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.list_arguments = list_arguments

    def fields(
        self, selection_set: SelectionSetNode | None, seen: frozenset[str]
    ) -> list[tuple[FieldNode, frozenset[str]]]:
        """The fields selected here, fragments flattened (cyclic spreads ignored)."""
        found: list[tuple[FieldNode, frozenset[str]]] = []
        if selection_set is None:
            return found
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if not selection.name.value.startswith("__"):
                    found.append((selection, seen))
            elif isinstance(selection, InlineFragmentNode):
                found.extend(self.fields(selection.selection_set, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    found.extend(self.fields(fragment.selection_set, seen | {name}))
        return found

    def depth(self, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
        deepest = 0
        for field, path in self.fields(selection_set, seen):
            deepest = max(deepest, 1 + self.depth(field.selection_set, path))
        return deepest

    def cost(self, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
        total = 0
        for field, path in self.fields(selection_set, seen):
            total += 1 + self.list_size(field) * self.cost(field.selection_set, path)
        return total

    def list_size(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value not in self.list_arguments:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 1)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                if isinstance(given, int) and not isinstance(given, bool):
                    return max(given, 1)
        return 1


def _walker(
    document_fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None,
    list_arguments: Collection[str],
) -> _Walker:
    return _Walker(document_fragments, variables or {}, list_arguments)


def query_depth(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> int:
    """How deep ``operation``'s fields nest (root fields are at depth 1)."""
    return _walker(fragments, None, ()).depth(operation.selection_set, frozenset())


def query_cost(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None = None,
    list_arguments: Collection[str] = DEFAULT_LIST_ARGUMENTS,
) -> int:
    """The estimated cost of ``operation`` (see the module docstring)."""
    walker = _walker(fragments, variables, list_arguments)
    return walker.cost(operation.selection_set, frozenset())


def check_limits(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None,
    *,
    max_depth: int | None,
    max_cost: int | None,
) -> list[GraphQLError]:
    """Errors for each limit ``operation`` goes over; empty when it is within them."""
    errors: list[GraphQLError] = []
    if max_depth is not None:
        depth = query_depth(operation, fragments)
        if depth > max_depth:
            errors.append(
                GraphQLError(
                    f"The query is {depth} levels deep; the limit is {max_depth}.",
                    operation,
                    extensions={"code": "QUERY_TOO_DEEP", "depth": depth, "maxDepth": max_depth},
                )
            )
    if max_cost is not None:
        cost = query_cost(operation, fragments, variables)
        if cost > max_cost:
            errors.append(
                GraphQLError(
                    f"The query's estimated cost is {cost}; the limit is {max_cost}.",
                    operation,
                    extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": max_cost},
                )
            )
    return errors


__all__ = ["DEFAULT_LIST_ARGUMENTS", "check_limits", "query_cost", "query_depth"]
