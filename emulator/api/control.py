"""The emulator's control API under /_emulator (DESIGN.md §1, Control API)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request, url_for

from .. import __version__
from ..backend import MAX_TRIGGER_COUNT
from ..catalog.registry import get_registry
from ..config import DIALECTS
from ..delivery.ledger import STATUSES
from ..errors import InputError
from ..fields import json_type
from .common import backend, json_body, require_server_auth, with_duration
from .openapi import build_document

control = Blueprint("control", __name__)
# Answered without auth: liveness, and the API description a client needs before it has keys.
PUBLIC_ENDPOINTS = frozenset({"control.health", "control.openapi"})


# Operation names for error messages, in Stream's `<Operation> failed with error: "…"` form.
_OPERATIONS = {
    "events": "TriggerEvents", "deliveries": "ListDeliveries", "reset": "Reset",
    "faults": "Faults", "event_types": "ListEventTypes", "schema": "GetEventSchema",
    "wire": "WireOptions",
}


@control.before_request
def _guard() -> None:
    view = request.endpoint.split(".")[-1] if request.endpoint else ""
    g.operation = _OPERATIONS.get(view)
    if request.endpoint not in PUBLIC_ENDPOINTS:
        require_server_auth()


@control.get("/health")
def health():
    b = backend()
    return {
        "status": "ok",
        "version": __version__,
        "sqs_endpoint": b.engine.endpoint_url,
        "region": b.settings.region,
    }


@control.get("/openapi.json")
def openapi():
    return build_document()


@control.post("/events")
def events():
    body = json_body()
    if not isinstance(body, dict):
        raise InputError(f"request body must be a JSON object, got {json_type(body)}")
    dialect = _optional(body, "dialect", str)
    if dialect is not None and dialect not in DIALECTS:
        raise InputError(f"dialect must be one of {list(DIALECTS)}, got {dialect!r}")
    if "event" in body:
        if not isinstance(body["event"], dict):
            raise InputError(f"event must be an object, got {json_type(body['event'])}")
        # `type` names the schema when the payload's own type does not (custom events).
        sent, records = backend().deliver(
            body["event"], dialect, _optional(body, "type", str)
        )
    else:
        event_type = _optional(body, "type", str)
        if not event_type:
            raise InputError('either "type" (an event type) or "event" (a payload) is required')
        count = _optional(body, "count", int)
        count = 1 if count is None else count
        if not 1 <= count <= MAX_TRIGGER_COUNT:
            raise InputError(f"count must be between 1 and {MAX_TRIGGER_COUNT}, got {count}")
        sent, records = backend().trigger(
            event_type, count=count, seed=_optional(body, "seed", int),
            overrides=_optional(body, "overrides", dict), dialect=dialect,
        )
    return with_duration({"events": sent, "deliveries": records}), 201


@control.get("/deliveries")
def deliveries():
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        raise InputError(f"status must be one of {list(STATUSES)}, got {status!r}")
    limit = _positive_int("limit", request.args.get("limit"))
    ledger = backend().ledger
    records = ledger.query(
        event_type=request.args.get("type"), status=status,
        hook_id=request.args.get("hook_id"), target=request.args.get("target"),
        limit=limit,
    )
    return with_duration({"deliveries": records, "totals": ledger.totals()})


@control.post("/reset")
def reset():
    body = json_body()
    if not isinstance(body, dict):
        raise InputError(f"request body must be a JSON object, got {json_type(body)}")
    backend().reset(sqs=bool(_optional(body, "sqs", bool)))
    return with_duration({})


@control.route("/faults", methods=["GET", "POST", "DELETE"])
def faults():
    injector = backend().dispatcher.faults
    if request.method == "POST":
        injector.set(json_body())
    elif request.method == "DELETE":
        injector.clear()
    return with_duration(injector.wire())


@control.route("/wire", methods=["GET", "POST"])
def wire():
    """The body form and default dialect (stream_wire_variant switches them per test)."""
    if request.method == "POST":
        body = json_body()
        if not isinstance(body, dict):
            raise InputError(f"request body must be a JSON object, got {json_type(body)}")
        unknown = sorted(set(body) - {"sqs_body_base64", "dialect"})
        if unknown:
            raise InputError(f"unknown field {unknown[0]!r}: expected sqs_body_base64, dialect")
        dialect = _optional(body, "dialect", str)
        if dialect is not None and dialect not in DIALECTS:
            raise InputError(f"dialect must be one of {list(DIALECTS)}, got {dialect!r}")
        options = backend().set_wire_options(_optional(body, "sqs_body_base64", bool), dialect)
    else:
        options = backend().wire_options()
    return with_duration(options.to_wire())


@control.get("/event-types")
def event_types():
    return with_duration({"event_types": [
        {"type": t, "schema": url_for("control.schema", event_type=t, _external=True)}
        for t in get_registry().types()
    ]})


@control.get("/schemas/<path:event_type>.json")
def schema(event_type: str):
    """Self-contained (all `$ref`s bundled) so a client can use it without our files."""
    dialect = request.args.get("dialect", backend().settings.dialect)
    if dialect not in DIALECTS:
        raise InputError(f"dialect must be one of {list(DIALECTS)}, got {dialect!r}")
    return get_registry().bundle(event_type, dialect)


def _positive_int(name: str, text: str | None) -> int | None:
    # isdigit() alone lets "²" through (int() then raises); over 4300 digits int() raises too.
    value = None
    if text is not None and text.isascii() and text.isdigit() and len(text) <= 4000:
        value = int(text)
    if text is not None and not value:
        raise InputError(f"{name} must be a positive integer, got {text[:100]!r}")
    return value


def _optional(body: dict, name: str, kind: type) -> Any:
    value = body.get(name)
    if value is None:
        return None
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise InputError(f"{name} must be {kind.__name__}, got {json_type(value)}")
    return value
