"""Request parsing and shape checks: JSON bodies and query values → typed values.

Every check raises InputError (400, code 4) naming the field, what was expected and what
came; the backend only ever sees parsed values.
"""

from __future__ import annotations

import re
from typing import Any

from ..catalog.dialects import check_dialect
from ..config import MAX_RECORD_IDS_PER_QUERY
from ..delivery.faults import MAX_LATENCY_MS, MODES, SqsFault
from ..delivery.records import HOOK_TYPES, STATUSES, DeliveryFilter, Status
from ..errors import InputError
from ..fields import json_type
from .common import json_body

_RECORD_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def json_object() -> dict[str, Any]:
    """The request body, which must be a JSON object (empty body = {})."""
    body = json_body()
    if not isinstance(body, dict):
        raise InputError(f"request body must be a JSON object, got {json_type(body)}")
    return body


def optional(body: dict, name: str, kind: type) -> Any:
    """body[name] when present and not null; it must be of `kind` (bool is not an int)."""
    value = body.get(name)
    if value is None:
        return None
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise InputError(f"{name} must be {kind.__name__}, got {json_type(value)}")
    return value


def optional_dialect(body: dict) -> str | None:
    dialect = optional(body, "dialect", str)
    return None if dialect is None else check_dialect(dialect)


def positive_int(name: str, text: str | None) -> int | None:
    # isdigit() alone lets "²" through (int() then raises); over 4300 digits int() raises too.
    value = None
    if text is not None and text.isascii() and text.isdigit() and len(text) <= 4000:
        value = int(text)
    if text is not None and not value:
        raise InputError(f"{name} must be a positive integer, got {text[:100]!r}")
    return value


def delivery_filter(args: Any) -> DeliveryFilter:
    """`GET /_emulator/deliveries` query: type, status, hook_id, hook_type, target, limit,
    ids."""
    status = _choice(args, "status", STATUSES)
    return DeliveryFilter(
        event_type=args.get("type"), status=Status(status) if status else None,
        hook_id=args.get("hook_id"), hook_type=_choice(args, "hook_type", HOOK_TYPES),
        target=args.get("target"), limit=positive_int("limit", args.get("limit")),
        ids=record_ids(args.get("ids")),
    )


def record_ids(text: str | None) -> frozenset[str] | None:
    """`ids`: record ids (as a record's `id` or a pending entry's `record_id`), comma-separated,
    at most MAX_RECORD_IDS_PER_QUERY."""
    if text is None:
        return None
    ids = text.split(",")
    if len(ids) > MAX_RECORD_IDS_PER_QUERY:
        raise InputError(f"ids must name at most {MAX_RECORD_IDS_PER_QUERY} record ids, got "
                         f"{len(ids)}: ask in several requests")
    for item in ids:
        if not _RECORD_ID.fullmatch(item):
            raise InputError("ids must be comma-separated record ids (the UUIDs of a record's "
                             f"`id` or a pending entry's `record_id`), got {item[:100]!r}")
    return frozenset(item.lower() for item in ids)


def _choice(args: Any, name: str, choices: tuple[str, ...]) -> str | None:
    value = args.get(name)
    if value is not None and value not in choices:
        raise InputError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def check_sqs_request(body: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(sqs_url, sqs_key, sqs_secret); null, absent or empty = the stored value."""
    return _strings(body, ("sqs_url", "sqs_key", "sqs_secret"))


def check_sns_request(body: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(sns_topic_arn, sns_key, sns_secret); null, absent or empty = the app's SNS hook's."""
    return _strings(body, ("sns_topic_arn", "sns_key", "sns_secret"))


def _strings(body: dict[str, Any], names: tuple[str, str, str]
             ) -> tuple[str | None, str | None, str | None]:
    values = []
    for name in names:
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{name} must be a string, got {json_type(value)}")
        values.append(value or None)
    return values[0], values[1], values[2]


def parse_fault(body: Any) -> SqsFault:
    """`{"sqs": {"mode", "probability"?, "latency_ms"?, "seconds"?}}`."""
    if not isinstance(body, dict) or not isinstance(body.get("sqs"), dict):
        raise InputError('body must be {"sqs": {"mode": …}}, got ' + json_type(body))
    spec = body["sqs"]
    mode = spec.get("mode")
    if mode not in MODES:
        raise InputError(f"sqs.mode must be one of {list(MODES)}, got {mode!r}")
    probability = _number(spec, "probability", 1.0)
    if not 0.0 <= probability <= 1.0:
        raise InputError(f"sqs.probability must be between 0 and 1, got {probability}")
    latency = _number(spec, "latency_ms", 0)
    if not 0 <= latency <= MAX_LATENCY_MS:
        raise InputError(f"sqs.latency_ms must be between 0 and {MAX_LATENCY_MS}, got {latency}")
    if mode == "latency" and latency < 1:  # 0 ms (or 0.5, truncated to 0) would do nothing
        raise InputError(f"sqs.latency_ms must be at least 1 for mode 'latency' (the wait "
                         f"before each send), got {latency}")
    seconds = spec.get("seconds")
    if seconds is not None:
        seconds = _number(spec, "seconds", 0)
        if seconds <= 0:
            raise InputError(f"sqs.seconds must be positive, got {seconds}")
    return SqsFault(mode, float(probability), int(latency), seconds)


def _number(spec: dict, name: str, default: float) -> float:
    value = spec.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"sqs.{name} must be a number, got {json_type(value)}")
    return value


def parse_wire(body: dict[str, Any]) -> tuple[bool | None, str | None]:
    """`POST /_emulator/wire`: (sqs_body_base64, dialect); absent or null = unchanged."""
    unknown = sorted(set(body) - {"sqs_body_base64", "dialect"})
    if unknown:
        raise InputError(f"unknown field {unknown[0]!r}: expected sqs_body_base64, dialect")
    return optional(body, "sqs_body_base64", bool), optional_dialect(body)
