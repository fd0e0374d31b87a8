"""The delivery ledger: one record per (event, hook), bounded, with exact totals.

Records past `max_records` fall off the old end; the per-status totals are plain counters
that never drop, so `events × matching hooks == sum(totals)` holds however long it runs.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

from .records import STATUSES, DeliveryFilter, DeliveryRecord, Status

__all__ = ["STATUSES", "Ledger", "Status"]


class Ledger:
    def __init__(self, max_records: int = 100_000):
        self._records: deque[DeliveryRecord] = deque(maxlen=max_records)
        self._totals = dict.fromkeys(Status, 0)
        self._lock = threading.Lock()

    def add_many(self, records: Iterable[DeliveryRecord]) -> None:
        with self._lock:
            for record in records:
                self._records.append(record)
                self._totals[record.status] += 1

    def totals(self) -> dict[str, int]:
        with self._lock:
            return {status.value: n for status, n in self._totals.items()}

    def query(self, filters: DeliveryFilter | None = None) -> list[DeliveryRecord]:
        """Matching records, oldest first; `filters.limit` keeps the newest ones."""
        filters = filters or DeliveryFilter()
        with self._lock:
            snapshot = list(self._records)
        if filters.ids is not None:  # a few ids in ~100k records: the set test alone first
            snapshot = [r for r in snapshot if r.id in filters.ids]
        wanted = [r for r in snapshot if filters.matches(r)]
        return wanted[-filters.limit:] if filters.limit else wanted

    def reset(self) -> None:
        with self._lock:
            self._records.clear()
            self._totals = dict.fromkeys(Status, 0)
