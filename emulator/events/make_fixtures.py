"""Write the canonical payloads: `fixtures/events/<type>.json` (v1) and `…/v2/<type>.json`.

Run `python -m emulator.events.make_fixtures [--out DIR] [--check]`. A fixed seed and start
time make the files reproducible; tests/unit/test_fixtures.py checks they have not drifted.
Each type gets its own generator (same seed), so adding a type never changes the others.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..catalog.types import event_types, schema_file_name
from ..resources import fixtures_dir
from .generator import Generator

FIXTURE_SEED = 20200330
FIXTURE_START = datetime(2025, 3, 30, 7, 54, 46, 207332, tzinfo=timezone.utc)
DIALECT_DIRS = {"v1": "", "v2": "v2"}


def canonical(event_type: str, dialect: str) -> dict[str, Any]:
    return Generator(seed=FIXTURE_SEED, start_time=FIXTURE_START).make(event_type,
                                                                        dialect=dialect)


def render(event: dict[str, Any]) -> str:
    return json.dumps(event, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def fixture_path(root: Path, event_type: str, dialect: str) -> Path:
    return root / "events" / DIALECT_DIRS[dialect] / schema_file_name(event_type)


def expected_files(root: Path) -> dict[Path, str]:
    """Every fixture file with the text it should hold."""
    return {fixture_path(root, t, d): render(canonical(t, d))
            for d in DIALECT_DIRS for t in event_types(d)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="fixtures root (default: ours)")
    parser.add_argument("--check", action="store_true", help="only report drifted files")
    args = parser.parse_args(argv)
    root = args.out or fixtures_dir()
    drifted = []
    for path, text in expected_files(root).items():
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        drifted.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "drifted" if args.check else "written"
    print(f"{len(drifted)} fixture file(s) {verb} under {root / 'events'}")
    return 1 if args.check and drifted else 0


if __name__ == "__main__":
    sys.exit(main())
