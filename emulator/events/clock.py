"""Time for generated events: integer microseconds internally, rendered per dialect.

v1 renders RFC 3339 with microseconds and `Z` (as Stream's chat docs show); v2 renders integer
Unix nanoseconds (what the getstream SDK's typed models decode).
"""

from __future__ import annotations

import functools
import time
from datetime import datetime, timezone

from ..timestamps import rfc3339_micros

US = 1_000_000
DAY_US = 86_400 * US


# Microsecond timestamp → `2020-03-30T07:54:46.295138Z`, cached: entity stamps repeat.
rfc3339 = functools.lru_cache(maxsize=1 << 16)(rfc3339_micros)


def to_us(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    delta = moment - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


def stamp(us: int | None, v2: bool) -> str | int | None:
    if us is None:
        return None
    return us * 1000 if v2 else rfc3339(us)


class Clock:
    """Event time: follows the wall clock, or steps from a fixed start for reproducible output.

    The step is drawn from the generator's RNG in both modes so that the rest of the random
    sequence (ids, texts) does not depend on which mode is used.
    """

    def __init__(self, start: datetime | None) -> None:
        self.fixed = start is not None
        self.start_us = to_us(start) if start is not None else time.time_ns() // 1000
        self.now_us = self.start_us

    def tick(self, step_us: int) -> int:
        if self.fixed:
            self.now_us += step_us
        else:
            # Strictly increasing even when two events land in the same microsecond.
            self.now_us = max(time.time_ns() // 1000, self.now_us + 1)
        return self.now_us
