"""Loading the contract examples: positive payloads, negative mutations, fixture files."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from emulator.catalog.types import CUSTOM_EVENT_TYPE, is_event_type

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "examples"
NEGATIVES_FILE = HERE / "negative_examples.json"
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[\"([^\"]+)\"\]")


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def event_type_of(event: dict[str, Any]) -> str:
    """Known types name themselves; anything else is a custom event."""
    return event["type"] if is_event_type(event.get("type")) else CUSTOM_EVENT_TYPE


def positive_examples() -> list[tuple[str, str, dict[str, Any]]]:
    """(id, dialect, payload) for every file under examples/<dialect>/."""
    found = []
    for path in sorted(EXAMPLES.glob("v*/*.json")):
        found.append((f"{path.parent.name}/{path.name}", path.parent.name, load(path)))
    return found


def parse_path(path: str) -> list[str | int]:
    """``$.members[0].user.id`` → ``["members", 0, "user", "id"]``."""
    assert path.startswith("$"), path
    steps, rest = [], path[1:]
    while rest:
        match = _STEP.match(rest)
        assert match, f"bad JSON path {path!r} at {rest!r}"
        name, index, quoted = match.groups()
        steps.append(int(index) if index is not None else (name or quoted))
        rest = rest[match.end():]
    return steps


def _parent(document: Any, path: str) -> tuple[Any, str | int]:
    *parents, leaf = parse_path(path)
    node = document
    for step in parents:
        node = node[step]
    return node, leaf


def mutate(base: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    event = copy.deepcopy(base)
    for path, value in case.get("set", {}).items():
        node, leaf = _parent(event, path)
        node[leaf] = value
    for path in case.get("delete", []):
        node, leaf = _parent(event, path)
        del node[leaf]
    return event


def negative_examples() -> list[dict[str, Any]]:
    """Each case with its mutated ``event`` filled in."""
    cases = load(NEGATIVES_FILE)["cases"]
    for case in cases:
        base = case["payload"] if "payload" in case else load(EXAMPLES / case["base"])
        case["event"] = mutate(base, case)
    return cases
