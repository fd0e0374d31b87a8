"""Parsed inputs of the chat operations (api/chat_parse.py builds them from request bodies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# User fields Stream keeps as fields; anything else a client writes is custom data.
USER_FIELDS = ("name", "image", "role", "language", "teams")
# Read-only or server-managed: accepted in bodies (SDKs echo them) and ignored.
USER_READ_ONLY = ("id", "created_at", "updated_at", "last_active", "online", "banned",
                  "deactivated_at", "deleted_at", "shadow_banned", "invisible",
                  "blocked_user_ids", "custom", "revoke_tokens_issued_before", "teams_role",
                  "privacy_settings", "push_notifications")


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
