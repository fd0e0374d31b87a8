"""The canonical payloads under fixtures/events/ (v1) and fixtures/events/v2/ validate, and once
a dialect's folder has any fixture, every event type has one there."""

from __future__ import annotations

import pytest

from emulator.catalog.registry import get_registry
from emulator.catalog.types import EVENT_TYPES, event_types, schema_file_name
from emulator.resources import fixtures_dir
from tests.contract.examples_lib import load
from tests.contract.test_examples import assert_decodes_with_sdk

FOLDERS = {"v1": fixtures_dir() / "events", "v2": fixtures_dir() / "events" / "v2"}


def fixture_path(dialect: str, event_type: str):
    return FOLDERS[dialect] / schema_file_name(event_type)


@pytest.mark.parametrize(("event_type", "dialect"),
                         [(t, d) for d in ("v1", "v2") for t in event_types(d)])
def test_fixture_exists_and_is_valid(event_type, dialect):
    path = fixture_path(dialect, event_type)
    if not path.exists():
        others = sorted(p.name for p in FOLDERS[dialect].glob("*.json"))
        assert others == [], f"{path} is missing while {len(others)} other fixtures exist"
        return
    event = load(path)
    assert isinstance(event, dict)
    if event_type != "*":
        assert event["type"] == event_type
    found = get_registry().violations(event, dialect, event_type)
    assert found == [], [str(v) for v in found]
    if dialect == "v2":
        assert_decodes_with_sdk(event)


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_no_fixture_file_for_an_unknown_type(dialect):
    expected = {schema_file_name(t) for t in event_types(dialect)}  # none for v2-only in v1
    assert len(expected) == {"v1": 64, "v2": len(EVENT_TYPES)}[dialect]
    stray = sorted(p.name for p in FOLDERS[dialect].glob("*.json") if p.name not in expected)
    assert stray == []
