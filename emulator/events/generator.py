"""The seeded event generator: `Generator(seed, start_time, dialect).make(type, overrides)`.

One `random.Random` drives everything (world, content, ids, clock steps), so the same seed
and the same sequence of calls from a reset give the same payloads; with a fixed start time
they are byte-identical across processes.

Schema checks: a payload with overrides (the caller's data) is always checked, and so is an
oversize one. The builders' own output is checked for the first `FULL_CHECKS` events of each
type, then one in `CHECK_EVERY` (by count, so determinism holds): a check costs about as much
as building the event, and the builders' validity over every type, both dialects, many seeds
and long simulator runs is what tests/unit/test_generator*.py prove with every event checked.
"""

from __future__ import annotations

import difflib
import random
from datetime import datetime
from typing import Any

from ..catalog.dialects import check_dialect
from ..catalog.types import event_types, is_event_type
from ..errors import InputError
from .builders import BUILDERS
from .builders.common import Ctx, Event
from .clock import Clock
from .pools import pools_for
from .render import Renderer
from .sizing import fill_to_size
from .world import World

STEP_US = (50_000, 3_000_000)  # time between two events with a fixed start: 50 ms – 3 s
FULL_CHECKS = 8  # the first events of each type are all schema-checked…
CHECK_EVERY = 64  # …then one in this many
# (dialect, share) → renderer; shared renderers put cached user/member dicts in payloads.
_RENDERERS = {(d, share): Renderer(v2=d == "v2", share=share)
              for d in ("v1", "v2") for share in (False, True)}
# Relative frequencies of a busy chat app (benchmarks, simulations); every type appears.
_BUSY = {
    "message.new": 40, "message.read": 15, "reaction.new": 10, "message.updated": 5,
    "reaction.deleted": 3, "message.deleted": 2, "member.added": 2, "member.removed": 2,
    "user.updated": 3, "channel.updated": 2, "notification.thread_message_new": 2,
}


def realistic_mix(dialect: str = "v1") -> dict[str, int]:
    """Every type of the dialect (v1: 64, v2: 77) with a busy chat app's weights."""
    return {t: _BUSY.get(t, 1) for t in event_types(dialect)}


REALISTIC_MIX = realistic_mix("v1")


class FastRandom(random.Random):
    """Same Mersenne Twister, with choice/randint on one random() call each: the stdlib's
    rejection sampling costs ~1 µs per call, and events make dozens of choices."""

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def deep_merge(base: Any, overrides: Any) -> Any:
    """Dicts merge recursively; any other override value replaces. Returns new containers
    along the merged paths and leaves both inputs untouched."""
    if not isinstance(base, dict) or not isinstance(overrides, dict):
        return overrides
    merged = dict(base)
    for key, value in overrides.items():
        merged[key] = deep_merge(base[key], value) if key in base else value
    return merged


def _unknown(event_type: object) -> InputError:
    from ..catalog.registry import UnknownEventType

    close = difflib.get_close_matches(str(event_type), list(BUILDERS), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    # Both audiences: the route needs a signed request, the CLI command does not.
    return UnknownEventType(f"type: expected one of the {len(BUILDERS)} webhook event types "
                            "(GET /_emulator/event-types or `stream-sqs-emulator schemas` lists "
                            f"them), received {event_type!r}{hint}")


class Generator:
    """Builds schema-valid, mutually coherent Stream chat events from a seeded world.

    `share=True` (the simulator's): payloads hold the world's cached user and member dicts by
    reference, so a caller must not mutate them (serialise, or copy before changing)."""

    def __init__(self, seed: int | None = None, start_time: datetime | None = None,
                 dialect: str = "v1", *, share: bool = False) -> None:
        self.seed = seed if seed is not None else random.SystemRandom().randrange(2**63)
        self.start_time = start_time
        self.dialect = self._dialect(dialect)
        self.share = share
        self.reset()

    def reset(self) -> None:
        """Back to the world right after construction (the pools are cached per seed)."""
        self.rng = FastRandom(self.seed)
        self.clock = Clock(self.start_time)
        self.world = World(self.rng, pools_for(self.seed), self.clock.now_us)
        self.count = 0
        self._made: dict[tuple[str, str], int] = {}  # (type, dialect) → events made

    def make(self, event_type: str, overrides: dict[str, Any] | None = None,
             dialect: str | None = None) -> Event:
        event = self.build(event_type, dialect)
        dialect = dialect or self.dialect
        if overrides:
            if not isinstance(overrides, dict):
                raise InputError(f"overrides: expected object, received {type(overrides).__name__}")
            event = deep_merge(event, overrides)
            self._validate(event, event_type, dialect)
            return event
        key = (event_type, dialect)
        made = self._made[key] = self._made.get(key, 0) + 1
        if made <= FULL_CHECKS or made % CHECK_EVERY == 0:
            self._validate(event, event_type, dialect)
        return event

    def build(self, event_type: str, dialect: str | None = None) -> Event:
        """One event, unvalidated: the world moves on exactly as with make()."""
        builder = BUILDERS.get(event_type) if isinstance(event_type, str) else None
        if builder is None:
            raise _unknown(event_type)
        dialect = self._dialect(dialect) if dialect else self.dialect
        if not is_event_type(event_type, dialect):  # refused before the world moves on
            from ..catalog.registry import UnknownEventType, wrong_dialect

            raise UnknownEventType(wrong_dialect(event_type, dialect))
        renderer = _RENDERERS[dialect, self.share]
        now = self.clock.tick(self.rng.randint(*STEP_US))
        self.count += 1
        return builder(Ctx(self.world, renderer, now, event_type))

    def oversize(self, event_type: str = "message.new", kilobytes: int = 300,
                 dialect: str | None = None, overrides: dict[str, Any] | None = None) -> Event:
        """A valid event whose compact UTF-8 JSON is exactly `kilobytes` × 1024 bytes.

        Text is realistic multi-locale text; bytes (not characters) are counted, the way SQS
        measures a message body."""
        dialect = dialect or self.dialect
        event = self.make(event_type, overrides, dialect)
        fill_to_size(event, kilobytes * 1024, self.world.content, dialect)
        self._validate(event, event_type, dialect)
        return event

    def _validate(self, event: Event, event_type: str, dialect: str) -> None:
        from ..catalog.registry import get_registry

        get_registry().validate(event, dialect, event_type=event_type)

    @staticmethod
    def _dialect(dialect: str) -> str:
        return check_dialect(dialect)
