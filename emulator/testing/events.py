"""`stream_events` and `stream_schemas`: payloads without delivery, and schema checks that fail
a test with the JSON path, the expected and the received value."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .errors import StreamFailure

if TYPE_CHECKING:
    from ..events.generator import Generator

# A fixed clock start makes payloads byte-identical for a seed (a wall-clock start would put
# different timestamps in each replay); events step forward from it 50 ms - 3 s apart.
REPLAY_START = datetime(2025, 1, 1, tzinfo=timezone.utc)


class SchemaAssertionError(StreamFailure):
    """A payload breaks its event schema; `.violations` lists every (path, expected, received)."""

    def __init__(self, message: str, violations: list[Any]):
        super().__init__(message)
        self.violations = violations


class EventFactory:
    """Schema-valid payloads from the seeded generator; nothing is delivered.

    `restart()` (the plugin calls it before every test) puts the generator back to its seed,
    so a test's payloads depend on the seed and that test's own calls only — not on which
    tests ran before it or on which xdist worker. Timestamps start at `start_time`."""

    def __init__(self, seed: int, dialect: str = "v1", start_time: datetime = REPLAY_START):
        self.seed = seed
        self.dialect = dialect
        self.start_time = start_time
        self._generator: Generator | None = None  # built on first use: ~0.3 s of pools
        self._lock = threading.Lock()

    def make(self, type: str, seed: int | None = None,
             overrides: dict | None = None, dialect: str | None = None) -> dict[str, Any]:
        """One payload of `type`; an explicit `seed` gives the same payload every time."""
        __tracebackhide__ = True
        dialect = dialect or self.dialect
        try:
            if seed is not None:
                generator = _generator_class()(seed, self.start_time, dialect)
                return generator.make(type, overrides, dialect)
            with self._lock:
                return self._shared().make(type, overrides, dialect)
        except InputError as exc:  # unknown type, or overrides that break the schema
            raise StreamFailure(f"stream_events.make({type!r}): {exc}") from None

    def oversize(self, type: str = "message.new", kilobytes: int = 300,
                 overrides: dict | None = None, dialect: str | None = None) -> dict[str, Any]:
        """A valid payload whose compact JSON is `kilobytes` KiB: over SQS's 256 KB when > 256."""
        __tracebackhide__ = True
        try:
            with self._lock:
                return self._shared().oversize(type, kilobytes, dialect or self.dialect,
                                               overrides)
        except InputError as exc:
            raise StreamFailure(f"stream_events.oversize({type!r}): {exc}") from None

    def restart(self) -> None:
        with self._lock:
            if self._generator is not None:
                self._generator.reset()

    def _shared(self) -> Generator:
        if self._generator is None:
            self._generator = _generator_class()(self.seed, self.start_time, self.dialect)
        return self._generator


class SchemaChecker:
    """The emulator's JSON Schemas of Stream's chat events, as assertions."""

    def __init__(self, dialect: str = "v1"):
        self.dialect = dialect

    def validate(self, event: Any, event_type: str | None = None,
                 dialect: str | None = None) -> None:
        """Fail with every violation (JSON path: expected …, received …) when invalid."""
        __tracebackhide__ = True
        found = self.violations(event, event_type, dialect)
        if found:
            shown = event_type or (event.get("type") if isinstance(event, dict) else None)
            lines = [f"  {v.path}: expected {v.expected}, received {v.received}" for v in found]
            raise SchemaAssertionError(
                f"{shown or 'payload'} event ({dialect or self.dialect}) breaks its schema at "
                f"{len(found)} place(s):\n" + "\n".join(lines), found)

    def violations(self, event: Any, event_type: str | None = None,
                   dialect: str | None = None) -> list[Any]:
        """Violation(path, message, expected, received) for each problem; [] when valid."""
        try:
            return _registry().violations(event, dialect or self.dialect, event_type)
        except InputError as exc:  # unknown event type or dialect: the caller's mistake
            raise StreamFailure(str(exc)) from None

    def is_valid(self, event: Any, event_type: str | None = None,
                 dialect: str | None = None) -> bool:
        return not self.violations(event, event_type, dialect)

    def types(self, dialect: str | None = None) -> list[str]:
        """The event types of `dialect`, by default this checker's (the session's
        --stream-dialect, as `validate` and `stream_emulator.trigger` use): v1 has 64, v2
        all 77, so each type listed can be triggered and validated as it is."""
        return _registry().types(dialect or self.dialect)

    def schema(self, event_type: str) -> dict[str, Any]:
        return _registry().schema(event_type)


# Imported on first use: a plugin is imported by every pytest run of a downstream repo, and the
# generator (Faker) and the schema registry cost ~0.2 s to import.
def _generator_class() -> type[Generator]:
    from ..events.generator import Generator

    return Generator


def _registry() -> Any:
    from ..catalog.registry import get_registry

    return get_registry()
