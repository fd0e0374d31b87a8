"""Delivers events to every matching hook and writes one ledger record per (event, hook).

Each sender (one module per hook type) gets, per target, the events that target wants, in
order. Batches are handed out under one lock, so per hook messages arrive in event order.
A sender may answer with Futures (webhooks: a background worker per hook): their records
reach the ledger when they resolve, and the caller waits for them only as long as it asks
(`wait_s`); what is still being tried then is reported as pending.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
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


class _Late:
    """Records of one Future: written to the ledger when it resolves (unless a reset came
    in between: they belong to the state before it)."""

    def __init__(self, dispatcher: Dispatcher, cells: list[tuple[int, int, dict, str, Any]]):
        self._dispatcher = dispatcher
        self._generation = dispatcher.generation
        self.cells = cells  # (event index, order, event, hook_type, target)
        self.records: list[tuple[int, int, DeliveryRecord]] = []
        self.done = threading.Event()

    def __call__(self, future: Future) -> None:
        result = future.result()
        outcomes: list[Outcome] = result if isinstance(result, list) else [result]
        self.records = [(index, order, _make(event, hook_type, target, outcome))
                        for (index, order, event, hook_type, target), outcome
                        in zip(self.cells, outcomes, strict=True)]
        self._dispatcher.record_late(self._generation, [r for _, _, r in self.records])
        self.done.set()


class Dispatcher:
    def __init__(self, senders: Sequence[Sender], ledger: Ledger):
        self._senders = tuple(senders)
        self._ledger = ledger
        self._lock = threading.Lock()
        # Not self._lock: a Future already resolved runs its callback at once, under it.
        self._late_lock = threading.Lock()
        self.generation = 0  # counts resets: late records of an older one are not kept

    def deliver(self, events: Sequence[dict[str, Any]], app: AppSettings,
                wait_s: float | None = None) -> Dispatched:
        """Sends to every matching hook; waits up to `wait_s` seconds (None: until they end,
        0: not at all) for the deliveries that end later (webhooks)."""
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
            if item.done.wait(left):
                cells += item.records
            else:
                pending += [PendingDelivery(event["type"], target.hook_id, hook_type,
                                            target.address) for _, _, event, hook_type, target
                            in item.cells]
        cells.sort(key=_event_major)
        return Dispatched([cell[2] for cell in cells], pending)

    def record_late(self, generation: int, records: list[DeliveryRecord]) -> None:
        with self._late_lock:
            if generation == self.generation:
                self._ledger.add_many(records)

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
                    self._later(late, sent, [(i, order, events[i], kind, target) for i in wanted])
                    sent = []
                for index, outcome in zip(wanted if sent else [], sent, strict=True):
                    if isinstance(outcome, Future):  # one per event
                        self._later(late, outcome, [(index, order, events[index], kind, target)])
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
          outcome: Outcome) -> DeliveryRecord:
    return DeliveryRecord(
        id=new_record_id(), event_type=event["type"], hook_id=target.hook_id,
        hook_type=hook_type, target=target.address, status=outcome.status,
        reason=outcome.reason, size_bytes=outcome.size_bytes, message_id=outcome.message_id,
        attempts=outcome.attempts, at=timestamps.rfc3339_now(),
    )
