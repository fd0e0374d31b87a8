"""The two timestamp encodings Stream uses: RFC 3339 strings with microseconds on the v1
paths and in documented payloads, integer Unix nanoseconds on /api/v2 (getstream SDK)."""

from __future__ import annotations

import functools
import time
from datetime import datetime, timezone

_REAL_DATETIME = (datetime,)  # in a tuple: freezegun replaces module attributes that are it


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def rfc3339(dt: datetime) -> str:
    """v1 paths and payloads: RFC 3339 with microseconds, e.g. 2020-03-30T07:54:46.295138Z."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rfc3339_now() -> str:
    """`rfc3339(utcnow())`, ~5x cheaper (one per delivery record): the same clock, the date
    and time of day formatted once per second. Frozen time (freezegun) goes the long way."""
    if datetime is not _REAL_DATETIME[0]:
        return rfc3339(utcnow())
    return rfc3339_micros(time.time_ns() // 1000)


def rfc3339_micros(micros_since_epoch: int) -> str:
    """`rfc3339` of a time given in microseconds since the epoch (UTC)."""
    seconds, micros = divmod(micros_since_epoch, 1_000_000)
    return f"{_second_text(seconds)}.{micros:06d}Z"


@functools.lru_cache(maxsize=1 << 12)
def _second_text(seconds: int) -> str:
    # Each stamp is new, but a busy run makes many per wall-clock second.
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))


def unix_ns(dt: datetime) -> int:
    """v2 paths and payloads: integer Unix nanoseconds (what getstream's models decode)."""
    delta = dt.astimezone(timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def encode(dt: datetime, dialect: str) -> str | int:
    return unix_ns(dt) if dialect == "v2" else rfc3339(dt)
