"""The emulator's control API under /_emulator: trigger, deliveries, reset, faults, schemas."""

from __future__ import annotations

import functools
from typing import Any

from flask import Blueprint, request, url_for

from .. import __version__
from ..backend import MAX_TRIGGER_COUNT, Delivered
from ..catalog.dialects import check_dialect
from ..catalog.registry import get_registry
from ..catalog.types import dialects_of, is_event_type
from ..delivery.faults import ActiveFault
from ..errors import InputError
from ..fields import json_type
from ..gcpause import collector_paused
from .common import backend, json_body, operation, with_duration
from .openapi import build_document
from .parse import (
    delivery_filter,
    json_object,
    optional,
    optional_dialect,
    parse_fault,
    parse_wire,
)

control = Blueprint("control", __name__)
# The control API is the emulator's own, not Stream's: no rate limits.
control_operation = functools.partial(operation, rate_limited=False)


@control.get("/health")
@control_operation(None, auth=False)  # liveness: answered without auth
def health():
    status = backend().status()
    return {
        "status": "ok",
        "version": __version__,
        "sqs_endpoint": status.sqs_endpoint,
        "region": status.region,
    }


@control.get("/openapi.json")
@control_operation(None, auth=False)  # the API description a client needs before it has keys
def openapi():
    return build_document()


@control.post("/events")
@control_operation("TriggerEvents")
def events():
    with collector_paused():  # a batch's ~30,000 short-lived containers (emulator/gcpause.py)
        return _events()


def _events() -> tuple[dict[str, Any], int]:
    body = json_object()
    dialect, echo = optional_dialect(body), _echo(body)  # both checked before any delivery
    if "events" in body:
        # Many payloads of the caller's: all checked before any is delivered.
        delivered = backend().deliver_many(body["events"], dialect=dialect)
    elif "event" in body:
        if not isinstance(body["event"], dict):
            raise InputError(f"event must be an object, got {json_type(body['event'])}")
        # `type` names the schema when the payload's own type does not (custom events).
        delivered = backend().deliver(
            body["event"], dialect=dialect, event_type=optional(body, "type", str)
        )
    else:
        event_type = optional(body, "type", str)
        if not event_type:
            raise InputError('either "type" (an event type) or "event" (a payload) is required')
        count = optional(body, "count", int)
        count = 1 if count is None else count
        if not 1 <= count <= MAX_TRIGGER_COUNT:
            raise InputError(f"count must be between 1 and {MAX_TRIGGER_COUNT}, got {count}")
        delivered = backend().trigger(
            event_type, count=count, seed=optional(body, "seed", int),
            overrides=optional(body, "overrides", dict), dialect=dialect,
        )
    return with_duration(triggered_body(delivered, echo)), 201


def _echo(body: dict[str, Any]) -> bool:
    """`"echo": false` leaves the events out of the answer (only their delivery records):
    `simulate --url` has them already, and echoing ~3 KB per event back costs both sides."""
    echo = optional(body, "echo", bool)
    return True if echo is None else echo


def triggered_body(delivered: Delivered, echo: bool = True) -> dict[str, Any]:
    """DESIGN §1's answer (without `events` when `echo` is false); `pending` only when a
    webhook was still being tried at the end of the answer's wait (its record reaches the
    ledger, and GET /deliveries, when it ends)."""
    body = {"events": delivered.events} if echo else {}
    body["deliveries"] = [r.to_wire() for r in delivered.records]
    if delivered.pending:
        body["pending"] = [p.to_wire() for p in delivered.pending]
    return body


@control.get("/deliveries")
@control_operation("ListDeliveries")
def deliveries():
    records = backend().deliveries(delivery_filter(request.args))
    return with_duration({"deliveries": [r.to_wire() for r in records],
                          "totals": backend().totals()})


@control.post("/reset")
@control_operation("Reset")
def reset():
    backend().reset(sqs=bool(optional(json_object(), "sqs", bool)))
    return with_duration({})


@control.route("/faults", methods=["GET", "POST", "DELETE"])
@control_operation("Faults")
def faults():
    if request.method == "POST":
        backend().set_fault(parse_fault(json_body()))
    elif request.method == "DELETE":
        backend().clear_faults()
    return with_duration({"sqs": _fault_wire(backend().fault())})


@control.route("/wire", methods=["GET", "POST"])
@control_operation("WireOptions")
def wire():
    """The body form and default dialect (stream_wire_variant switches them per test)."""
    if request.method == "POST":
        base64, dialect = parse_wire(json_object())
        return with_duration(backend().set_wire_options(base64, dialect).to_wire())
    return with_duration(backend().wire_options().to_wire())


@control.get("/event-types")
@control_operation("ListEventTypes")
def event_types():
    return with_duration({"event_types": [
        {"type": t, "schema": url_for("control.schema", event_type=t, _external=True),
         "dialects": list(dialects_of(t))}  # the 13 moderation types are v2's only
        for t in get_registry().types()
    ]})


@control.get("/schemas/<path:event_type>.json")
@control_operation("GetEventSchema")
def schema(event_type: str):
    """Self-contained (all `$ref`s bundled) so a client can use it without our files."""
    default = backend().settings.dialect
    if is_event_type(event_type) and not is_event_type(event_type, default):
        default = dialects_of(event_type)[0]  # a v2-only type: its own dialect's schema
    dialect = check_dialect(request.args.get("dialect", default))
    return get_registry().bundle(event_type, dialect)


def _fault_wire(active: ActiveFault | None) -> dict[str, Any] | None:
    if active is None:
        return None
    fault = active.fault
    return {"mode": fault.mode, "probability": fault.probability,
            "latency_ms": fault.latency_ms, "seconds_left": active.seconds_left}
