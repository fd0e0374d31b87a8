"""The emulated app's settings: validation and PATCH /app semantics.

`AppSettings` is immutable: a PATCH builds a complete new value or raises, so a rejected
PATCH changes nothing. Field checks are data-driven (`fields.py`) so messages stay uniform.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import timestamps
from .delivery.webhook_urls import check_webhook_url
from .errors import InputError
from .fields import APP_FIELDS, HOOK_FIELDS, check_field, json_type

HOOK_TYPES = ("webhook", "sqs", "sns", "pending_message")
MAX_PENDING_MESSAGE_HOOKS = 2
# Stream documents no limit; these keep a hostile PATCH from bloating every delivery.
MAX_HOOKS = 100
# Set by the server; SDKs echo them back, so they are accepted on write and ignored.
READ_ONLY_HOOK_FIELDS = frozenset({"created_at", "updated_at"})


@dataclass(frozen=True)
class EventHook:
    id: str
    hook_type: str
    created_at: datetime
    updated_at: datetime
    values: Mapping[str, Any] = field(default_factory=dict)  # the settable HOOK_FIELDS

    def get(self, name: str) -> Any:
        return self.values.get(name, HOOK_FIELDS[name].default)

    @property
    def enabled(self) -> bool:
        return bool(self.get("enabled"))

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(self.get("event_types"))

    def to_wire(self, dialect: str) -> dict[str, Any]:
        wire: dict[str, Any] = {"id": self.id, "hook_type": self.hook_type}
        for name, spec in HOOK_FIELDS.items():
            value = self.get(name)
            if spec.always_shown or value not in ("", None, 0, False):
                wire[name] = list(value) if isinstance(value, tuple) else value
        wire["created_at"] = timestamps.encode(self.created_at, dialect)
        wire["updated_at"] = timestamps.encode(self.updated_at, dialect)
        return wire


@dataclass(frozen=True)
class AppSettings:
    values: Mapping[str, Any] = field(default_factory=dict)  # the settable APP_FIELDS
    event_hooks: tuple[EventHook, ...] = ()

    def get(self, name: str) -> Any:
        return self.values.get(name, APP_FIELDS[name].default)

    @property
    def compress_payloads(self) -> bool:
        return bool(self.get("enable_hook_payload_compression"))

    def hook(self, hook_id: str) -> EventHook | None:
        return next((h for h in self.event_hooks if h.id == hook_id), None)

    def patched(self, body: Mapping[str, Any], now: datetime | None = None,
                allow_remote: bool = False) -> AppSettings:
        """Apply PATCH /app fields; raise InputError (changing nothing) when one is invalid.
        `allow_remote`: webhook URLs may name hosts other than loopback."""
        now = now or timestamps.utcnow()
        values = dict(self.values)
        for name, raw in body.items():
            if name in APP_FIELDS and raw is not None:  # SDKs send nulls for "unchanged"
                values[name] = check_field(name, raw, APP_FIELDS[name])
        if body.get("webhook_url"):  # the legacy webhook delivers too
            check_webhook_url("webhook_url", values["webhook_url"], allow_remote)
        hooks = self.event_hooks
        if body.get("event_hooks") is not None:
            hooks = self._patched_hooks(
                body["event_hooks"], bool(body.get("explicit_event_hooks_deletion")), now,
                allow_remote,
            )
        return AppSettings(values=values, event_hooks=hooks)

    def _patched_hooks(self, raw: Any, explicit: bool, now: datetime,
                       allow_remote: bool) -> tuple[EventHook, ...]:
        if not isinstance(raw, list):
            raise InputError(f"event_hooks must be an array of objects, got {json_type(raw)}")
        if len(raw) > MAX_HOOKS:
            raise InputError(f"event_hooks may hold at most {MAX_HOOKS} hooks, got {len(raw)}")
        existing = {h.id: h for h in self.event_hooks}
        # Default: the array replaces the whole set. With explicit deletion (JS SDK's
        # `explicit_event_hooks_deletion`), unlisted hooks stay and `delete: true` removes one.
        result: dict[str, EventHook] = dict(existing) if explicit else {}
        for index, item in enumerate(raw):
            path = f"event_hooks[{index}]"
            if not isinstance(item, dict):
                raise InputError(f"{path} must be an object, got {json_type(item)}")
            hook_id = item.get("id") or ""
            if not isinstance(hook_id, str):
                raise InputError(f"{path}.id must be a string, got {json_type(hook_id)}")
            if explicit and item.get("delete") is True:
                result.pop(hook_id, None)
                continue
            hook = build_hook(item, path, existing.get(hook_id), now)
            if hook.hook_type == "webhook":  # pending_message hooks never send a request
                check_webhook_url(f"{path}.webhook_url", hook.get("webhook_url"), allow_remote)
            result[hook.id] = hook
        hooks = tuple(result.values())
        if len(hooks) > MAX_HOOKS:
            raise InputError(f"an app may have at most {MAX_HOOKS} hooks, got {len(hooks)}")
        pending = sum(1 for h in hooks if h.hook_type == "pending_message")
        if pending > MAX_PENDING_MESSAGE_HOOKS:
            raise InputError(
                f"at most {MAX_PENDING_MESSAGE_HOOKS} pending_message hooks are allowed, "
                f"got {pending}"
            )
        return hooks

    def to_wire(self, dialect: str, app_name: str) -> dict[str, Any]:
        wire = dict(READ_ONLY_APP_FIELDS)
        wire["name"] = app_name
        for name in APP_FIELDS:
            value = self.get(name)
            wire[name] = list(value) if isinstance(value, tuple) else value
        wire["event_hooks"] = [h.to_wire(dialect) for h in self.event_hooks]
        return wire


def build_hook(item: dict, path: str, previous: EventHook | None, now: datetime) -> EventHook:
    """Validate one hook object; keep created_at of the hook it updates."""
    values: dict[str, Any] = {}
    for name, raw in item.items():
        if name in HOOK_FIELDS and raw is not None and name not in READ_ONLY_HOOK_FIELDS:
            values[name] = check_field(f"{path}.{name}", raw, HOOK_FIELDS[name])
    hook_type = item.get("hook_type")
    if hook_type not in HOOK_TYPES:
        expected = ", ".join(HOOK_TYPES)
        raise InputError(f"{path}.hook_type must be one of [{expected}], got {hook_type!r}")
    _check_target(hook_type, values, path)
    return EventHook(
        id=previous.id if previous else (item.get("id") or str(uuid.uuid4())),
        hook_type=hook_type,
        created_at=previous.created_at if previous else now,
        updated_at=now,
        values=values,
    )


def _check_target(hook_type: str, values: dict[str, Any], path: str) -> None:
    """What each hook type needs before it can deliver anything."""
    if hook_type in ("webhook", "pending_message"):
        _require(values, ("webhook_url",), path, hook_type)
        if hook_type == "pending_message":
            _require(values, ("timeout_ms",), path, hook_type)
            if values["timeout_ms"] < 0:  # a wait time: negative is meaningless
                raise InputError(
                    f"{path}.timeout_ms must be a positive number of milliseconds, "
                    f"got {values['timeout_ms']}")
        return
    prefix = "sqs" if hook_type == "sqs" else "sns"
    target = "sqs_queue_url" if hook_type == "sqs" else "sns_topic_arn"
    _require(values, (target, f"{prefix}_region"), path, hook_type)
    auth_type = values.setdefault(f"{prefix}_auth_type", "keys")
    needs = {"keys": ("key", "secret"), "role": ("role_arn",)}.get(auth_type, ())
    missing = [f"{prefix}_{n}" for n in needs if not values.get(f"{prefix}_{n}")]
    if missing:
        raise InputError(
            f"{path}.{missing[0]} is required when {prefix}_auth_type is \"{auth_type}\""
        )


def _require(values: dict[str, Any], names: tuple[str, ...], path: str, hook_type: str) -> None:
    for name in names:
        if not values.get(name):
            raise InputError(f"{path}.{name} is required for a {hook_type} hook")


# Fields GET /app must always carry (AppResponseFields' required list) that PATCH cannot
# change in the emulator; plausible values for a fresh app.
READ_ONLY_APP_FIELDS: dict[str, Any] = {
    "id": 1,
    "organization": "stream-sqs-emulator",
    "placement": "us-east",
    "suspended": False,
    "suspended_explanation": "",
    "campaign_enabled": False,
    "use_hook_v2": True,
    "allow_multi_user_devices": True,
    "moderation_llm_configurability_enabled": False,
    "moderation_video_call_moderation_enabled": False,
    "moderation_audio_call_moderation_enabled": False,
    "moderation_keyframe_video_enabled": False,
    "moderation_multitenant_blocklist_enabled": False,
    "member_custom_on_mentioned_users_enabled": False,
    "member_custom_on_typing_events_enabled": False,
    "call_types": {},
    "channel_configs": {},
    "policies": {},
    "push_notifications": {
        "version": "v3",
        "offline_only": False,
        "apn": {"enabled": False, "development": False},
        "firebase": {"enabled": False},
        "huawei": {"enabled": False},
        "xiaomi": {"enabled": False},
        "providers": [],
    },
}
