"""The event types Stream delivers to webhooks, SQS and SNS: the one list everything uses.

``EVENT_TYPES``: every type of either dialect, 77: the keys of the ``WHEvent`` union in
Stream's v2 chat OpenAPI spec (GetStream/protocol, ``v2/chat-serverside-api.json``); the v1
spec's union (``chat-openapi.json``) has 64 of them, and the 13 others (moderation, review
queue, appeals) exist in v2 only. ``event_types(dialect)`` gives one dialect's. The schema
loader checks at load time that ``schemas/events/`` holds exactly one file per entry, so these
tuples and the schema files cannot drift apart.
"""

from __future__ import annotations

# The custom event: the spec keys it as "*", a poor file name, so its schema is custom.json.
CUSTOM_EVENT_TYPE = "*"
CUSTOM_SCHEMA_FILE = "custom.json"

EVENT_TYPES: tuple[str, ...] = (
    "*",
    "campaign.completed",
    "campaign.started",
    "channel.created",
    "channel.deleted",
    "channel.frozen",
    "channel.hidden",
    "channel.max_streak_changed",
    "channel.muted",
    "channel.truncated",
    "channel.unfrozen",
    "channel.unmuted",
    "channel.updated",
    "channel.visible",
    "channel_batch_update.completed",
    "channel_batch_update.started",
    "export.bulk_image_moderation.error",
    "export.bulk_image_moderation.success",
    "export.channels.error",
    "export.channels.success",
    "export.moderation_logs.error",
    "export.moderation_logs.success",
    "export.review_queue.error",
    "export.review_queue.success",
    "export.users.error",
    "export.users.success",
    "flag.updated",
    "member.added",
    "member.removed",
    "member.updated",
    "message.deleted",
    "message.flagged",
    "message.new",
    "message.pending",
    "message.read",
    "message.unblocked",
    "message.undeleted",
    "message.updated",
    "notification.mark_unread",
    "notification.reminder_due",
    "notification.thread_message_new",
    "reaction.deleted",
    "reaction.new",
    "reaction.updated",
    "reminder.created",
    "reminder.deleted",
    "reminder.updated",
    "thread.updated",
    "user.banned",
    "user.deactivated",
    "user.deleted",
    "user.flagged",
    "user.messages.deleted",
    "user.muted",
    "user.reactivated",
    "user.unbanned",
    "user.unmuted",
    "user.unread_message_reminder",
    "user.updated",
    "user_group.created",
    "user_group.deleted",
    "user_group.member_added",
    "user_group.member_removed",
    "user_group.updated",
)

# In the v2 union only: moderation, review queue and appeals (the v1 spec has none of them).
V2_ONLY_EVENT_TYPES: tuple[str, ...] = (
    "appeal.accepted",
    "appeal.created",
    "appeal.rejected",
    "moderation.analysis.failed",
    "moderation.custom_action",
    "moderation.flagged",
    "moderation.image_analysis.complete",
    "moderation.mark_reviewed",
    "moderation.text_analysis.complete",
    "moderation_check.completed",
    "moderation_rule.triggered",
    "review_queue_item.new",
    "review_queue_item.updated",
)
V1_EVENT_TYPES: tuple[str, ...] = EVENT_TYPES
EVENT_TYPES = tuple(sorted(V1_EVENT_TYPES + V2_ONLY_EVENT_TYPES))
_BY_DIALECT = {"v1": V1_EVENT_TYPES, "v2": EVENT_TYPES}
_SETS = {d: frozenset(types) for d, types in _BY_DIALECT.items()}
_KNOWN = frozenset(EVENT_TYPES)


def is_event_type(event_type: object, dialect: str | None = None) -> bool:
    """A Stream webhook type (of the given dialect, when one is given)."""
    known = _KNOWN if dialect is None else _SETS.get(dialect, frozenset())
    return isinstance(event_type, str) and event_type in known


def event_types(dialect: str) -> tuple[str, ...]:
    """The types of one dialect's union, sorted: 64 in v1, 77 in v2."""
    return _BY_DIALECT[dialect]


def dialects_of(event_type: str) -> tuple[str, ...]:
    return tuple(d for d, types in _BY_DIALECT.items() if event_type in types)


def schema_file_name(event_type: str) -> str:
    """File name of the event type's schema under ``schemas/events/``."""
    if event_type not in _KNOWN:
        raise KeyError(event_type)
    return CUSTOM_SCHEMA_FILE if event_type == CUSTOM_EVENT_TYPE else f"{event_type}.json"


def event_type_for_file(file_name: str) -> str:
    """Inverse of schema_file_name (``custom.json`` → ``*``)."""
    if file_name == CUSTOM_SCHEMA_FILE:
        return CUSTOM_EVENT_TYPE
    return file_name.removesuffix(".json")
