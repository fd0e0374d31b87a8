"""Waiting for ledger records: what a test needs once deliveries end after the call that
caused them (a webhook's record reaches the ledger when its attempts end, not when the chat
call answers)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .errors import StreamFailure

POLL_S = 0.02


def wait_for_records(read: Callable[[], tuple[list[dict[str, Any]], dict[str, int]]],
                     count: int, timeout: float, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The matching records once there are at least `count` (polled), else StreamFailure
    saying what the ledger holds."""
    deadline = time.monotonic() + timeout
    while True:
        records, totals = read()
        if len(records) >= count:
            return records
        if time.monotonic() >= deadline:
            break
        time.sleep(POLL_S)
    shown = ", ".join(_shown(k, v) for k, v in filters.items()) or "no filter"
    seen = "; ".join(f"{r['hook_type']} {r['event_type']} {r['status']}" for r in records[-5:])
    raise StreamFailure(
        f"expected at least {count} delivery record(s) matching {shown} within {timeout:g} s, "
        f"found {len(records)}{': ' + seen if seen else ''} (ledger totals: {totals})")


def _shown(name: str, value: Any) -> str:
    if name == "ids" and len(value) > 2:  # a page of UUIDs says less than their number
        return f"ids=[{len(value)} record ids]"
    return f"{name}={value!r}"
