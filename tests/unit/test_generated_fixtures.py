"""fixtures/events/ holds exactly what `python -m emulator.events.make_fixtures` would write
now (so the canonical payloads cannot drift silently), and every one of them validates."""

from __future__ import annotations

import json

from emulator.catalog.registry import get_registry
from emulator.catalog.types import event_types
from emulator.events.make_fixtures import DIALECT_DIRS, expected_files, fixture_path, main
from emulator.resources import fixtures_dir


def test_fixtures_match_what_make_fixtures_generates():
    expected = expected_files(fixtures_dir())
    assert len(expected) == 64 + 77  # v1's union, v2's union
    drifted = [str(path) for path, text in expected.items()
               if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert drifted == [], "run `python -m emulator.events.make_fixtures`"


def test_every_fixture_validates_in_its_dialect():
    registry = get_registry()
    for dialect in DIALECT_DIRS:
        for event_type in event_types(dialect):
            event = json.loads(fixture_path(fixtures_dir(), event_type, dialect).read_text())
            found = registry.violations(event, dialect, event_type)
            assert found == [], (dialect, event_type, [str(v) for v in found])


def test_make_fixtures_writes_and_then_reports_no_drift(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--check"]) == 1  # nothing there yet
    assert main(["--out", str(tmp_path)]) == 0
    assert main(["--out", str(tmp_path), "--check"]) == 0
    assert "0 fixture file(s) drifted" in capsys.readouterr().out
    written = fixture_path(tmp_path, "*", "v2")
    assert written.name == "custom.json" and json.loads(written.read_text())["type"] == "*"
