"""The libcst transformer behind ``hinted migrate``: FastAPI imports become hinted's.

Kept apart from :mod:`hinted.migrate` so that the ``hinted`` command loads without
libcst (the ``migrate`` extra); this module is imported only when a file is rewritten.

Only import statements, the names they bind and the attributes read through an
imported module change; every other byte of the file, comments and layout included,
is left as it was.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import libcst as cst
from libcst.metadata import (
    Access,
    CodeRange,
    ImportAssignment,
    PositionProvider,
    Scope,
    ScopeProvider,
)

# `fastapi.applications` holds FastAPI's application class; ours lives in `hinted.app`.
_MODULES = {"fastapi": "hinted", "fastapi.applications": "hinted.app"}
_RENAMES = {("fastapi", "FastAPI"): "App", ("fastapi.applications", "FastAPI"): "App"}

NameCheck = Callable[[str, str], str | None]
"""``check(hinted_module, name)``: None when the name exists there, else why not."""

ModuleCheck = Callable[[str], str | None]
"""``check(hinted_module)``: None when the module can be imported, else why not."""


def hinted_module_for(module: str) -> str:
    """``fastapi.security`` -> ``hinted.security``; ``fastapi.applications`` -> ``hinted.app``."""
    if module in _MODULES:
        return _MODULES[module]
    return "hinted" + module.removeprefix("fastapi")


def hinted_name_for(module: str, name: str) -> str:
    """The name hinted gives to ``module.name``: ``FastAPI`` is ``App``, the rest keep theirs."""
    return _RENAMES.get((module, name), name)


def is_fastapi_module(module: str) -> bool:
    """True for ``fastapi`` and its submodules (not for ``fastapi_users`` and the like)."""
    return module == "fastapi" or module.startswith("fastapi.")


@dataclass(frozen=True)
class LineNote:
    """Something at ``line`` that was left unconverted (or needs a look)."""

    line: int
    message: str


@dataclass
class _Binding:
    """A name bound by ``import fastapi...``: what it stands for and what it becomes."""

    module: str  # the module the bound name refers to (``fastapi`` for ``import fastapi.x``)
    aliased: bool  # ``import fastapi.x as y``: the local name stays, only its target changes


@dataclass
class _State:
    findings: list[LineNote] = field(default_factory=list[LineNote])
    # Names in user code to rename (FastAPI -> App), keyed by node identity.
    renamed_names: dict[int, str] = field(default_factory=dict[int, str])
    # Name or Attribute nodes that read a module bound by `import fastapi...`.
    module_reads: dict[int, _Binding] = field(default_factory=dict[int, _Binding])
    # `from fastapi import FastAPI` where `App` is taken: becomes `App as FastAPI`.
    keep_old_name: set[int] = field(default_factory=set[int])
    # `from fastapi import A, B` lines split in two: the fastapi leftover, by statement.
    leftovers: dict[int, cst.ImportFrom] = field(default_factory=dict[int, cst.ImportFrom])
    changed: bool = False


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    raise TypeError(f"not a dotted name: {node!r}")


def _dotted_node(dotted: str) -> cst.Name | cst.Attribute:
    first, *rest = dotted.split(".")
    node: cst.Name | cst.Attribute = cst.Name(first)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


class ImportRewriter(cst.CSTTransformer):
    """Rewrites one module's FastAPI imports; findings land in ``state.findings``."""

    METADATA_DEPENDENCIES = (ScopeProvider, PositionProvider)

    def __init__(self, module_check: ModuleCheck, name_check: NameCheck) -> None:
        super().__init__()
        self.module_check = module_check
        self.name_check = name_check
        self.state = _State()

    # -- helpers ------------------------------------------------------------------------

    def _line(self, node: cst.CSTNode) -> int:
        position = self.get_metadata(PositionProvider, node)
        assert isinstance(position, CodeRange)
        return position.start.line

    def _note(self, node: cst.CSTNode, message: str) -> None:
        self.state.findings.append(LineNote(self._line(node), message))

    def _missing(self, fastapi_module: str, name: str) -> str | None:
        """Why ``fastapi_module.name`` has no hinted counterpart, or None when it has."""
        target = hinted_module_for(fastapi_module)
        why = self.module_check(target)
        if why is not None:
            return why
        return self.name_check(target, hinted_name_for(fastapi_module, name))

    # -- analysis: which names and attribute reads follow the imports -------------------

    def visit_Module(self, node: cst.Module) -> None:
        provided = self.metadata[ScopeProvider]
        scopes = cast("Mapping[cst.CSTNode, Scope | None]", provided).values()
        for scope in {scope for scope in scopes if scope is not None}:
            for assignment in scope.assignments:
                if isinstance(assignment, ImportAssignment):
                    self._follow(assignment)

    def _follow(self, assignment: ImportAssignment) -> None:
        statement = assignment.node
        if isinstance(statement, cst.ImportFrom):
            self._follow_from_import(statement, assignment)
        elif isinstance(statement, cst.Import):
            self._follow_import(statement, assignment)

    def _follow_from_import(self, statement: cst.ImportFrom, assignment: ImportAssignment) -> None:
        if statement.relative or statement.module is None:
            return
        module = _dotted(statement.module)
        if not is_fastapi_module(module) or isinstance(statement.names, cst.ImportStar):
            return
        for alias in statement.names:
            name = _dotted(alias.name)
            new = hinted_name_for(module, name)
            if alias.asname is not None or name != assignment.name or new == name:
                continue
            if self._missing(module, name) is not None:
                continue
            if new in assignment.scope:
                # `App` already means something here: bind hinted's as `App as FastAPI`.
                self.state.keep_old_name.add(id(alias))
                continue
            self._rename_references(assignment.references, name, new)

    def _rename_references(self, references: Collection[Access], old: str, new: str) -> None:
        for access in references:
            node = access.node
            if isinstance(node, cst.Name) or (
                isinstance(node, cst.SimpleString) and node.evaluated_value == old
            ):
                self.state.renamed_names[id(node)] = new
            else:
                self._note(node, f"{old} is {new} in hinted: rename it here by hand")

    def _follow_import(self, statement: cst.Import, assignment: ImportAssignment) -> None:
        for alias in statement.names:
            module = _dotted(alias.name)
            if not is_fastapi_module(module):
                continue
            if self.module_check(hinted_module_for(module)) is not None:
                continue
            aliased = alias.asname is not None
            bound = _dotted(alias.asname.name) if alias.asname is not None else module
            if bound != assignment.name:
                continue
            for access in assignment.references:
                read = access.node
                if isinstance(read, (cst.Name, cst.Attribute)):
                    target = module if aliased else _dotted(read)
                    self.state.module_reads[id(read)] = _Binding(target, aliased)

    # -- rewriting ----------------------------------------------------------------------

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.state.renamed_names.get(id(original_node))
        if new is not None:
            self.state.changed = True
            return updated_node.with_changes(value=new)
        binding = self.state.module_reads.get(id(original_node))
        if binding is not None and not binding.aliased:
            self.state.changed = True
            return updated_node.with_changes(value=hinted_module_for(binding.module))
        return updated_node

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        new = self.state.renamed_names.get(id(original_node))
        if new is None:
            return updated_node
        self.state.changed = True
        quote = updated_node.quote
        return updated_node.with_changes(value=f"{updated_node.prefix}{quote}{new}{quote}")

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        binding = self.state.module_reads.get(id(original_node))
        if binding is not None and not binding.aliased:
            # `fastapi.responses` read through `import fastapi.responses`: the whole path moves.
            self.state.changed = True
            return _dotted_node(hinted_module_for(binding.module))
        outer = self.state.module_reads.get(id(original_node.value))
        if outer is None:
            return updated_node
        name = original_node.attr.value
        why = self._missing(outer.module, name)
        submodule = f"{hinted_module_for(outer.module)}.{name}"
        if why is not None and self.module_check(submodule) is not None:
            self._note(original_node, f"{outer.module}.{name} has no counterpart: {why}")
            return updated_node
        new = hinted_name_for(outer.module, name)
        if new == name:
            return updated_node
        self.state.changed = True
        return updated_node.with_changes(attr=updated_node.attr.with_changes(value=new))

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        aliases: list[cst.ImportAlias] = []
        for alias in updated_node.names:
            module = _dotted(alias.name)
            if not is_fastapi_module(module):
                aliases.append(alias)
                continue
            target = hinted_module_for(module)
            why = self.module_check(target)
            if why is not None:
                self._note(original_node, f"import {module} is not converted: {why}")
                aliases.append(alias)
                continue
            self.state.changed = True
            aliases.append(alias.with_changes(name=_dotted_node(target)))
        return updated_node.with_changes(names=aliases)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        if updated_node.relative or updated_node.module is None:
            return updated_node
        module = _dotted(updated_node.module)
        if not is_fastapi_module(module):
            return updated_node
        target = hinted_module_for(module)
        why = self.module_check(target)
        if why is not None:
            self._note(original_node, f"from {module} import ... is not converted: {why}")
            return updated_node
        new_module = _dotted_node(target)
        if isinstance(updated_node.names, cst.ImportStar):
            self.state.changed = True
            if module in ("fastapi", "fastapi.applications"):
                self._note(original_node, "star import: FastAPI is called App in hinted")
            return updated_node.with_changes(module=new_module)
        assert not isinstance(original_node.names, cst.ImportStar)
        pairs = list(zip(original_node.names, updated_node.names, strict=True))
        converted, kept = self._convert_aliases(module, pairs, original_node)
        if not converted:
            return updated_node
        self.state.changed = True
        if not kept:
            return updated_node.with_changes(module=new_module, names=converted)
        self.state.leftovers[id(original_node)] = updated_node.with_changes(
            names=_close_list(kept, updated_node), semicolon=cst.MaybeSentinel.DEFAULT
        )
        return updated_node.with_changes(
            module=new_module, names=_close_list(converted, updated_node)
        )

    def _convert_aliases(
        self,
        module: str,
        pairs: Sequence[tuple[cst.ImportAlias, cst.ImportAlias]],
        statement: cst.ImportFrom,
    ) -> tuple[list[cst.ImportAlias], list[cst.ImportAlias]]:
        """The names hinted has (renamed where needed) and those it has not."""
        converted: list[cst.ImportAlias] = []
        kept: list[cst.ImportAlias] = []
        for original, alias in pairs:
            name = _dotted(alias.name)
            why = self._missing(module, name)
            if why is not None:
                self._note(statement, f"{module}.{name} is not converted: {why}")
                kept.append(alias)
                continue
            new = hinted_name_for(module, name)
            if new == name:
                converted.append(alias)
            elif id(original) in self.state.keep_old_name:
                as_old = cst.AsName(name=cst.Name(name))
                converted.append(alias.with_changes(name=cst.Name(new), asname=as_old))
            else:
                converted.append(alias.with_changes(name=cst.Name(new)))
        return converted, kept

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        leftovers = [
            self.state.leftovers[id(small)]
            for small in original_node.body
            if id(small) in self.state.leftovers
        ]
        if not leftovers:
            return updated_node
        lines: list[cst.BaseStatement] = [updated_node]
        lines.extend(cst.SimpleStatementLine(body=[leftover]) for leftover in leftovers)
        return cst.FlattenSentinel(lines)

    # -- dynamic imports ----------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        function = node.func
        name = function.attr.value if isinstance(function, cst.Attribute) else None
        if isinstance(function, cst.Name):
            name = function.value
        if name not in ("import_module", "__import__") or not node.args:
            return
        first = node.args[0].value
        if isinstance(first, cst.SimpleString):
            try:
                value = ast.literal_eval(first.value)
            except (ValueError, SyntaxError):
                return
            if isinstance(value, str) and is_fastapi_module(value):
                self._note(node, f"dynamic import of {value!r} is not converted")


def _close_list(aliases: list[cst.ImportAlias], statement: cst.ImportFrom) -> list[cst.ImportAlias]:
    """End a split list as the original ended: its last name's comma and layout."""
    if not aliases or isinstance(statement.names, cst.ImportStar):
        return aliases
    ending = statement.names[-1].comma if statement.lpar is not None else cst.MaybeSentinel.DEFAULT
    return [*aliases[:-1], aliases[-1].with_changes(comma=ending)]


def rewrite_imports(
    source: bytes, module_check: ModuleCheck, name_check: NameCheck
) -> tuple[bytes, list[LineNote]]:
    """``source`` with its FastAPI imports turned into hinted's, and what was left over.

    Raises ``libcst.ParserSyntaxError`` when ``source`` is not valid Python.
    """
    module = cst.parse_module(source)
    wrapper = cst.MetadataWrapper(module)
    rewriter = ImportRewriter(module_check, name_check)
    rewritten = wrapper.visit(rewriter)
    findings = sorted(rewriter.state.findings, key=lambda finding: finding.line)
    if not rewriter.state.changed:
        return source, findings
    return rewritten.bytes, findings
