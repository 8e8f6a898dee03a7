"""JSON Schemas for the document: every type of every route, in one pydantic pass.

The generator asks :class:`SchemaRegistry` for a schema wherever it needs one and gets
back an empty ``dict``, a placeholder that it puts straight into the document.
:meth:`SchemaRegistry.resolve` then runs pydantic's ``GenerateJsonSchema`` once over
all the core schemas collected (inputs in ``"validation"`` mode, outputs in
``"serialization"`` mode) and fills every placeholder in place. One pass is what lets
pydantic name components well:

- a model whose two schemas are equal appears once, as ``Item``; a model whose
  validation and serialization schemas differ appears as ``Item-Input`` and
  ``Item-Output``;
- two models called ``Item`` in different modules both appear, under their
  module-qualified names (``shop__models__Item``, ``blog__models__Item``), which stay
  the same from one run to the next.

The core schemas are the validators' own (``TypeAdapter.core_schema`` of the endpoint
plan), so the document describes exactly what is validated and serialised.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from pydantic.json_schema import (
    CoreModeRef,
    DefsRef,
    GenerateJsonSchema,
    JsonSchemaMode,
    JsonSchemaValue,
)
from pydantic_core import CoreSchema

from hinted._narrowing import is_dict, is_list
from hinted.openapi.models import JsonSchema

REF_PREFIX = "#/components/schemas/"
"""Where ``$ref`` values point: the document's ``components.schemas``."""

_PRIVATE_PREFIX = "hinted-private-"


class OpenAPIJsonSchema(GenerateJsonSchema):
    """pydantic's JSON Schema generator, with two changes for OpenAPI documents.

    - Some core schemas (the typed dictionaries the endpoint plans validate parameters
      with) get a fixed private name, so the registry can find them and take them
      apart; no user model is renamed because of them.
    - A type pydantic cannot describe (an arbitrary class) is documented as ``{}``
      (any value) rather than making ``/openapi.json`` fail.
    """

    def __init__(self, private_names: dict[str, str], ambiguous: set[str]) -> None:
        super().__init__(ref_template=REF_PREFIX + "{model}")
        self._private_names = private_names
        self._ambiguous = ambiguous

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        """The private name of a registered core ref; pydantic's choice otherwise.

        pydantic picks the shortest name nobody else uses, mode by mode; so a model
        called like another one could be ``Item-Input`` but ``app__Item-Output``. A
        short name two types share is not offered at all: both get their module's.
        """
        core_ref, _mode = core_mode_ref
        private = self._private_names.get(core_ref)
        if private is None:
            defs_ref = super().get_defs_ref(core_mode_ref)
            if short_name(core_ref) in self._ambiguous:
                choices = self._prioritized_defsref_choices[defs_ref]
                self._prioritized_defsref_choices[defs_ref] = choices[2:]
            return defs_ref
        name = DefsRef(private)
        self._prioritized_defsref_choices[name] = [name]
        return name

    def handle_invalid_for_json_schema(self, schema: Any, error_info: str) -> JsonSchemaValue:
        """Document what pydantic cannot describe as "any value"."""
        return {}


@dataclasses.dataclass(slots=True)
class _Pending:
    key: int
    mode: JsonSchemaMode
    schema: CoreSchema


class FieldsSchema:
    """The schema of a typed dictionary of request values, to take apart by field.

    Parameters are validated together, as one typed dictionary keyed by an internal
    key; each becomes its own Parameter Object, and form fields become the properties
    of a body schema.
    """

    def __init__(self, registry: SchemaRegistry, key: int) -> None:
        self._registry = registry
        self._key = key

    def definition(self) -> JsonSchema:
        """The typed dictionary's object schema (available once resolved)."""
        return self._registry.inline_schema(self._key)

    def field(self, key: str, title: str | None = None) -> JsonSchema:
        """A placeholder for the schema of field ``key``; ``title`` replaces pydantic's."""

        def fill() -> JsonSchema:
            definition = self.definition()
            schema = dict(definition.get("properties", {}).get(key, {}))
            if title is not None and schema.get("title") == _default_title(key):
                schema["title"] = title
            return schema

        return self._registry.later(fill)

    def required(self) -> list[str]:
        """The keys of the required fields (available once resolved)."""
        return list(self.definition().get("required", []))


class SchemaRegistry:
    """Collects core schemas, then generates all of their JSON Schemas in one pass."""

    def __init__(self) -> None:
        self._pending: list[_Pending] = []
        self._keys: dict[tuple[int, str], int] = {}
        self._private_names: dict[str, str] = {}
        self._results: dict[int, JsonSchema] = {}
        self._private_defs: dict[str, JsonSchema] = {}
        self._fills: list[tuple[JsonSchema, Callable[[], JsonSchema]]] = []
        self._components: dict[str, Callable[[], JsonSchema]] = {}
        self._definitions: dict[str, JsonSchema] = {}

    def _add(self, schema: CoreSchema, mode: JsonSchemaMode) -> int:
        # The same core schema (a shared model, the 422 body) is generated once.
        identity = (id(schema), mode)
        key = self._keys.get(identity)
        if key is None:
            key = self._keys[identity] = len(self._pending)
            self._pending.append(_Pending(key, mode, schema))
        return key

    def later(self, fill: Callable[[], JsonSchema]) -> JsonSchema:
        """A placeholder dictionary, filled in place with ``fill()`` once resolved."""
        holder: JsonSchema = {}
        self._fills.append((holder, fill))
        return holder

    def inline_schema(self, key: int) -> JsonSchema:
        """The resolved schema of ``key``, inlined when it is one of the private definitions."""
        result = self._results[key]
        ref = result.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(REF_PREFIX) in self._private_defs:
            return self._private_defs[ref.removeprefix(REF_PREFIX)]
        return result

    def schema(self, schema: CoreSchema, mode: JsonSchemaMode) -> JsonSchema:
        """A placeholder for the JSON Schema of ``schema`` (a ``$ref`` for a model)."""
        key = self._add(schema, mode)
        return self.later(lambda: self._results[key])

    def fields(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> FieldsSchema:
        """Register a typed dictionary's core schema, to take apart by field."""
        inline = _without_top_ref(schema)
        if inline is not None:
            return FieldsSchema(self, self._add(inline, mode))
        ref = _top_ref(schema)
        if ref is not None:
            self._private_names.setdefault(ref, f"{_PRIVATE_PREFIX}{len(self._private_names)}")
        return FieldsSchema(self, self._add(schema, mode))

    def component(self, name: str, build: Callable[[], JsonSchema]) -> JsonSchema:
        """A ``$ref`` to component ``name``, whose schema ``build()`` returns once resolved.

        For the objects the framework composes itself (``Body_<operation id>``).
        """
        self._components[name] = build
        return {"$ref": REF_PREFIX + name}

    def ref_name(self, schema: JsonSchema) -> str | None:
        """The component a resolved ``{"$ref": ...}`` schema points to."""
        ref = schema.get("$ref")
        return ref.removeprefix(REF_PREFIX) if isinstance(ref, str) else None

    def _ambiguous_names(self) -> set[str]:
        """Short names shared by several types among everything collected."""
        refs: set[str] = set()
        seen: set[int] = set()
        for pending in self._pending:
            _refs(pending.schema, refs, seen)
        owners: dict[str, set[str]] = {}
        for ref in refs - set(self._private_names):
            owners.setdefault(short_name(ref), set()).add(ref)
        return {name for name, found in owners.items() if len(found) > 1}

    def resolve(self) -> dict[str, JsonSchema]:
        """Generate every schema, fill every placeholder; return ``components.schemas``."""
        generator = OpenAPIJsonSchema(self._private_names, self._ambiguous_names())
        inputs: list[tuple[int, JsonSchemaMode, CoreSchema]] = [
            (p.key, p.mode, p.schema) for p in self._pending
        ]
        results, definitions = generator.generate_definitions(inputs)
        self._results = {key: value for (key, _mode), value in results.items()}
        private = set(self._private_names.values())
        self._private_defs = {str(k): v for k, v in definitions.items() if k in private}
        public = {str(k): v for k, v in definitions.items() if k not in private}
        for holder, fill in self._fills:
            holder.update(fill())
        for name, build in self._components.items():
            public[name] = build()
        return dict(sorted(public.items()))


def short_name(core_ref: str) -> str:
    """A type's name without modules or ids, as pydantic shortens it: ``Page[Item]``."""
    parts = re.split(r"([\][,])", core_ref)
    parts = [part.rsplit(":", 1)[0] for part in parts]
    return "".join(re.sub(r"(?:[^.[\]]+\.)+((?:[^.[\]]+))", r"\1", part) for part in parts)


def _refs(schema: Any, found: set[str], seen: set[int]) -> None:
    """Collect the ref of every type in a core schema (shared parts visited once)."""
    if id(schema) in seen:
        return
    seen.add(id(schema))
    if is_dict(schema):
        ref = schema.get("ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in schema.values():
            if isinstance(value, (dict, list)):
                _refs(value, found, seen)
    elif is_list(schema):
        for value in schema:
            if isinstance(value, (dict, list)):
                _refs(value, found, seen)


def _without_top_ref(schema: CoreSchema) -> CoreSchema | None:
    """A shallow copy of ``schema`` whose outermost type has no ref, so it is inlined.

    Cheaper than a definition to take apart afterwards. None when the outermost type
    is only a reference (a recursive type), which must stay a definition.
    """
    outer: Any = schema
    if outer["type"] == "definitions":
        if outer["schema"]["type"] == "definition-ref":
            return None
        inner = {k: v for k, v in outer["schema"].items() if k != "ref"}
        copied: Any = {**outer, "schema": inner}
        return copied  # type: ignore[no-any-return]
    if outer["type"] == "definition-ref":
        return None
    stripped: Any = {k: v for k, v in outer.items() if k != "ref"}
    return stripped  # type: ignore[no-any-return]


def _top_ref(schema: CoreSchema) -> str | None:
    """The ref of the outermost type of ``schema`` (a typed dictionary's, for instance)."""
    inner: Any = schema
    if inner["type"] == "definitions":
        inner = inner["schema"]
    if inner["type"] == "definition-ref":
        ref: str = inner["schema_ref"]
        return ref
    found: str | None = inner.get("ref")
    return found


def _default_title(name: str) -> str:
    """The title pydantic gives a field called ``name``."""
    return name.title().replace("_", " ").strip()


def field_title(name: str) -> str:
    """The title of a parameter whose wire name is ``name``: ``x-token`` -> ``X-Token``."""
    return _default_title(name)


__all__ = [
    "REF_PREFIX",
    "FieldsSchema",
    "OpenAPIJsonSchema",
    "SchemaRegistry",
    "field_title",
    "short_name",
]
