"""jsonschema-rs (the fast verdict) agrees with jsonschema (the reference) on every example:
same verdict, and the same set of failing instance paths."""

from __future__ import annotations

import pytest

from emulator.catalog.registry import get_registry
from emulator.catalog.types import is_event_type
from emulator.resources import fixtures_dir
from tests.contract.examples_lib import event_type_of, load, negative_examples, positive_examples

OTHER = {"v1": "v2", "v2": "v1"}


def _samples() -> list[tuple[str, str, str, object]]:
    """(id, event type, dialect, payload): every example in its own dialect and the other one."""
    out = []
    for name, dialect, event in positive_examples():
        for d in (dialect, OTHER[dialect]):
            out.append((f"{name}@{d}", event_type_of(event), d, event))
    for case in negative_examples():
        event = case["event"]
        event_type = case.get("event_type") or event_type_of(event)
        out.append((f"negative: {case['name']}", event_type, case["dialect"], event))
    events = fixtures_dir() / "events"
    for path in sorted(events.glob("*.json")) + sorted(events.glob("v2/*.json")):
        dialect = "v2" if path.parent.name == "v2" else "v1"
        event = load(path)
        if isinstance(event, dict) and is_event_type(event.get("type")):
            out.append((f"fixture {path.relative_to(events)}", event["type"], dialect, event))
    return out


SAMPLES = _samples()


@pytest.mark.parametrize("event_type,dialect,event", [s[1:] for s in SAMPLES],
                         ids=[s[0] for s in SAMPLES])
def test_fast_and_reference_validators_agree(event_type, dialect, event):
    registry = get_registry()
    fast = registry.fast_validator(event_type, dialect)
    reference = registry.reference_validator(event_type, dialect)
    reference_paths = {tuple(e.absolute_path) for e in reference.iter_errors(event)}
    fast_paths = {tuple(e.instance_path) for e in fast.iter_errors(event)}
    assert fast.is_valid(event) == (not reference_paths)
    assert fast_paths == reference_paths


def test_samples_cover_valid_and_invalid_payloads():
    registry = get_registry()
    verdicts = {registry.is_valid(e, d, t) for _, t, d, e in SAMPLES}
    assert verdicts == {True, False} and len(SAMPLES) >= 45
