"""moto's SQS clock, the same value at a fraction of the cost (installed with the speed-ups).

Every send reads ``moto.sqs.models.unix_time_millis`` twice (``Message.mark_sent``, then the
store's counters), every receive more often. moto's builds two datetimes through a helper
that imports inside the function on each call (~15 µs on this machine). This one reads the
same system clock (``time.time_ns`` floored to microseconds is what ``datetime.now`` reads)
and does moto's arithmetic on the same day/second/microsecond parts, so the float is
bit-identical. While ``datetime.datetime`` is not the real class (freezegun is freezing time)
or a datetime is passed, moto's own function answers. A moto whose clock functions differ
from the ones this mirrors keeps its own clock (``mirrors_moto``): slower, never different.
"""

from __future__ import annotations

import datetime
import hashlib
import inspect
import time

from moto.core import utils as moto_utils

# In a tuple: freezegun replaces module attributes that are the real datetime class.
_REAL_DATETIME = (datetime.datetime,)

# sha256[:16] of the source of the moto functions whose value this mirrors (moto 5.2.5).
EXPECTED_SOURCES = {
    "unix_time_millis": "7a37e1337d02962e",
    "unix_time": "f0576ec9e5f586e5",
    "utcnow": "7b8bb404c4f6dc02",
    "utcfromtimestamp": "434182541f880ef3",
}


def unix_time_millis(dt: datetime.datetime | None = None) -> float:
    """``moto.core.utils.unix_time_millis``: milliseconds since the epoch, UTC, as a float."""
    if dt is not None or datetime.datetime is not _REAL_DATETIME[0]:
        return moto_utils.unix_time_millis(dt)
    return millis(time.time_ns() // 1000)


def millis(micros_since_epoch: int) -> float:
    """moto's arithmetic on the parts of ``timedelta(microseconds=micros_since_epoch)``."""
    seconds, micros = divmod(micros_since_epoch, 1_000_000)
    days, seconds = divmod(seconds, 86_400)
    return ((days * 86400) + (seconds + (micros / 1e6))) * 1000.0


def source_fingerprints() -> dict[str, str]:
    return {
        name: hashlib.sha256(inspect.getsource(getattr(moto_utils, name)).encode()).hexdigest()[:16]
        for name in EXPECTED_SOURCES
    }


def mirrors_moto() -> bool:
    """Whether moto's clock functions are the ones this mirrors (install.py asks first)."""
    return source_fingerprints() == EXPECTED_SOURCES
