"""The mutable entities of the generator's world (timestamps in integer microseconds)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False, slots=True)
class User:
    id: str
    name: str
    image: str | None
    language: str
    role: str
    created: int
    updated: int
    last_active: int | None = None
    online: bool = False
    banned: bool = False
    shadow_banned: bool = False
    deactivated: int | None = None
    deleted: int | None = None
    teams: list[str] = field(default_factory=list)
    custom: dict[str, Any] = field(default_factory=dict)
    teams_role: dict[str, str] = field(default_factory=dict)  # team → role (multi-tenancy)
    privacy_settings: dict[str, Any] | None = None
    # Rendered form per dialect with the state it was rendered from (render.Renderer.user).
    rendered: dict[bool, tuple[tuple, dict[str, Any]]] = field(default_factory=dict, repr=False)


@dataclass(eq=False, slots=True)
class Member:
    user: User
    created: int
    updated: int
    channel_role: str = "channel_member"
    banned: bool = False
    shadow_banned: bool = False
    notifications_muted: bool = False
    hidden: bool = False
    last_read: int | None = None
    unread: int = 0
    invited: bool = False
    custom: dict[str, Any] = field(default_factory=dict)  # set by the app (member partial update)
    # Rendered form per dialect with the state it was rendered from (Renderer.member, shared).
    rendered: dict[bool, tuple[tuple, dict[str, Any]]] = field(default_factory=dict, repr=False)


@dataclass(eq=False, slots=True)
class Reaction:
    message_id: str
    user: User
    type: str
    score: int
    created: int
    updated: int
    rendered: dict[bool, tuple[tuple, dict[str, Any]]] = field(default_factory=dict, repr=False)


@dataclass(eq=False, slots=True)
class Message:
    id: str
    cid: str
    user: User
    text: str
    created: int
    updated: int
    parent_id: str | None = None
    type: str = "regular"
    deleted: int | None = None
    text_updated: int | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    mentioned: list[User] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    reply_count: int = 0
    deleted_reply_count: int = 0
    participants: list[User] = field(default_factory=list)
    pinned: bool = False
    custom: dict[str, Any] = field(default_factory=dict)
    silent: bool = False
    restricted_visibility: list[str] = field(default_factory=list)
    shadowed: bool = False  # sent by a shadow-banned user (app-wide or in its channel)
    pinned_at: int | None = None
    pinned_by: User | None = None
    pin_expires: int | None = None
    pin_changed: bool = False  # pinned or unpinned by a call: the pin fields are rendered


@dataclass(eq=False, slots=True)
class Channel:
    type: str
    id: str
    created_by: User
    created: int
    updated: int
    name: str
    image: str | None = None
    frozen: bool = False
    disabled: bool = False
    members: dict[str, Member] = field(default_factory=dict)  # user id → member, join order
    messages: list[Message] = field(default_factory=list)  # top-level and replies, in order
    last_message_at: int | None = None
    truncated_at: int | None = None
    deleted: int | None = None
    team: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)

    @property
    def cid(self) -> str:
        return f"{self.type}:{self.id}"


@dataclass(eq=False, slots=True)
class Reminder:
    message: Message
    user: User
    created: int
    updated: int
    remind_at: int | None


@dataclass(eq=False, slots=True)
class UserGroup:
    id: str
    name: str
    description: str
    created_by: User
    created: int
    updated: int
    member_ids: list[str] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class ModerationAction:
    """One entry of a review queue item's action log (a flag, a review, a custom action)."""
    id: str
    type: str
    user: User
    reason: str
    created: int


@dataclass(eq=False, slots=True)
class ReviewItem:
    """A flagged message in the moderation review queue."""
    id: str
    message: Message
    created: int
    updated: int
    recommended_action: str
    severity: int
    flags: list[ModerationAction] = field(default_factory=list)  # type "flag", by the flagger
    actions: list[ModerationAction] = field(default_factory=list)  # by moderators
    status: str = "pending"
    reviewed_by: str = ""
    reviewed_at: int | None = None
    appeal: Appeal | None = None


@dataclass(eq=False, slots=True)
class Appeal:
    """The message author's appeal against a moderation decision on a review queue item."""
    id: str
    item: ReviewItem
    reason: str
    created: int
    updated: int
    status: str = "submitted"  # → accepted / rejected
    decision_reason: str = ""
