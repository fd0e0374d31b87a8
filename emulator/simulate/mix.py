"""The traffic mix: event type → weight, plus sequencing rules, loaded from a JSON file.

The file is checked when it is loaded, not when an event is drawn: an unknown type or a rule
that could never be satisfied is a usage error that names the key at fault.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalog.types import EVENT_TYPES, is_event_type
from ..config import UsageError

DEFAULT_MIX = Path(__file__).with_name("mix.json")
_KEYS = ("description", "weights", "pairs", "after")
_REDRAWS = 20  # blocked draws are rare; after this many, draw among the allowed types only


class MixError(UsageError):
    """A mix file that cannot be used (the CLI turns UsageError into exit status 2)."""


@dataclass(frozen=True)
class Mix:
    weights: dict[str, float]
    pairs: dict[str, str]  # X → Y: X is never sent more often than Y so far
    after: dict[str, str]  # X → Y: X is sent only once Y has been sent
    source: str

    def share(self, event_type: str) -> float:
        return self.weights.get(event_type, 0) / sum(self.weights.values())

    def for_dialect(self, dialect: str) -> Mix:
        """The mix without the types the dialect lacks (v1 has no moderation types), and
        without the rules that name them."""
        keep = {t: w for t, w in self.weights.items() if is_event_type(t, dialect)}
        if not keep:
            raise MixError(f"{self.source}: no weighted type exists in dialect {dialect}")
        rules = [{x: y for x, y in rule.items() if x in keep and y in keep}
                 for rule in (self.pairs, self.after)]
        return Mix(keep, rules[0], rules[1], self.source)

    def allowed(self, event_type: str, sent: Counter) -> bool:
        if event_type in self.pairs and sent[event_type] >= sent[self.pairs[event_type]]:
            return False
        return not (event_type in self.after and not sent[self.after[event_type]])


def load_mix(path: str | Path | None = None) -> Mix:
    source = Path(path) if path else DEFAULT_MIX
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MixError(f"mix file {source}: cannot read it ({exc.strerror})") from None
    except ValueError as exc:
        raise MixError(f"mix file {source}: not JSON ({exc})") from None
    return parse_mix(data, str(source))


def parse_mix(data: Any, source: str = "<mix>") -> Mix:
    if not isinstance(data, dict):
        raise MixError(f"{source}: expected a JSON object, received {type(data).__name__}")
    extra = [k for k in data if k not in _KEYS]
    if extra:
        raise MixError(f"{source}: unknown key {extra[0]!r}; expected only {', '.join(_KEYS)}")
    weights = _weights(data.get("weights"), source)
    rules = {name: _rules(data.get(name, {}), name, weights, source)
             for name in ("pairs", "after")}
    free = [t for t in weights if t not in rules["pairs"] and t not in rules["after"]]
    if not free:  # a type with no rule can always be drawn, so the run never stalls
        raise MixError(f"{source}: every weighted type waits on another (pairs/after); "
                       "at least one must have no rule")
    return Mix(weights, rules["pairs"], rules["after"], source)


def _weights(raw: Any, source: str) -> dict[str, float]:
    if not isinstance(raw, dict) or not raw:
        raise MixError(f"{source}: weights: expected an object of event type → weight")
    for event_type, weight in raw.items():
        _known(event_type, f"weights[{event_type!r}]", source)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise MixError(f"{source}: weights[{event_type!r}]: expected a number >= 0, "
                           f"received {weight!r}")
    if not any(raw.values()):
        raise MixError(f"{source}: weights: at least one weight must be above 0")
    return {t: float(w) for t, w in raw.items() if w > 0}


def _rules(raw: Any, name: str, weights: dict[str, float], source: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise MixError(f"{source}: {name}: expected an object of event type → event type")
    for event_type, needed in raw.items():
        where = f"{name}[{event_type!r}]"
        _known(event_type, where, source)
        _known(needed, where, source)
        if needed not in weights:
            raise MixError(f"{source}: {where}: needs {needed!r}, which has no weight in the "
                           f"mix, so {event_type!r} could never be sent")
    return dict(raw)


def _known(event_type: Any, where: str, source: str) -> None:
    if isinstance(event_type, str) and event_type in EVENT_TYPES:
        return
    close = difflib.get_close_matches(str(event_type), EVENT_TYPES, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise MixError(f"{source}: {where}: unknown event type {event_type!r} (expected one of "
                   f"the {len(EVENT_TYPES)} webhook event types){hint}")


class Picker:
    """Draws event types by weight, redrawing the ones a rule holds back for now."""

    def __init__(self, mix: Mix, rng: random.Random) -> None:
        self.mix = mix
        self.rng = rng
        self.types = list(mix.weights)
        self.cumulative = list(itertools.accumulate(mix.weights.values()))

    def draw(self, sent: Counter) -> str:
        for _ in range(_REDRAWS):
            x = self.rng.random() * self.cumulative[-1]
            event_type = self.types[bisect.bisect_right(self.cumulative, x)]
            if self.mix.allowed(event_type, sent):
                return event_type
        allowed = [t for t in self.types if self.mix.allowed(t, sent)]
        return self.rng.choices(allowed, [self.mix.weights[t] for t in allowed])[0]
