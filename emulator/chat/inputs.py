"""Parsed inputs of the chat operations (api/chat_parse.py builds them from request bodies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# User fields Stream keeps as fields; anything else a client writes is custom data.
USER_FIELDS = ("name", "image", "role", "language", "teams", "teams_role",
               "privacy_settings")
# Read-only or server-managed: accepted in bodies (SDKs echo them) and ignored.
USER_READ_ONLY = ("id", "created_at", "updated_at", "last_active", "online", "banned",
                  "deactivated_at", "deleted_at", "shadow_banned", "invisible",
                  "blocked_user_ids", "custom", "revoke_tokens_issued_before",
                  "push_notifications")


@dataclass(frozen=True)
class UserData:
    id: str
    fields: dict[str, Any] = field(default_factory=dict)  # name, image, role, language, teams
    custom: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PartialUpdate:
    id: str  # user id, or "" where the path names the target
    set: dict[str, Any] = field(default_factory=dict)
    unset: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MemberRef:
    user_id: str
    channel_role: str | None = None


@dataclass(frozen=True)
class MemberChanges:
    """The member options of a channel update besides add/remove: invites (members with
    `invited`), moderator promotion and demotion, and channel roles."""

    invites: list[MemberRef] = field(default_factory=list)
    add_moderators: list[str] = field(default_factory=list)
    demote_moderators: list[str] = field(default_factory=list)
    assign_roles: list[MemberRef] = field(default_factory=list)


@dataclass(frozen=True)
class ChannelData:
    """The `data` of a channel query or update: custom fields, members, creator, flags."""

    custom: dict[str, Any] = field(default_factory=dict)
    members: list[MemberRef] = field(default_factory=list)
    created_by_id: str | None = None
    frozen: bool | None = None
    team: str | None = None


@dataclass(frozen=True)
class MessageData:
    user_id: str
    text: str = ""
    id: str | None = None
    parent_id: str | None = None
    show_in_channel: bool = False
    attachments: list[dict[str, Any]] = field(default_factory=list)
    mentioned_users: list[str] = field(default_factory=list)
    pinned: bool = False
    silent: bool = False
    custom: dict[str, Any] = field(default_factory=dict)
    given: frozenset[str] = frozenset()  # which fields the body named (updates)
    restricted_visibility: list[str] = field(default_factory=list)
    system: bool = False  # `type: "system"` (server-side only)
    keep_channel_hidden: bool = False  # send option: members who hid the channel keep it so


@dataclass(frozen=True)
class ReactionData:
    type: str
    user_id: str
    score: int = 1
    custom: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    filter: dict[str, Any] = field(default_factory=dict)
    sort: list[tuple[str, int]] = field(default_factory=list)
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True)
class BanData:
    target_id: str
    by_id: str | None = None
    cid: str | None = None  # None = app-wide
    reason: str | None = None
    timeout_minutes: int | None = None
    shadow: bool = False


# Names the emulator writes itself on each object: custom data may not use them (v1 payloads
# inline custom data next to these fields, so a custom `created_at` would corrupt the object).
MESSAGE_RESERVED = frozenset((
    "id", "cid", "user", "user_id", "type", "html", "created_at", "updated_at", "deleted_at",
    "latest_reactions", "own_reactions", "reaction_counts", "reaction_scores", "reply_count",
    "deleted_reply_count", "thread_participants", "parent_id", "show_in_channel", "shadowed",
    "silent", "message_text_updated_at", "pinned_at", "pinned_by", "pin_expires", "i18n",
    "channel", "restricted_visibility", "mentioned_channel", "mentioned_here", "custom",
    "member", "moderation", "quoted_message", "quoted_message_id", "mml", "command"))
# Message fields of Stream's features the emulator does not serve (polls, reminders, drafts,
# live locations, groups): taken as custom data they would collide with the event schema's
# field of that name and fail the call after its state changed, so a body naming one is refused.
MESSAGE_NOT_EMULATED = ("deleted_for_me", "draft", "image_labels", "mentioned_group_ids",
                        "mentioned_groups", "mentioned_roles", "poll", "poll_id",
                        "reaction_groups", "reminder", "shared_location")
CHANNEL_RESERVED = frozenset((
    "id", "type", "cid", "created_by", "created_by_id", "created_at", "updated_at",
    "deleted_at", "last_message_at", "truncated_at", "truncated_by", "member_count",
    "message_count", "members", "config", "own_capabilities", "hidden", "muted", "custom"))
MEMBER_RESERVED = frozenset((
    "user", "user_id", "created_at", "updated_at", "channel_role", "role", "banned",
    "shadow_banned", "notifications_muted", "invited", "is_moderator", "custom", "deleted_at"))
USER_RESERVED = frozenset(USER_READ_ONLY)
