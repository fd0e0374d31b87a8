"""The event types Stream delivers to webhooks, SQS and SNS: the one list everything uses.

The keys of the ``WHEvent`` union (the webhook event types) in Stream's chat OpenAPI spec
(GetStream/protocol). The schema loader checks at load time that ``schemas/events/`` holds exactly one file
per entry, so this tuple and the schema files cannot drift apart.
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

_KNOWN = frozenset(EVENT_TYPES)


def is_event_type(event_type: object) -> bool:
    return isinstance(event_type, str) and event_type in _KNOWN


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
