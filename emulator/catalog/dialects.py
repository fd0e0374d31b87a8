"""The payload dialects and the one check of a dialect name.

`v1`: as in Stream's chat docs (RFC 3339 timestamps, custom data inline); `v2`: as the
getstream SDK's typed models decode (integer Unix-nanosecond timestamps, `custom` maps).
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError

DIALECTS: tuple[str, ...] = ("v1", "v2")


def check_dialect(value: Any, name: str = "dialect",
                  error: type[Exception] = InputError) -> str:
    """`value` when it names a dialect; else `error` saying which names are accepted."""
    if isinstance(value, str) and value in DIALECTS:
        return value
    raise error(dialect_problem(value, name))


def dialect_problem(value: Any, name: str = "dialect") -> str:
    return f"{name} must be one of {', '.join(DIALECTS)}, got {value!r}"
