"""Delivers events to every matching hook and writes one ledger record per (event, hook).

Each sender (one module per hook type) gets, per target, the events that target wants, in
order. Batches are handed out under one lock, so per hook messages arrive in event order.
A sender may answer with Futures (webhooks: a background worker per hook): their records
reach the ledger when they resolve, and the caller waits for them only as long as it asks
(`wait_s`); what is still being tried then is reported as pending. The id of such a
record is drawn when its event is handed out, so the pending entry names the record to come.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, NamedTuple

from .. import timestamps
from ..app_settings import AppSettings
from .ledger import Ledger
from .records import DeliveryRecord, Outcome, PendingDelivery, new_record_id
from .senders import HookTarget, Sender


class Dispatched(NamedTuple):
    records: list[DeliveryRecord]  # event-major (per event, hooks in the senders' order)
    pending: list[PendingDelivery]  # deliveries whose attempts had not ended within wait_s


# (the records of deliveries that ended, how many more ended after a reset: those the ledger
# dropped, and no record of them comes)
LateRecords = Callable[[list[DeliveryRecord], int], None]


class _Late:
    """Records of one Future: written to the ledger when it resolves, unless a reset came
    in between: they belong to the state before it, so nobody gets them (not the ledger, not
    the caller's answer, not `on_late`, which is told how many ended so). The caller either
    takes them within its wait, or leaves them: then `on_late` (if any) gets them when they
    come."""

    def __init__(self, dispatcher: Dispatcher, cells: list[tuple[int, int, dict, str, Any, str]]):
        self._dispatcher = dispatcher
        self._generation = dispatcher.generation
        self.cells = cells  # (event index, order, event, hook_type, target, record id)
        self.records: list[tuple[int, int, DeliveryRecord]] = []
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._on_late: LateRecords | None = None
        self._left = False

    def __call__(self, future: Future) -> None:
        result = future.result()
        outcomes: list[Outcome] = result if isinstance(result, list) else [result]
        records = [(index, order, _make(event, hook_type, target, outcome, record_id))
                   for (index, order, event, hook_type, target, record_id), outcome
                   in zip(self.cells, outcomes, strict=True)]
        dropped = 0
        if not self._dispatcher.record_late(self._generation, [r for _, _, r in records]):
            records, dropped = [], len(records)  # nobody counts what the ledger dropped
        with self._lock:
            self.records = records
            self._done.set()
            hand_over = self._on_late if self._left else None
        if hand_over is not None:
            hand_over([r for _, _, r in records], dropped)

    def take(self, timeout: float | None, on_late: LateRecords | None) -> bool:
        """True when the records came within `timeout` (they are in `records`); else False,
        and they go to `on_late` when they come: never both."""
        if self._done.wait(timeout):
            return True
        with self._lock:
            if self._done.is_set():
                return True
            self._left, self._on_late = True, on_late
        return False


class Dispatcher:
    def __init__(self, senders: Sequence[Sender], ledger: Ledger):
        self._senders = tuple(senders)
        self._ledger = ledger
        self._lock = threading.Lock()
        # Not self._lock: a Future already resolved runs its callback at once, under it.
        self._late_lock = threading.Lock()
        self.generation = 0  # counts resets: late records of an older one are not kept

    def deliver(self, events: Sequence[dict[str, Any]], app: AppSettings,
                wait_s: float | None = None, on_late: LateRecords | None = None) -> Dispatched:
        """Sends to every matching hook; waits up to `wait_s` seconds (None: until they end,
        0: not at all) for the deliveries that end later (webhooks). Those still pending
        then reach the ledger when they end, and `on_late` (a caller keeping count)."""
        with self._lock:
            cells, late = self._hand_out(events, app)
            cells.sort(key=_event_major)
            records = [cell[2] for cell in cells]
            self._ledger.add_many(records)  # under the lock: the ledger in send order
        if not late:
            return Dispatched(records, [])
        deadline = None if wait_s is None else time.monotonic() + wait_s
        pending = []
        for item in late:
            left = None if deadline is None else max(deadline - time.monotonic(), 0)
            if item.take(left, on_late):
                cells += item.records
            else:
                pending += [PendingDelivery(event["type"], target.hook_id, hook_type,
                                            target.address, record_id)
                            for _, _, event, hook_type, target, record_id in item.cells]
        cells.sort(key=_event_major)
        return Dispatched([cell[2] for cell in cells], pending)

    def record_late(self, generation: int, records: list[DeliveryRecord]) -> bool:
        """Into the ledger, unless a reset came since their events were handed out (False)."""
        with self._late_lock:
            if generation != self.generation:
                return False
            self._ledger.add_many(records)
            return True

    def reset(self) -> None:
        with self._late_lock:
            self.generation += 1
        for sender in self._senders:
            sender.reset()

    def close(self) -> None:
        """Stop senders that own threads (webhook workers, SQS batch pools)."""
        for sender in self._senders:
            sender.close()

    def _hand_out(self, events: Sequence[dict[str, Any]], app: AppSettings
                  ) -> tuple[list[tuple[int, int, DeliveryRecord]], list[_Late]]:
        """Records of the senders that answered at once; a _Late per Future of the others."""
        cells: list[tuple[int, int, DeliveryRecord]] = []
        late: list[_Late] = []
        order = 0
        for sender in self._senders:
            for target in sender.targets(app):
                wanted = [i for i, event in enumerate(events) if target.wants(event["type"])]
                if not wanted:
                    continue
                sent = sender.send(target, [events[i] for i in wanted], app)
                kind = sender.hook_type
                if isinstance(sent, Future):  # one Future for the batch
                    self._later(late, sent, [(i, order, events[i], kind, target,
                                              new_record_id()) for i in wanted])
                    sent = []
                for index, outcome in zip(wanted if sent else [], sent, strict=True):
                    if isinstance(outcome, Future):  # one per event
                        self._later(late, outcome, [(index, order, events[index], kind, target,
                                                     new_record_id())])
                    else:
                        cells.append((index, order, _make(events[index], kind, target, outcome)))
                order += 1
        return cells, late

    def _later(self, late: list[_Late], future: Future, cells: list[tuple]) -> None:
        """Registered while the batches are handed out: records of one hook reach the ledger
        in the order its worker resolves them."""
        late.append(_Late(self, cells))
        future.add_done_callback(late[-1])


def _event_major(cell: tuple[int, int, DeliveryRecord]) -> tuple[int, int]:
    return cell[0], cell[1]  # (event index, hook order)


def _make(event: dict[str, Any], hook_type: str, target: HookTarget,
          outcome: Outcome, record_id: str | None = None) -> DeliveryRecord:
    # Positional (a NamedTuple takes keywords at ~1.7x the cost), in the fields' order:
    # id, event_type, hook_id, hook_type, target, then the outcome's five, then at.
    return DeliveryRecord(
        record_id or new_record_id(), event["type"], target.hook_id, hook_type, target.address,
        *outcome, timestamps.rfc3339_now(),
    )
