"""Deliveries: the ledger as a table with filters and totals; trigger an event by hand."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import redirect, render_template, request, url_for

from ...catalog.types import EVENT_TYPES, is_event_type
from ...delivery.records import STATUSES, DeliveryFilter, DeliveryRecord, Status
from ...errors import InputError
from ..common import backend
from .blueprint import dashboard, notify

SHOWN_ROWS = 200  # newest first; the JSON control API has the full ledger
MAX_TRIGGER = 100  # a hand-made burst; `simulate` is the tool for load


@dashboard.get("/deliveries")
def deliveries():
    filters = _filters()
    records = backend().deliveries(DeliveryFilter(
        event_type=filters["event_type"], hook_id=filters["hook_id"], limit=SHOWN_ROWS,
        status=Status(filters["status"]) if filters["status"] else None))
    return render_template(
        "dashboard/deliveries.html",
        records=[r.to_wire() for r in reversed(records)], filters=filters,
        totals=backend().totals(),
        statuses=STATUSES, event_types=EVENT_TYPES, hooks=backend().app.event_hooks,
        shown=SHOWN_ROWS, max_trigger=MAX_TRIGGER,
    )


@dashboard.post("/deliveries/trigger")
def trigger():
    event_type = request.form.get("event_type", "")
    count = _count(request.form.get("count", "1"))
    if event_type not in EVENT_TYPES:
        notify(f"event type must be one of the catalogue's, got {event_type!r}", "error")
    elif count is None:
        notify(f"count must be a whole number from 1 to {MAX_TRIGGER}", "error")
    else:
        try:
            # The moderation types exist in v2 only: sent as v2 whatever the default dialect.
            dialect = None if is_event_type(event_type, backend().settings.dialect) else "v2"
            sent = backend().trigger(event_type, count=count, dialect=dialect)
        except InputError as exc:
            notify(exc.detail, "error")
        else:
            notify(f"Triggered {count} × {event_type}: "
                   f"{_summary(sent.records, len(sent.pending))}.")
    return redirect(url_for("dashboard.deliveries"))


def _filters() -> dict[str, Any]:
    """Known filter values only; an empty or unknown one means 'any'."""
    args = request.args
    status = args.get("status") or None
    return {
        "event_type": args.get("type") or None,
        "status": status if status in STATUSES else None,
        "hook_id": args.get("hook_id") or None,
    }


def _count(raw: str) -> int | None:
    raw = raw.strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_TRIGGER:
        return None
    return int(raw)


def _summary(records: list[DeliveryRecord], pending: int = 0) -> str:
    if not records and not pending:
        return "no enabled hook wants it, nothing delivered"
    counts = Counter(r.status.value for r in records)
    if pending:  # a slow webhook: its records come into the list when its attempts end
        counts["webhook deliveries still being tried"] = pending
    return ", ".join(f"{n} {status}" for status, n in counts.items())
