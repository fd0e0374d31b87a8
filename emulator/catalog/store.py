"""Loading the schema files and checking them: metaschema, ``$ref``s, one file per event type.

Layout (see schemas/README.md): ``events/*.json`` and ``defs/*.json`` are shared by both
dialects; ``dialects/<d>/*.json`` carry the same ``$id``s in each dialect, so loading one
dialect's folder picks its timestamps and required fields. One ``referencing`` registry per
dialect.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from .dialects import DIALECTS
from .types import EVENT_TYPES, event_type_for_file, is_event_type, schema_file_name

BASE_URI = "https://stream-sqs-emulator.invalid/schemas/"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


class SchemaLoadError(RuntimeError):
    """The schema folder is broken: a bug in the package, not in a caller's input."""


@dataclass(frozen=True)
class SchemaStore:
    events: dict[str, dict[str, Any]]  # event type -> raw schema
    shared: dict[str, dict[str, Any]]  # $id -> schema (defs/)
    dialect_files: dict[str, dict[str, dict[str, Any]]]  # dialect -> $id -> schema
    registries: dict[str, Registry]  # dialect -> referencing registry

    def resources(self, dialect: str) -> dict[str, dict[str, Any]]:
        """Every schema document a dialect's validator needs, by ``$id``: the event schemas
        of that dialect's types only (v2-only types have no v1 required list to point at)."""
        found = {s["$id"]: s for t, s in self.events.items() if is_event_type(t, dialect)}
        found.update(self.shared)
        found.update(self.dialect_files[dialect])
        return found


def _read(path: Path) -> dict[str, Any]:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaLoadError(f"cannot read schema {path}: {exc}") from exc
    problem = _metaschema_problem(schema)
    if problem:
        raise SchemaLoadError(f"{path} is not a valid Draft 2020-12 schema at {problem}")
    if not isinstance(schema.get("$id"), str) or not schema["$id"].startswith(BASE_URI):
        raise SchemaLoadError(f"{path}: $id must start with {BASE_URI}, got {schema.get('$id')!r}")
    return schema


def _metaschema_problem(schema: dict[str, Any]) -> str | None:
    """`where: what` when the document breaks the Draft 2020-12 metaschema, else None.
    jsonschema-rs checks all files in ~1 ms; jsonschema's check_schema took ~1.3 s, paid by
    the first event of every process."""
    if schema.get("$schema", DRAFT_2020_12) != DRAFT_2020_12:
        return f"$schema: expected {DRAFT_2020_12}, received {schema['$schema']!r}"
    try:
        jsonschema_rs.meta.validate(schema)
    except jsonschema_rs.ValidationError as exc:
        return f"{'/'.join(str(p) for p in exc.instance_path) or '(root)'}: {exc.message}"
    return None


def _load_events(folder: Path) -> dict[str, dict[str, Any]]:
    files = {p.name: p for p in folder.glob("*.json")}
    expected = {schema_file_name(t) for t in EVENT_TYPES}
    if set(files) != expected:
        missing, extra = sorted(expected - set(files)), sorted(set(files) - expected)
        raise SchemaLoadError(f"{folder}: missing schemas {missing}, unexpected files {extra}")
    events = {}
    for name, path in sorted(files.items()):
        event_type = event_type_for_file(name)
        schema = _read(path)
        if schema["$id"] != f"{BASE_URI}events/{name}" or schema.get("title") != event_type:
            raise SchemaLoadError(f"{path}: $id/title do not match event type {event_type!r}")
        events[event_type] = schema
    return events


def _load_folder(folder: Path) -> dict[str, dict[str, Any]]:
    docs = [_read(p) for p in sorted(folder.glob("*.json"))]
    if not docs:
        raise SchemaLoadError(f"no schema files in {folder}")
    return {d["$id"]: d for d in docs}


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _check_refs(registry: Registry, docs: dict[str, dict[str, Any]], dialect: str) -> None:
    # No schema nests a $id, so each document's own $id is the base of all its refs.
    for uri, doc in docs.items():
        resolver = registry.resolver(base_uri=uri)
        for ref in _refs(doc):
            try:
                resolver.lookup(ref)
            except Unresolvable as exc:
                raise SchemaLoadError(
                    f"{uri}: $ref {ref!r} does not resolve in dialect {dialect}: {exc}") from exc


def load_store(root: Path) -> SchemaStore:
    events = _load_events(root / "events")
    shared = _load_folder(root / "defs")
    dialect_files = {d: _load_folder(root / "dialects" / d) for d in DIALECTS}
    if len({frozenset(files) for files in dialect_files.values()}) != 1:
        raise SchemaLoadError("every dialect folder must define the same $ids")
    store = SchemaStore(events, shared, dialect_files, {})
    for dialect in DIALECTS:
        docs = store.resources(dialect)
        registry = Registry().with_resources(
            (uri, Resource.from_contents(doc, default_specification=DRAFT202012))
            for uri, doc in docs.items()
        ).crawl()
        _check_refs(registry, docs, dialect)
        store.registries[dialect] = registry
    return store
