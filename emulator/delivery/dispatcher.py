"""Delivers events to every matching hook and writes one ledger record per (event, hook).

Each sender (one module per hook type) gets, per target, the events that target wants, in
order. Batches are handed out under one lock, so per hook messages arrive in event order;
a sender may answer with a Future (its own worker thread), waited for after the lock is
released so a slow hook does not hold up the next request's other hooks.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from .. import timestamps
from ..app_settings import AppSettings
from .ledger import Ledger
from .records import DeliveryRecord, Outcome, new_record_ids
from .senders import HookTarget, Sender


class Dispatcher:
    def __init__(self, senders: Sequence[Sender], ledger: Ledger):
        self._senders = tuple(senders)
        self._ledger = ledger
        self._lock = threading.Lock()

    def deliver(self, events: Sequence[dict[str, Any]], app: AppSettings) -> list[DeliveryRecord]:
        """Records event-major (per event, hooks in the senders' order), as sent."""
        with self._lock:
            handed_out = self._hand_out(events, app)
            if not any(isinstance(item[3], Future) for item in handed_out):
                return self._record(events, handed_out)  # the ledger in send order
        return self._record(events, handed_out)

    def reset(self) -> None:
        for sender in self._senders:
            sender.reset()

    def close(self) -> None:
        """Stop senders that own threads (webhook workers, SQS batch pools)."""
        for sender in self._senders:
            sender.close()

    def _hand_out(self, events: Sequence[dict[str, Any]], app: AppSettings) -> list[tuple]:
        handed_out = []
        for sender in self._senders:
            for target in sender.targets(app):
                wanted = [i for i, event in enumerate(events) if target.wants(event["type"])]
                if wanted:
                    sent = sender.send(target, [events[i] for i in wanted], app)
                    handed_out.append((sender.hook_type, target, wanted, sent))
        return handed_out

    def _record(self, events: Sequence[dict[str, Any]], handed_out: list[tuple]
                ) -> list[DeliveryRecord]:
        cells = []
        for order, (hook_type, target, wanted, sent) in enumerate(handed_out):
            outcomes: list[Outcome] = sent.result() if isinstance(sent, Future) else sent
            for index, outcome in zip(wanted, outcomes, strict=True):  # one per event
                cells.append((index, order, hook_type, target, outcome))
        if len(handed_out) > 1:
            cells.sort(key=lambda cell: (cell[0], cell[1]))  # event-major
        ids = new_record_ids(len(cells))
        records = [_make(events[index], hook_type, target, outcome, record_id)
                   for (index, _, hook_type, target, outcome), record_id
                   in zip(cells, ids, strict=True)]
        self._ledger.add_many(records)
        return records


def _make(event: dict[str, Any], hook_type: str, target: HookTarget, outcome: Outcome,
          record_id: str) -> DeliveryRecord:
    return DeliveryRecord(
        id=record_id, event_type=event["type"], hook_id=target.hook_id,
        hook_type=hook_type, target=target.address, status=outcome.status,
        reason=outcome.reason, size_bytes=outcome.size_bytes, message_id=outcome.message_id,
        attempts=outcome.attempts, at=timestamps.rfc3339_now(),
    )
