"""The delivery ledger: one record per (event, hook), bounded, with exact totals.

Records past `max_records` fall off the old end; the per-status totals are plain counters
that never drop, so `events × matching hooks == sum(totals)` holds however long it runs.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from typing import Any

STATUSES = ("delivered", "dropped_oversize", "denied", "failed")


class Ledger:
    def __init__(self, max_records: int = 100_000):
        self._records: deque[dict[str, Any]] = deque(maxlen=max_records)
        self._totals = dict.fromkeys(STATUSES, 0)
        self._lock = threading.Lock()

    def add_many(self, records: Iterable[dict[str, Any]]) -> None:
        with self._lock:
            for record in records:
                self._records.append(record)
                self._totals[record["status"]] += 1

    def totals(self) -> dict[str, int]:
        with self._lock:
            return dict(self._totals)

    def query(
        self,
        event_type: str | None = None,
        status: str | None = None,
        hook_id: str | None = None,
        target: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Matching records, oldest first; `limit` keeps the newest ones."""
        with self._lock:
            snapshot = list(self._records)
        wanted = [
            r for r in snapshot
            if (event_type is None or r["event_type"] == event_type)
            and (status is None or r["status"] == status)
            and (hook_id is None or r["hook_id"] == hook_id)
            and (target is None or r["target"] == target)
        ]
        return wanted[-limit:] if limit else wanted

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self._totals = dict.fromkeys(STATUSES, 0)
