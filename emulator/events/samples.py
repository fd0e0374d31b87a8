"""Payloads that stand for the generator in a comparison: generated ones and the fixtures.

Per seed, one generator makes every asked-for type in turn, `rounds` times, so later rounds see
a world that earlier events changed (replies, reactions, deletions), not only a fresh one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from ..resources import fixtures_dir
from .generator import Generator
from .make_fixtures import fixture_path

START = datetime(2025, 3, 30, tzinfo=timezone.utc)
Sample = tuple[str, Any]  # (where it came from, payload)


def generated(event_types: Iterable[str], dialect: str, seeds: Iterable[int],
              rounds: int = 2) -> dict[str, list[Sample]]:
    event_types = list(event_types)
    out: dict[str, list[Sample]] = {t: [] for t in event_types}
    for seed in seeds:
        gen = Generator(seed=seed, start_time=START, dialect=dialect)
        for n in range(rounds):
            for event_type in event_types:
                out[event_type].append((f"seed {seed} #{n + 1}", gen.make(event_type)))
    return out


def fixture(event_type: str, dialect: str) -> list[Sample]:
    """The canonical fixture of the type, when the package has one."""
    path = fixture_path(fixtures_dir(), event_type, dialect)
    if not path.is_file():
        return []
    return [(f"fixture {path.parent.name}/{path.name}", json.loads(path.read_text("utf-8")))]


def samples(event_types: Iterable[str], dialect: str, seeds: Iterable[int],
            rounds: int = 2) -> dict[str, list[Sample]]:
    """Generated payloads over the seeds, then the fixture, per type."""
    found = generated(event_types, dialect, seeds, rounds)
    for event_type, items in found.items():
        items += fixture(event_type, dialect)
    return found
