"""Count, in O(log n) amortised, how many messages are still "pending" against a time threshold.

moto decides visibility and delay by comparing each message's timestamps with the current time
on every call (``Message.visible``: ``now > visible_at``; ``Message.delayed``:
``now < delayed_until``), and its Approximate* attributes count them over the whole queue. A
message whose threshold has passed stays past it as long as time does not go backwards and its
timestamp does not change, so we keep only the still-pending ones in a min-heap and drop them
as time overtakes them. Every timestamp change is re-registered by the patched code
(``set``), which makes older heap entries stale; stale entries are skipped lazily.

A threshold is a pair ``(key, inclusive)``: the message is pending at time ``t`` iff
``t < key`` or (``inclusive`` and ``t == key``). Lexicographically that is
``(t, 0) < (key, inclusive)``, which is what lets one heap order mixed kinds of thresholds.
"""

from __future__ import annotations

import heapq
import itertools
from typing import Any

Threshold = tuple[float, int]


class ThresholdCounter:
    """Messages whose threshold is still ahead of the latest time we were asked about."""

    def __init__(self, now: float) -> None:
        self._heap: list[tuple[float, int, int, Any]] = []
        self._live: dict[Any, int] = {}  # message -> sequence number of its current entry
        self._seq = itertools.count()
        self.last_t = now

    def set(self, msg: Any, threshold: Threshold) -> None:
        """Register ``msg``'s (new) threshold, replacing any earlier one."""
        if threshold <= (self.last_t, 0):
            # Already past at the latest time seen, hence past for every later time.
            self._live.pop(msg, None)
            return
        seq = next(self._seq)
        self._live[msg] = seq
        heapq.heappush(self._heap, (threshold[0], threshold[1], seq, msg))

    def discard(self, msg: Any) -> None:
        self._live.pop(msg, None)  # its heap entry becomes stale and is dropped lazily

    def count(self, t: float) -> int:
        """How many registered messages are pending at ``t`` (``t`` must not go backwards)."""
        self.advance(t)
        return len(self._live)

    def advance(self, t: float) -> None:
        heap, live = self._heap, self._live
        while heap and (heap[0][0], heap[0][1]) <= (t, 0):
            _, _, seq, msg = heapq.heappop(heap)
            if live.get(msg) == seq:
                del live[msg]
        self.last_t = max(self.last_t, t)
        if len(heap) > 64 and len(heap) > 4 * len(live):
            self._compact()

    def _compact(self) -> None:
        # Many stale entries (re-registered or removed messages): rebuild from live ones only.
        self._heap = [e for e in self._heap if self._live.get(e[3]) == e[2]]
        heapq.heapify(self._heap)

    def clear(self, now: float) -> None:
        self.__init__(now)  # type: ignore[misc]
