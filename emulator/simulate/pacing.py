"""Keeps a requested rate: small batches on a schedule, sleeping whatever time is left.

When the machine is slower than the schedule, batches go out back to back (no sleeping), each
holding every event that is due (up to MAX_BATCH) so that fixed per-batch costs are shared,
and the achieved rate, measured over the whole run, shows how far behind it fell.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TICK_S = 0.02  # one batch per 20 ms: smooth enough for a consumer, cheap enough to keep up
MAX_BATCH = 500  # behind schedule or unpaced: one batch pays the per-send overhead once
KEPT_UP = 0.95  # achieved ≥ 95 % of requested counts as keeping up


@dataclass
class Pacer:
    rate: float  # events per second; 0 = as fast as possible
    events: int | None = None  # stop after this many
    duration: float | None = None  # or after this many seconds
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    sent: int = 0
    start: float = field(default=0.0)
    end: float | None = None

    def __post_init__(self) -> None:
        if self.events is None and self.duration is None:
            raise ValueError("give --events or --duration")
        self.batch_size = max(1, math.ceil(self.rate * TICK_S)) if self.rate else MAX_BATCH
        self.start = self.clock()

    @property
    def target(self) -> int | None:
        """How many events the run should send in all, when that is known."""
        return self.planned(self.rate, self.events, self.duration)

    @staticmethod
    def planned(rate: float, events: int | None, duration: float | None) -> int | None:
        if events is not None:
            return events
        return int(rate * duration) if rate and duration is not None else None

    def next_batch(self) -> int:
        """Size of the next batch, after sleeping until it is due; 0 when the run is over."""
        size = self._due() if self.rate else self.batch_size
        if self.target is not None:
            size = min(size, self.target - self.sent)
        if size <= 0 or self._out_of_time():
            return 0
        return size

    def _due(self) -> int:
        """Sleep until the next batch is due; when already late, take all that is due."""
        behind = int((self.clock() - self.start) * self.rate) - self.sent
        if behind <= 0:
            self._sleep_until(self.start + self.sent / self.rate)
        return min(max(self.batch_size, behind), max(self.batch_size, MAX_BATCH))

    def done(self, count: int) -> None:
        self.sent += count

    def finish(self) -> None:
        """At a steady rate the run lasts sent/rate: wait out the last batch's slot."""
        if self.rate and not self._out_of_time():
            self._sleep_until(self.start + self.sent / self.rate)
        self.end = self.clock()

    def elapsed(self) -> float:
        return (self.end if self.end is not None else self.clock()) - self.start

    def achieved(self) -> float:
        elapsed = self.elapsed()
        if self.rate:  # a batch goes out at the start of its slot: count the whole slot
            elapsed = max(elapsed, self.sent / self.rate)
        return self.sent / elapsed if elapsed > 0 else 0.0

    def kept_up(self) -> bool:
        return not self.rate or self.achieved() >= KEPT_UP * self.rate

    def _out_of_time(self) -> bool:
        return self.duration is not None and self.clock() - self.start >= self.duration

    def _sleep_until(self, when: float) -> None:
        remainder = when - self.clock()
        if remainder > 0:
            self.sleep(remainder)
