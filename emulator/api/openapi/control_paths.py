"""Paths of the emulator's control API under /_emulator: trigger, deliveries, reset, faults,
event types and their schemas, health."""

from __future__ import annotations

from typing import Any

from ...backend import MAX_TRIGGER_COUNT
from ...catalog.batch import MAX_EVENTS_PER_REQUEST
from ...catalog.types import EVENT_TYPES
from ...config import DIALECTS, MAX_RECORD_IDS_PER_QUERY
from ...delivery.faults import MODES
from ...delivery.records import HOOK_TYPES, STATUSES
from .components import (
    AUTH_ERRORS,
    BODY_ERRORS,
    DURATION_ONLY,
    error_refs,
    json_content,
    ok,
    ref,
)

DIALECT = {"enum": [*DIALECTS, None], "description": "payload dialect; null: the server's"}
ECHO = {"type": ["boolean", "null"], "description": (
    "false: the answer leaves `events` out and holds only `deliveries` (what `simulate --url` "
    "sends: it has the payloads already); absent, null or true: the events are echoed")}
INPUT_ERROR = {"400": "InputError"}


def _op(op_id: str, summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "tags": ["Control API"], "summary": summary,
            "responses": responses, **extra}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": props, "additionalProperties": False,
            "required": list(props) if required is None else required}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": False, "content": json_content(schema)}


def _events() -> dict[str, Any]:
    trigger = {"type": "object", "required": ["type"], "properties": {
        "type": {"enum": list(EVENT_TYPES)},
        "count": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_TRIGGER_COUNT},
        "seed": {"type": ["integer", "null"]},
        "overrides": {"type": ["object", "null"],
                      "description": "merged into each payload; must keep it schema-valid"},
        "dialect": DIALECT, "echo": ECHO}}
    deliver = {"type": "object", "required": ["event"], "properties": {
        "event": {"type": "object", "description": "a full, schema-valid payload"},
        "dialect": DIALECT, "echo": ECHO}}
    many = {"type": "object", "required": ["events"], "properties": {
        "events": {"type": "array", "items": {"type": "object"}, "minItems": 1,
                   "maxItems": MAX_EVENTS_PER_REQUEST,
                   "description": (
                       "full, schema-valid payloads, delivered in order; all are checked "
                       "first and one bad payload rejects the request (400, code 4, naming "
                       "events[i] and its JSON path) with nothing delivered; the body limit "
                       "(1 MiB, else 413) applies too")},
        "dialect": DIALECT, "echo": ECHO}}
    pending = _obj({"event_type": {"type": "string"}, "hook_id": {"type": "string"},
                    "hook_type": {"enum": list(HOOK_TYPES)}, "target": {"type": "string"},
                    "record_id": {"type": "string", "format": "uuid", "description": (
                        "the `id` its record will have: GET /_emulator/deliveries?ids=… "
                        "finds exactly it once its attempts end")}})
    answer = _obj({"events": {"type": "array", "items": {"type": "object"},
                              "description": "the payloads delivered; absent with echo false"},
                   "deliveries": {"type": "array", "items": ref("DeliveryRecord")},
                   "pending": {"type": "array", "items": pending, "description": (
                       "only when a webhook delivery was still being tried when the answer's "
                       "wait ended (run --webhook-answer-wait-ms): its record reaches "
                       "GET /_emulator/deliveries when its attempts end")},
                   "duration": {"type": "string"}}, required=["deliveries", "duration"])
    return {"post": _op(
        "TriggerEvents",
        "Generate events (or take one or many) and deliver them to the app's hooks",
        {"201": ok("Events and their delivery records", answer),
         **error_refs(BODY_ERRORS, AUTH_ERRORS)},
        requestBody=_body({"anyOf": [trigger, deliver, many]}))}


def _deliveries() -> dict[str, Any]:
    def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "schema": schema}

    params = [query("type", {"type": "string"}), query("status", {"enum": list(STATUSES)}),
              query("hook_id", {"type": "string"}), query("hook_type", {"enum": list(HOOK_TYPES)}),
              query("target", {"type": "string"}),
              query("limit", {"type": "integer", "minimum": 1}),
              query("ids", {"type": "string", "description": (
                  f"comma-separated record ids (at most {MAX_RECORD_IDS_PER_QUERY}): only "
                  "those records, e.g. the `record_id`s of an answer's `pending`")})]
    answer = _obj({"deliveries": {"type": "array", "items": ref("DeliveryRecord")},
                   "totals": _obj({s: {"type": "integer", "minimum": 0} for s in STATUSES}),
                   "duration": {"type": "string"}})
    return {"get": _op("ListDeliveries", "Delivery records (newest `limit`) and exact totals",
                       {"200": ok("Records and totals", answer),
                        **error_refs(INPUT_ERROR, AUTH_ERRORS)}, parameters=params)}


def _faults() -> dict[str, Any]:
    number = {"type": "number"}
    fault_in = _obj({"sqs": _obj({
        "mode": {"enum": list(MODES)},
        "probability": {**number, "minimum": 0, "maximum": 1},
        "latency_ms": {**number, "minimum": 0, "maximum": 60_000,
                       "description": "the wait before each send; at least 1 for mode latency"},
        "seconds": {"anyOf": [{**number, "exclusiveMinimum": 0}, {"type": "null"}]},
    }, required=["mode"])})
    fault_out = _obj({"mode": {"enum": list(MODES)}, "probability": number,
                      "latency_ms": {"type": "integer"},
                      "seconds_left": {"type": ["number", "null"]}})
    answer = ok("The active SQS fault, or null",
                _obj({"sqs": {"anyOf": [fault_out, {"type": "null"}]},
                      "duration": {"type": "string"}}))
    return {
        "get": _op("GetFaults", "The active SQS fault", {"200": answer, **error_refs(AUTH_ERRORS)}),
        "post": _op("SetFault", "Make SQS misbehave: unavailable, throttle or latency",
                    {"200": answer, **error_refs(BODY_ERRORS, AUTH_ERRORS)},
                    requestBody={"required": True, "content": json_content(fault_in)}),
        "delete": _op("ClearFaults", "SQS behaves again",
                      {"200": answer, **error_refs(AUTH_ERRORS)}),
    }


def _wire() -> dict[str, Any]:
    options = {"sqs_body_base64": {"type": "boolean", "description": "base64 the SQS body "
                                   "even when compression is off"},
               "dialect": {"enum": list(DIALECTS), "description": "of events that name none"}}
    body = {**_obj(options, required=[]), "properties": {
        "sqs_body_base64": {"type": ["boolean", "null"]}, "dialect": DIALECT}}
    answer = ok("The wire options in force until the next reset",
                _obj({**options, "duration": {"type": "string"}}))
    return {
        "get": _op("GetWireOptions", "Body form and default dialect",
                   {"200": answer, **error_refs(AUTH_ERRORS)}),
        "post": _op("SetWireOptions", "Switch body form / default dialect until the next reset",
                    {"200": answer, **error_refs(BODY_ERRORS, AUTH_ERRORS)},
                    requestBody=_body(body)),
    }


def _schema_route() -> dict[str, Any]:
    params = [{"name": "event_type", "in": "path", "required": True,
               "schema": {"enum": list(EVENT_TYPES)}},
              {"name": "dialect", "in": "query", "required": False,
               "schema": {"enum": list(DIALECTS)}}]
    # 404: a path segment no route matches at all (e.g. one holding a newline or a slash
    # before ".json"), as opposed to a well-formed unknown type (400).
    return {"get": _op("GetEventSchema", "The event type's JSON Schema, all $refs bundled",
                       {"200": ok("A JSON Schema (draft 2020-12)", {"type": "object"}),
                        **error_refs(INPUT_ERROR, AUTH_ERRORS, {"404": "NotFound"})},
                       parameters=params)}


def control_paths() -> dict[str, Any]:
    health = _obj({"status": {"const": "ok"}, "version": {"type": "string"},
                   "sqs_endpoint": {"type": "string"}, "region": {"type": "string"}})
    types = _obj({"event_types": {"type": "array", "items": _obj(
        {"type": {"enum": list(EVENT_TYPES)}, "schema": {"type": "string"},
         "dialects": {"type": "array", "items": {"enum": ["v1", "v2"]}, "minItems": 1}})},
        "duration": {"type": "string"}})
    reset_body = {"type": "object", "properties": {"sqs": {"type": ["boolean", "null"]}}}
    return {
        "/_emulator/health": {"get": _op("Health", "Liveness, without auth",
                                         {"200": ok("Up", health)}, security=[])},
        "/_emulator/events": _events(),
        "/_emulator/deliveries": _deliveries(),
        "/_emulator/reset": {"post": _op(
            "Reset", "App settings to the start state, ledger and chat state emptied; sqs: "
            "true also resets moto (every queue, topic and IAM user deleted; 400 elsewhere)",
            {"200": ok("Reset done", DURATION_ONLY), **error_refs(BODY_ERRORS, AUTH_ERRORS)},
            requestBody=_body(reset_body))},
        "/_emulator/faults": _faults(),
        "/_emulator/wire": _wire(),
        "/_emulator/event-types": {"get": _op(
            "ListEventTypes", "Every event type with the URL of its schema",
            {"200": ok("Event types", types), **error_refs(AUTH_ERRORS)})},
        "/_emulator/schemas/{event_type}.json": _schema_route(),
        "/_emulator/openapi.json": {"get": _op(
            "GetOpenAPI", "This document, without auth",
            {"200": ok("OpenAPI 3.1 document", {"type": "object"})}, security=[])},
    }


DELIVERY_RECORD: dict[str, Any] = _obj({
    "id": {"type": "string"},
    "event_type": {"type": "string"},
    "hook_id": {"type": "string"},
    "hook_type": {"enum": list(HOOK_TYPES)},
    "target": {"type": "string"},
    "status": {"enum": list(STATUSES)},
    "reason": {"type": "string", "description": "empty only when delivered"},
    "size_bytes": {"type": "integer", "minimum": 0},
    "message_id": {"type": ["string", "null"]},
    "attempts": {"type": "integer", "minimum": 0, "description": "sends tried; 0: none"},
    "at": {"type": "string", "format": "date-time"},
})
