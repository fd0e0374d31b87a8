"""Entities → JSON-ready dicts in one dialect.

Both dialects carry every field Stream's OpenAPI spec requires (custom maps, language, teams,
…), so one payload satisfies the spec and the SDK models. v1 adds what Stream's documented chat
payloads show (Stream's example SQS message for message.new): RFC 3339 strings and custom data
inlined next to the `custom` map. v2 uses Unix-ns integers, custom data in `custom` maps only.
"""

from __future__ import annotations

import copy
import functools
import html
import itertools
from typing import Any

from .clock import rfc3339
from .entities import Channel, Member, Message, Reaction, Reminder, User

LATEST_REACTIONS = 10  # Stream returns the 10 most recent reactions with a message


@functools.lru_cache(maxsize=4096)
def to_html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>\n"


def _ns(us: int) -> int:
    return us * 1000


class Renderer:
    """Renders entities for one dialect; `ts` turns microseconds into that dialect's stamp.

    Users and members are rendered once per state and cached on the entity. With `share`,
    payloads hold those cached dicts by reference (no copies: the simulator serialises each
    event right away, and a cached dict is replaced, never changed, when its entity changes);
    without it, each call returns fresh containers the caller may mutate."""

    def __init__(self, v2: bool, share: bool = False) -> None:
        self.v2 = v2
        self.share = share
        self.ts = _ns if v2 else rfc3339

    def user(self, u: User) -> dict[str, Any]:
        state = (u.updated, u.banned, u.online, u.last_active, u.deactivated, u.deleted,
                 u.shadow_banned, u.image, u.name, u.role, u.teams_role, u.privacy_settings)
        hit = u.rendered.get(self.v2)
        if (hit is None or hit[0] != state or hit[1]["teams"] != u.teams
                or hit[1]["custom"] != u.custom):
            hit = u.rendered[self.v2] = (state, self._user(u))
        if self.share:
            return hit[1]
        out = hit[1].copy()
        # nested containers must not be shared between payloads
        out.update(teams=list(u.teams), blocked_user_ids=[], custom=dict(u.custom))
        if u.teams_role or u.privacy_settings is not None:
            out.update(self._user_settings(u))
        return out

    @staticmethod
    def _user_settings(u: User) -> dict[str, Any]:
        """The fields only some users have, as fresh containers."""
        out: dict[str, Any] = {}
        if u.teams_role:
            out["teams_role"] = dict(u.teams_role)
        if u.privacy_settings is not None:
            out["privacy_settings"] = copy.deepcopy(u.privacy_settings)
        return out

    def _user(self, u: User) -> dict[str, Any]:
        ts = self.ts
        out: dict[str, Any] = {"id": u.id, "name": u.name, "role": u.role,
                               "created_at": ts(u.created), "updated_at": ts(u.updated),
                               "banned": u.banned, "online": u.online}
        if u.image:
            out["image"] = u.image
        if u.last_active is not None:
            out["last_active"] = ts(u.last_active)
        if u.deactivated is not None:
            out["deactivated_at"] = ts(u.deactivated)
        if u.deleted is not None:
            out["deleted_at"] = ts(u.deleted)
        if not self.v2:
            out.update(u.custom)  # v1 inlines custom data, as Stream's docs show
        out.update(language=u.language, teams=list(u.teams), blocked_user_ids=[],
                   custom=dict(u.custom), invisible=False, shadow_banned=u.shadow_banned)
        out.update(self._user_settings(u))
        return out

    def member(self, m: Member) -> dict[str, Any]:
        user = self.user(m.user)
        if not self.share:
            return self._member(m, user)
        state = (m.created, m.updated, m.channel_role, m.banned, m.shadow_banned,
                 m.notifications_muted, m.invited)
        hit = m.rendered.get(self.v2)
        if hit is None or hit[0] != state or hit[1]["user"] is not user:
            hit = m.rendered[self.v2] = (state, self._member(m, user))
        return hit[1]

    def _member(self, m: Member, user: dict[str, Any]) -> dict[str, Any]:
        ts = self.ts
        out: dict[str, Any] = {"user_id": m.user.id, "user": user,
                               "created_at": ts(m.created), "updated_at": ts(m.updated),
                               "channel_role": m.channel_role, "banned": m.banned,
                               "shadow_banned": m.shadow_banned,
                               "notifications_muted": m.notifications_muted}
        if m.invited:
            out["invited"] = True
        if m.channel_role == "channel_moderator":
            out["is_moderator"] = True
        out["custom"] = {}
        return out

    def members(self, channel: Channel, limit: int = 50) -> list[dict[str, Any]]:
        # Stream truncates the members of an event to 50.
        return [self.member(m) for m in itertools.islice(channel.members.values(), limit)]

    def reaction(self, r: Reaction) -> dict[str, Any]:
        user = self.user(r.user)
        if not self.share:
            return self._reaction(r, user)
        state = (r.type, r.score, r.created, r.updated)
        hit = r.rendered.get(self.v2)
        if hit is None or hit[0] != state or hit[1]["user"] is not user:
            hit = r.rendered[self.v2] = (state, self._reaction(r, user))
        return hit[1]

    def _reaction(self, r: Reaction, user: dict[str, Any]) -> dict[str, Any]:
        ts = self.ts
        return {"message_id": r.message_id, "user_id": r.user.id, "user": user,
                "type": r.type, "score": r.score,
                "created_at": ts(r.created), "updated_at": ts(r.updated), "custom": {}}

    def _reaction_maps(self, m: Message) -> tuple[dict[str, int], dict[str, int]]:
        counts: dict[str, int] = {}
        scores: dict[str, int] = {}
        for r in m.reactions:
            counts[r.type] = counts.get(r.type, 0) + 1
            scores[r.type] = scores.get(r.type, 0) + r.score
        return counts, scores

    def message(self, m: Message) -> dict[str, Any]:
        ts, v2 = self.ts, self.v2
        counts, scores = self._reaction_maps(m) if m.reactions else ({}, {})
        latest = m.reactions[-LATEST_REACTIONS:][::-1]
        out: dict[str, Any] = {
            "id": m.id, "text": m.text, "html": to_html(m.text) if m.text else "",
            "type": m.type, "user": self.user(m.user), "cid": m.cid,
            "attachments": [dict(a, custom={}) for a in m.attachments],
            "latest_reactions": [self.reaction(r) for r in latest], "own_reactions": [],
            # An object, as the spec wants (Stream's documented v1 example shows null, which
            # our v1 schema still accepts).
            "reaction_counts": counts,
            "reaction_scores": scores, "reply_count": m.reply_count,
            "created_at": ts(m.created), "updated_at": ts(m.updated),
            "mentioned_users": [self.user(u) for u in m.mentioned],
            "silent": m.silent, "pinned": m.pinned, "shadowed": m.shadowed,
        }
        self._message_optional(m, out)
        if not v2 and m.custom:
            out.update(m.custom)
        out.update(deleted_reply_count=m.deleted_reply_count, mentioned_channel=False,
                   mentioned_here=False,
                   restricted_visibility=list(m.restricted_visibility), custom=dict(m.custom))
        return out

    def _message_optional(self, m: Message, out: dict[str, Any]) -> None:
        ts = self.ts
        if m.parent_id is not None:
            out["parent_id"] = m.parent_id
            out["show_in_channel"] = False
        if m.participants:
            out["thread_participants"] = [self.user(u) for u in m.participants]
        if m.deleted is not None:
            out["deleted_at"] = ts(m.deleted)
        if m.text_updated is not None:
            out["message_text_updated_at"] = ts(m.text_updated)
        if m.pin_changed:  # null once unpinned, as Stream answers (pinned_by is left out
            # then: the schema's user object is not nullable)
            out["pinned_at"] = None if m.pinned_at is None else ts(m.pinned_at)
            out["pin_expires"] = None if m.pin_expires is None else ts(m.pin_expires)
        if m.pinned_by is not None:
            out["pinned_by"] = self.user(m.pinned_by)

    def channel(self, c: Channel, message_count: int) -> dict[str, Any]:
        ts = self.ts
        out: dict[str, Any] = {
            "id": c.id, "type": c.type, "cid": c.cid, "created_by": self.user(c.created_by),
            "created_at": ts(c.created), "updated_at": ts(c.updated), "frozen": c.frozen,
            "disabled": c.disabled, "member_count": len(c.members),
            "message_count": message_count,
        }
        for key, us in (("last_message_at", c.last_message_at),
                        ("truncated_at", c.truncated_at), ("deleted_at", c.deleted)):
            if us is not None:
                out[key] = ts(us)
        if c.team:
            out["team"] = c.team
        custom = {"name": c.name, **({"image": c.image} if c.image else {}), **c.custom}
        if not self.v2:
            out.update(custom)
        out["custom"] = custom
        return out

    def thread(self, parent: Message, channel: Channel, now: int) -> dict[str, Any]:
        ts = self.ts
        replies = [m for m in channel.messages if m.parent_id == parent.id]
        last = replies[-1].created if replies else parent.created
        out: dict[str, Any] = {
            "channel_cid": channel.cid, "parent_message_id": parent.id,
            "parent_message": self.message(parent), "created_by_user_id": parent.user.id,
            "created_by": self.user(parent.user), "title": parent.text[:80],
            "reply_count": parent.reply_count, "participant_count": len(parent.participants),
            "active_participant_count": len(parent.participants),
            "created_at": ts(parent.created), "updated_at": ts(now),
            "last_message_at": ts(last), "custom": {},
        }
        return out

    def reminder(self, rem: Reminder) -> dict[str, Any]:
        ts = self.ts
        out: dict[str, Any] = {
            "channel_cid": rem.message.cid, "message_id": rem.message.id, "user_id": rem.user.id,
            "user": self.user(rem.user), "created_at": ts(rem.created),
            "updated_at": ts(rem.updated),
        }
        if rem.remind_at is not None:
            out["remind_at"] = ts(rem.remind_at)
        return out
