"""The two timestamp encodings Stream uses: RFC 3339 strings with microseconds on the v1
paths and in documented payloads, integer Unix nanoseconds on /api/v2 (getstream SDK)."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def rfc3339(dt: datetime) -> str:
    """v1 paths and payloads: RFC 3339 with microseconds, e.g. 2020-03-30T07:54:46.295138Z."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unix_ns(dt: datetime) -> int:
    """v2 paths and payloads: integer Unix nanoseconds (what getstream's models decode)."""
    delta = dt.astimezone(timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def encode(dt: datetime, dialect: str) -> str | int:
    return unix_ns(dt) if dialect == "v2" else rfc3339(dt)
