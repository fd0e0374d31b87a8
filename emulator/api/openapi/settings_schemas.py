"""Schemas of GET /app answers and PATCH /app bodies, derived from `fields.py`.

Derived rather than written out so a field added to APP_FIELDS / HOOK_FIELDS shows up in
the document without anyone remembering to. v1 timestamps are RFC 3339 strings, v2 ones
integer Unix nanoseconds.
"""

from __future__ import annotations

from typing import Any

from ...app_settings import HOOK_TYPES, MAX_HOOKS, READ_ONLY_APP_FIELDS
from ...catalog.types import EVENT_TYPES
from ...fields import APP_FIELDS, HOOK_FIELDS, FieldSpec
from .components import ref

# What `fields.is_url` accepts: http(s) with a host name; "" clears the field.
URL_PATTERN = r"^[hH][tT][tT][pP][sS]?://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]{1,5})?([/?#].*)?$"
TIMESTAMPS = {
    "v1": {"type": "string", "format": "date-time"},
    "v2": {"type": "integer", "minimum": 0, "description": "Unix nanoseconds"},
}
EVENT_TYPE_LIST = {"type": "array", "items": {"enum": list(EVENT_TYPES)},
                   "maxItems": len(EVENT_TYPES)}


def field_schema(spec: FieldSpec, *, writing: bool) -> dict[str, Any]:
    """JSON Schema of one field; `writing` = in a PATCH body (URLs must then be valid)."""
    kind = spec.kind
    if kind == "url":
        if not writing:
            return {"type": "string"}
        return {"anyOf": [{"const": ""}, {"type": "string", "pattern": URL_PATTERN}]}
    if kind == "enum":
        choices = list(spec.choices)
        # Reads also show the unset default ("" for an auth type never written).
        return {"enum": choices if writing else sorted({*choices, spec.default})}
    if kind == "event_types":
        return EVENT_TYPE_LIST
    simple = {"str": "string", "bool": "boolean", "int": "integer", "object": "object"}
    if kind in simple:
        return {"type": simple[kind]}
    return {"type": "array", "items": {"type": "string"}}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    # SDKs send null for "leave unchanged"; the server skips nulls.
    return {"anyOf": [schema, {"type": "null"}]}


def _value_schema(value: Any) -> dict[str, Any]:
    for kind, name in ((bool, "boolean"), (int, "integer"), (str, "string"), (dict, "object")):
        if isinstance(value, kind):
            return {"type": name}
    return {}


def app_schema(dialect: str) -> dict[str, Any]:
    """`app` of GET /app: every field always present (AppResponseFields' required list)."""
    props: dict[str, Any] = {k: _value_schema(v) for k, v in READ_ONLY_APP_FIELDS.items()}
    props["name"] = {"type": "string"}
    props.update({k: field_schema(s, writing=False) for k, s in APP_FIELDS.items()})
    props["event_hooks"] = {"type": "array", "items": ref(f"EventHook{dialect.upper()}")}
    return {"type": "object", "required": list(props), "properties": props,
            "additionalProperties": False}


def hook_schema(dialect: str) -> dict[str, Any]:
    """A stored hook as GET /app shows it: empty optional fields are left out."""
    props: dict[str, Any] = {"id": {"type": "string"}, "hook_type": {"enum": list(HOOK_TYPES)}}
    props.update({k: field_schema(s, writing=False) for k, s in HOOK_FIELDS.items()})
    props["created_at"] = props["updated_at"] = TIMESTAMPS[dialect]
    always = [k for k, s in HOOK_FIELDS.items() if s.always_shown]
    return {"type": "object", "properties": props, "additionalProperties": False,
            "required": ["id", "hook_type", *always, "created_at", "updated_at"]}


def update_app_schema() -> dict[str, Any]:
    """PATCH /app body: every field optional; unknown fields (Go SDK echoes) are ignored."""
    props = {k: _nullable(field_schema(s, writing=True)) for k, s in APP_FIELDS.items()}
    props["event_hooks"] = _nullable({"type": "array", "items": ref("EventHookInput"),
                                      "maxItems": MAX_HOOKS})
    props["explicit_event_hooks_deletion"] = {
        "type": ["boolean", "null"],
        "description": "true: hooks not listed stay; a hook with delete: true is removed."}
    return {"type": "object", "properties": props, "additionalProperties": True}


def hook_input_schema() -> dict[str, Any]:
    """One hook in a PATCH: the fields plus what each hook type needs (anyOf by type)."""
    props: dict[str, Any] = {
        k: _nullable(field_schema(s, writing=True)) for k, s in HOOK_FIELDS.items()}
    props["id"] = {"type": ["string", "null"], "description": "empty or absent: a new hook"}
    props["hook_type"] = {"enum": list(HOOK_TYPES)}
    props["delete"] = {"type": "boolean"}
    return {"type": "object", "required": ["hook_type"], "properties": props,
            "additionalProperties": True, "anyOf": _hook_variants()}


def _hook_variants() -> list[dict[str, Any]]:
    text = {"type": "string", "minLength": 1}
    url = {"type": "string", "pattern": URL_PATTERN}
    variants = [
        _variant("webhook", {"webhook_url": url}),
        _variant("pending_message", {"webhook_url": url,
                                     "timeout_ms": {"type": "integer", "minimum": 1}}),
    ]
    for prefix, target in (("sqs", "sqs_queue_url"), ("sns", "sns_topic_arn")):
        base = {target: url if prefix == "sqs" else text, f"{prefix}_region": text}
        keys = {**base, f"{prefix}_key": text, f"{prefix}_secret": text}
        auth = f"{prefix}_auth_type"
        variants.append(_variant(prefix, {**keys, auth: {"enum": ["keys", None]}}, (auth,)))
        variants.append(_variant(prefix, {**base, auth: {"const": "resource"}}))
        variants.append(_variant(prefix, {**base, auth: {"const": "role"},
                                          f"{prefix}_role_arn": text}))
    return variants


def _variant(hook_type: str, needed: dict[str, Any], optional: tuple[str, ...] = ()) -> dict:
    required = ["hook_type", *(k for k in needed if k not in optional)]
    return {"required": required,
            "properties": {"hook_type": {"const": hook_type}, **needed}}
