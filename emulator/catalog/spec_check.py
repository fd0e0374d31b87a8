"""The catalogue against Stream's own OpenAPI spec (GetStream/protocol), given by path.

Stream's spec is proprietary: it is never shipped, copied or downloaded here; the caller hands
in the files (``chat-openapi.json`` for v1, ``v2/chat-serverside-api.json`` for v2). Each
webhook type is found through the ``WHEvent`` discriminator and its component is turned into a
JSON Schema (OpenAPI 3.0's ``nullable: true`` → ``null`` allowed; ``$ref``s resolved by a
``referencing`` registry holding the converted document), then payloads are checked against it:
coverage (the spec's types against ours), required fields, and per-type results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .registry import get_registry
from .store import BASE_URI
from .violations import Violation, collect

UNION = "WHEvent"  # the spec's discriminator of every webhook event
Sample = tuple[str, Any]  # (where it came from, e.g. "seed 3" or "fixture", payload)


class SpecError(ValueError):
    """A spec file that cannot be used: unreadable, not JSON, or without the webhook union."""


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects → JSON Schema 2020-12 (a new tree; the input is untouched).

    Only ``nullable`` needs rewriting for validation: ``discriminator`` and the ``x-``
    extensions are annotations, and OpenAPI's other keywords mean the same in both."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "discriminator")}
    if node.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        elif "type" not in out:  # a $ref or a combinator: null or the schema
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _get(node: Any, *keys: str) -> Any:
    """node[k1][k2]…, or {} where a level is missing or not an object."""
    for key in keys:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    return node


@dataclass
class Spec:
    """One spec file: its webhook types, each type's component as a JSON Schema."""

    dialect: str
    path: str
    version: str
    components: dict[str, Any]  # converted components/schemas
    union: dict[str, str]  # event type → component name
    _fast: dict[str, Any] = field(default_factory=dict, repr=False)
    _rs_registry: Any = field(default=None, repr=False)
    _slow: dict[str, Draft202012Validator] = field(default_factory=dict, repr=False)

    @property
    def uri(self) -> str:
        return f"urn:stream-spec:{self.dialect}"

    @classmethod
    def load(cls, path: str | Path, dialect: str) -> Spec:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise SpecError(f"spec {path}: cannot read it ({exc.strerror})") from None
        except ValueError as exc:
            raise SpecError(f"spec {path}: not JSON ({exc})") from None
        schemas = _get(doc, "components", "schemas")
        mapping = _get(schemas, UNION, "discriminator", "mapping")
        if not isinstance(mapping, dict) or not mapping:
            raise SpecError(f"spec {path}: no components/schemas/{UNION} discriminator; "
                            "expected Stream's chat OpenAPI document")
        union = {t: ref.rsplit("/", 1)[-1] for t, ref in mapping.items() if isinstance(ref, str)}
        version = str(_get(doc, "info", "version") or "unknown")
        return cls(dialect, str(path), version, to_json_schema(schemas), union)

    def component(self, event_type: str) -> dict[str, Any]:
        return self.components[self.union[event_type]]

    def required(self, event_type: str) -> list[str]:
        return list(self.component(event_type).get("required", []))

    def properties(self, event_type: str) -> list[str]:
        return list(self.component(event_type).get("properties", {}))

    def _root(self, event_type: str) -> dict[str, Any]:
        return {"$ref": f"{self.uri}#/components/schemas/{self.union[event_type]}"}

    def _document(self) -> dict[str, Any]:
        return {"components": {"schemas": self.components}}

    def violations(self, event_type: str, payload: Any) -> list[Violation]:
        """Nothing when the payload satisfies the type's component; else where and why."""
        fast = self._fast.get(event_type)
        if fast is None:
            if self._rs_registry is None:  # one compiled registry for every type
                self._rs_registry = jsonschema_rs.Registry([(self.uri, self._document())])
            fast = self._fast[event_type] = jsonschema_rs.validator_for(
                self._root(event_type), registry=self._rs_registry)
        if fast.is_valid(payload):
            return []
        slow = self._slow.get(event_type)
        if slow is None:
            resource = Resource.from_contents(self._document(),
                                              default_specification=DRAFT202012)
            registry = Registry().with_resource(self.uri, resource)
            slow = self._slow[event_type] = Draft202012Validator(self._root(event_type),
                                                                  registry=registry)
        return collect(slow.iter_errors(payload))


@dataclass
class TypeResult:
    event_type: str
    samples: int = 0
    failures: list[str] = field(default_factory=list)  # "label: $.path: message"
    relaxed: list[str] = field(default_factory=list)  # spec-required fields we do not require
    unnamed: set[str] = field(default_factory=set)  # top-level fields the spec does not name

    @property
    def ok(self) -> bool:
        return self.samples > 0 and not self.failures


@dataclass
class SpecReport:
    dialect: str
    version: str
    spec_types: list[str]
    covered: list[str]
    missing: list[str]  # in the spec's union, not in our catalogue for this dialect
    extra: list[str]  # ours, not in the spec's union
    results: dict[str, TypeResult]
    undescribed: dict[str, list[str]] = field(default_factory=dict)  # see undescribed()

    @property
    def valid(self) -> list[str]:
        return [t for t in self.covered if self.results[t].ok]

    @property
    def ok(self) -> bool:
        return (not self.missing and not self.undescribed
                and len(self.valid) == len(self.spec_types))

    def summary(self) -> str:
        n = len(self.spec_types)
        gaps = sum(len(names) for names in self.undescribed.values())
        return (f"{self.dialect} (spec {self.version}): {len(self.covered)}/{n} covered, "
                f"{len(self.valid)}/{n} valid" + (f", {gaps} undescribed properties" if gaps
                                                  else ""))

    def lines(self, limit: int = 3) -> list[str]:
        """The per-type result, then the summary line."""
        out = []
        for event_type in self.spec_types:
            result = self.results.get(event_type)
            if result is None:
                out.append(f"  MISSING {event_type}: no schema in dialect {self.dialect}")
                continue
            state = "ok" if result.ok else "FAIL"
            note = f"; not required here: {', '.join(result.relaxed)}" if result.relaxed else ""
            if result.unnamed:
                note += f"; not in the spec: {', '.join(sorted(result.unnamed))}"
            out.append(f"  {state:4} {event_type}: {result.samples} payloads{note}")
            out += [f"       {f}" for f in result.failures[:limit]]
            if len(result.failures) > limit:
                out.append(f"       … and {len(result.failures) - limit} more")
        out += [f"  EXTRA {t}: ours, not in the spec's {UNION}" for t in self.extra]
        out += [f"  UNDESCRIBED in {path}: {', '.join(names)}"
                for path, names in self.undescribed.items()]
        out.append(self.summary())
        return out


def dialect_required(dialect: str) -> dict[str, list[str]]:
    """Our schemas' required fields per event type in one dialect."""
    doc = get_registry().resources(dialect)[f"{BASE_URI}dialect/events.json"]
    return {t: body.get("required", []) for t, body in doc["$defs"].items()}


def undescribed(spec: Spec) -> dict[str, list[str]]:
    """Properties of a spec component that our schema of it (events/ and defs/ documents
    naming it in ``x-stream-spec-schema``) does not describe, by our document's path."""
    gaps = {}
    for uri, doc in get_registry().resources(spec.dialect).items():
        component = spec.components.get(doc.get("x-stream-spec-schema", ""), {})
        missing = sorted(set(component.get("properties", {})) - set(doc.get("properties", {})))
        if missing:
            gaps[uri.removeprefix(BASE_URI)] = missing
    return gaps


def check(spec: Spec, ours: Iterable[str], samples: Mapping[str, Iterable[Sample]]) -> SpecReport:
    """Compare one dialect's catalogue with one spec file.

    ``ours``: the event types we have in the spec's dialect; ``samples[type]``: the payloads
    to check for that type (generated ones and fixtures)."""
    ours = list(ours)
    required = dialect_required(spec.dialect)
    spec_types = sorted(spec.union)
    covered = [t for t in spec_types if t in ours]
    results = {}
    for event_type in covered:
        result = TypeResult(event_type)
        result.relaxed = sorted(set(spec.required(event_type)) - set(required[event_type]))
        named = set(spec.properties(event_type))
        for label, payload in samples.get(event_type, ()):
            result.samples += 1
            result.failures += [f"{label}: {v}" for v in spec.violations(event_type, payload)]
            if isinstance(payload, dict):
                result.unnamed.update(k for k in payload if k not in named)
        results[event_type] = result
    return SpecReport(spec.dialect, spec.version, spec_types, covered,
                      [t for t in spec_types if t not in ours],
                      sorted(t for t in ours if t not in spec.union), results, undescribed(spec))
