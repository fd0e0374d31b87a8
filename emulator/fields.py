"""Types of the app-settings and event-hook fields PATCH /app accepts, and their checks.

Each error names the field's path, what was expected and what was received.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from .errors import InputError


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # str | url | bool | int | object | str_list | event_types | enum
    default: Any = ""
    choices: tuple[str, ...] = ()
    always_shown: bool = False  # hooks: shown in GET even when empty


def _s(default: str = "") -> FieldSpec:
    return FieldSpec("str", default)


def _b(default: bool = False) -> FieldSpec:
    return FieldSpec("bool", default)


def _i(default: int = 0) -> FieldSpec:
    return FieldSpec("int", default)


URL = FieldSpec("url")
# SQS/SNS hook auth: `keys` = the hook's key/secret; `resource` = the queue/topic policy allows
# Stream's account (what Stream's docs call role-based); `role` = Stream's account assumes
# `<prefix>_role_arn` (the spec's field; the value is seen in an SDK example, not documented).
AUTH_TYPES = ("keys", "resource", "role")

# Top-level settings: hook related ones plus the plain settings AppResponseFields requires.
APP_FIELDS: dict[str, FieldSpec] = {
    "webhook_url": URL,
    "webhook_events": FieldSpec("event_types", ()),
    "sqs_url": URL,
    "sqs_key": _s(),
    "sqs_secret": _s(),
    "sns_topic_arn": _s(),
    "sns_key": _s(),
    "sns_secret": _s(),
    "enable_hook_payload_compression": _b(),
    "moderation_webhook_url": URL,
    "custom_action_handler_url": URL,
    "disable_auth_checks": _b(),
    "disable_permissions_checks": _b(),
    "permission_version": FieldSpec("enum", "v2", ("v1", "v2")),
    "enforce_unique_usernames": FieldSpec("enum", "no", ("no", "app", "team")),
    "multi_tenant_enabled": _b(),
    "async_url_enrich_enabled": _b(),
    "auto_translation_enabled": _b(),
    "image_moderation_enabled": _b(),
    "moderation_enabled": _b(),
    "guest_user_creation_disabled": _b(),
    "user_response_time_enabled": _b(),
    "feed_audit_logs_enabled": _b(),
    "member_custom_on_messages_enabled": _b(),
    "reminders_interval": _i(3600),
    "cdn_expiration_seconds": _i(1209600),
    "max_aggregated_activities_length": _i(0),
    "user_search_disallowed_roles": FieldSpec("str_list", ()),
    "grants": FieldSpec("object", {}),
    "file_upload_config": FieldSpec("object", {"size_limit": 0}),
    "image_upload_config": FieldSpec("object", {"size_limit": 0}),
}

HOOK_FIELDS: dict[str, FieldSpec] = {
    # Stream's server is written in Go: an omitted bool decodes as false, so a hook sent
    # without "enabled" is stored disabled (README: behaviour switches and guesses).
    "enabled": FieldSpec("bool", False, always_shown=True),
    "event_types": FieldSpec("event_types", (), always_shown=True),
    "product": FieldSpec(
        "enum", "all", ("all", "chat", "video", "moderation", "feeds"), always_shown=True
    ),
    "should_send_custom_events": _b(),
    "webhook_url": URL,
    "sqs_queue_url": URL,
    "sqs_region": _s(),
    "sqs_auth_type": FieldSpec("enum", "", AUTH_TYPES),
    "sqs_key": _s(),
    "sqs_secret": _s(),
    "sqs_role_arn": _s(),
    "sns_topic_arn": _s(),
    "sns_region": _s(),
    "sns_auth_type": FieldSpec("enum", "", AUTH_TYPES),
    "sns_key": _s(),
    "sns_secret": _s(),
    "sns_role_arn": _s(),
    "sns_event_based_message_group_id_enabled": _b(),
    "timeout_ms": _i(),
    "callback": FieldSpec("object", None),
    "failover_config": FieldSpec("object", None),
}

_KIND_NAMES = {
    "str": "a string",
    "url": "a string",
    "enum": "a string",
    "bool": "a boolean",
    "int": "an integer",
    "object": "an object",
    "str_list": "an array of strings",
    "event_types": "an array of strings",
}


def check_field(path: str, value: Any, spec: FieldSpec) -> Any:
    """Return the value to store, or raise InputError naming the path."""
    if not _has_type(value, spec.kind):
        raise InputError(f"{path} must be {_KIND_NAMES[spec.kind]}, got {json_type(value)}")
    if spec.kind == "url" and value and not is_url(value):
        raise InputError(f"{path} must be a valid URL, got {value!r}")
    if spec.kind == "enum" and value not in spec.choices:
        raise InputError(f"{path} must be one of [{' '.join(spec.choices)}], got {value!r}")
    if spec.kind == "event_types":
        check_event_types(path, value)
    if spec.kind in ("str_list", "event_types"):
        return tuple(value)
    return value


def _has_type(value: Any, kind: str) -> bool:
    if kind in ("str", "url", "enum"):
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def is_url(value: str) -> bool:
    try:
        parsed = urlparse(value)
        return parsed.scheme in ("http", "https") and bool(parsed.hostname)
    except ValueError:  # urlparse raises on e.g. "http://[::1" (unbalanced IPv6 bracket)
        return False


def check_event_types(path: str, names: list[str]) -> None:
    from .catalog.types import EVENT_TYPES  # the catalogue is the one source of types

    if len(names) > len(EVENT_TYPES):
        raise InputError(
            f"{path} may list at most {len(EVENT_TYPES)} event types, got {len(names)}"
        )
    for index, name in enumerate(names):
        if name in EVENT_TYPES:
            continue
        close = difflib.get_close_matches(name, EVENT_TYPES, n=3)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise InputError(
            f"{path}[{index}] must be an event type Stream sends, got {name!r}{hint}"
        )


def json_type(value: Any) -> str:
    """The JSON Schema type name of a parsed JSON value (1 is an "integer", 1.5 a "number"),
    the one vocabulary of every error message, Stream API and schema violations alike."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
