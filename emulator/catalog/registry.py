"""The schema registry: one JSON Schema per event type, checked in two payload dialects.

Verdicts come from jsonschema-rs (compiled, >100x faster); only when it says "invalid" do we
ask jsonschema (Draft202012Validator + referencing) for paths and messages, so the slow path is
paid on bad input only. tests/contract/test_fast_validator.py checks both agree.
"""

from __future__ import annotations

import copy
import difflib
import functools
import threading
from typing import TYPE_CHECKING, Any, NoReturn

import jsonschema_rs

from ..errors import InputError
from ..resources import schemas_dir
from .dialects import DIALECTS, check_dialect
from .store import SchemaStore, load_store
from .types import EVENT_TYPES, dialects_of, event_types, is_event_type
from .violations import Violation, collect, json_type, show

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

__all__ = ["DIALECTS", "EventValidationError", "SchemaRegistry", "UnknownEventType",
           "Violation", "get_registry"]


class UnknownEventType(InputError):
    """An event type that is not one of the 77 Stream delivers to hooks, or not of the dialect
    asked for (the 13 moderation types are v2's only)."""


class EventValidationError(InputError):
    def __init__(self, event_type: str, dialect: str, violations: list[Violation]):
        first = violations[0]
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        super().__init__(f"{event_type} event ({dialect}) is invalid at {first.path}: "
                         f"{first.message}{more}")
        self.event_type, self.dialect, self.violations = event_type, dialect, violations


def _no_network(uri: str) -> NoReturn:
    # Every $ref is local; a miss is a bug in the schemas, never a reason to fetch.
    raise ValueError(f"unresolvable $ref {uri} (schemas are offline)")


class SchemaRegistry:
    def __init__(self, store: SchemaStore):
        self._store = store
        self._fast: dict[tuple[str, str], Any] = {}
        self._slow: dict[tuple[str, str], Draft202012Validator] = {}
        self._rs_registries: dict[str, jsonschema_rs.Registry] = {}
        self._lock = threading.Lock()

    def types(self, dialect: str | None = None) -> list[str]:
        """Every type we know (77), or one dialect's (v1: 64, v2: 77)."""
        return list(EVENT_TYPES if dialect is None else event_types(self._dialect(dialect)))

    def schema(self, event_type: str) -> dict[str, Any]:
        """The raw schema document of an event type (a copy: callers may mutate it)."""
        return copy.deepcopy(self._store.events[self._known(event_type)])

    def resources(self, dialect: str = "v1") -> dict[str, dict[str, Any]]:
        """Every document a dialect needs (events, defs, dialect files), by ``$id``."""
        return copy.deepcopy(self._store.resources(self._dialect(dialect)))

    def bundle(self, event_type: str, dialect: str = "v1") -> dict[str, Any]:
        """A self-contained schema: the event schema with every other document embedded in
        ``$defs`` under its own ``$id`` (Draft 2020-12 compound document)."""
        root = self.schema(self._known(event_type, self._dialect(dialect)))
        own = root["$id"]
        embedded = {uri.removeprefix("https://"): doc
                    for uri, doc in self.resources(dialect).items() if uri != own}
        root["$defs"] = {**root.get("$defs", {}), **embedded}
        return root

    def is_valid(self, event: Any, dialect: str = "v1", event_type: str | None = None) -> bool:
        return not self.violations(event, dialect, event_type)

    def violations(self, event: Any, dialect: str = "v1",
                   event_type: str | None = None) -> list[Violation]:
        if event_type is None and not isinstance(event, dict):
            return [Violation("$", f"expected object, received {show(event)}", "object",
                              json_type(event))]
        if event_type is None and not isinstance(event.get("type"), str):
            got = show(event["type"]) if "type" in event else "missing"
            return [Violation("$.type", f"expected an event type string, received {got}",
                              "an event type string", got)]
        event_type = self._type_of(event, event_type)
        try:
            if self.fast_validator(event_type, dialect).is_valid(event):
                return []
        except ValueError as exc:  # a Python value JSON cannot carry (datetime, bytes, …)
            found = collect(self.reference_validator(event_type, dialect).iter_errors(event))
            return found or [Violation("$", f"expected only JSON values, received {exc}",
                                       "JSON values", str(exc))]
        return collect(self.reference_validator(event_type, dialect).iter_errors(event))

    def validate(self, event: Any, dialect: str = "v1", event_type: str | None = None) -> None:
        found = self.violations(event, dialect, event_type)
        if found:
            shown = event_type or (event.get("type") if isinstance(event, dict) else None)
            raise EventValidationError(str(shown or "unknown"), dialect, found)

    # -- validators, compiled on first use per (type, dialect); public for tests and benchmarks --

    def fast_validator(self, event_type: str, dialect: str) -> Any:
        """The compiled jsonschema-rs validator that gives the verdict."""
        key = (self._known(event_type, self._dialect(dialect)), dialect)
        validator = self._fast.get(key)
        if validator is None:
            with self._lock:
                validator = self._fast.get(key) or self._compile_fast(*key)
                self._fast[key] = validator
        return validator

    def _compile_fast(self, event_type: str, dialect: str) -> Any:
        registry = self._rs_registries.get(dialect)
        if registry is None:
            registry = jsonschema_rs.Registry(list(self._store.resources(dialect).items()),
                                              retriever=_no_network)
            self._rs_registries[dialect] = registry
        return jsonschema_rs.Draft202012Validator(
            self._store.events[event_type], registry=registry, retriever=_no_network,
            validate_formats=False)

    def reference_validator(self, event_type: str, dialect: str) -> Draft202012Validator:
        """The jsonschema validator that explains a failure (paths and messages)."""
        # Imported here: jsonschema (+ attrs) costs ~100 ms to import and is needed only
        # for invalid input, so a session of valid events never pays it.
        from jsonschema import Draft202012Validator

        key = (self._known(event_type, self._dialect(dialect)), dialect)
        if key not in self._slow:
            self._slow[key] = Draft202012Validator(
                self._store.events[event_type], registry=self._store.registries[dialect])
        return self._slow[key]

    def _type_of(self, event: Any, event_type: str | None) -> str:
        if event_type is None:
            event_type = event.get("type") if isinstance(event, dict) else None
            if custom_event_name(event_type):
                return "*"  # v1 custom events keep their sender's name, e.g. order_shipped
        return self._known(event_type)

    @staticmethod
    def _known(event_type: Any, dialect: str | None = None) -> str:
        if not is_event_type(event_type):
            raise UnknownEventType(
                f"type: expected one of the {len(EVENT_TYPES)} webhook event types "
                f"(custom events validate as type '*'), received {show(event_type)}")
        if dialect is not None and not is_event_type(event_type, dialect):
            raise UnknownEventType(wrong_dialect(event_type, dialect))
        return event_type

    @staticmethod
    def _dialect(dialect: str) -> str:
        return check_dialect(dialect)


@functools.lru_cache(maxsize=1)
def get_registry() -> SchemaRegistry:
    """The process-wide registry; loading checks every schema and ``$ref`` once."""
    return SchemaRegistry(load_store(schemas_dir()))


def wrong_dialect(event_type: str, dialect: str) -> str:
    """Why a known type cannot be had in this dialect (e.g. a v2-only moderation type in v1)."""
    other = dialects_of(event_type)[0]
    return (f"type: {event_type!r} is in Stream's {' and '.join(dialects_of(event_type))} "
            f"webhook union only, not in dialect {dialect}'s; ask for dialect {other} "
            f"(\"dialect\": \"{other}\"; the CLI's --dialect {other})")


def custom_event_name(event_type: Any) -> bool:
    """A payload type that names a custom event: a string outside Stream's namespaces
    (`message.`, `user.`, …) and not a near miss of a Stream type (`mesage_new`): those are
    typos, reported as unknown types rather than accepted as custom events."""
    if not isinstance(event_type, str) or not event_type or is_event_type(event_type):
        return False
    if event_type.split(".", 1)[0] in _NAMESPACES:
        return False
    return not difflib.get_close_matches(event_type, EVENT_TYPES, n=1, cutoff=0.75)


_NAMESPACES = frozenset(t.split(".", 1)[0] for t in EVENT_TYPES if "." in t)
