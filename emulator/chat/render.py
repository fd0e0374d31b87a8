"""The generator's renderer, adjusted for state the app wrote: optional names stay absent,
members carry their custom fields, and the API answers' own shapes (channel state, mutes)."""

from __future__ import annotations

from typing import Any

from ..events.entities import Channel, Member, User
from ..events.render import Renderer
from .store import Mute

MESSAGES_PER_CHANNEL_STATE = 25  # Stream's default `messages.limit` on a channel query


class ChatRenderer(Renderer):
    def __init__(self, v2: bool) -> None:
        super().__init__(v2)
        self.dialect = "v2" if v2 else "v1"

    def user(self, u: User) -> dict[str, Any]:
        out = super().user(u)
        if not u.name:  # Stream's `name` is an optional field: absent when never set
            out.pop("name", None)
        return out

    def channel(self, c: Channel, message_count: int | None = None) -> dict[str, Any]:
        if message_count is None:
            message_count = live_count(c)
        out = super().channel(c, message_count)
        if not c.name:
            (out["custom"] if self.v2 else out).pop("name", None)
        return out

    def member(self, m: Member) -> dict[str, Any]:
        out = super().member(m)
        custom = m.custom
        if self.v2:
            out["custom"] = dict(custom)
        else:
            out.update(custom)
        return out

    def channel_state(self, c: Channel, limit: int = MESSAGES_PER_CHANNEL_STATE,
                      ) -> dict[str, Any]:
        """ChannelStateResponse(Fields): what a channel query and query_channels answer."""
        top = [m for m in c.messages if m.parent_id is None][-limit:]
        return {
            "channel": self.channel(c), "members": self.members(c, limit=100),
            "messages": [self.message(m) for m in top],
            "pinned_messages": [self.message(m) for m in top if m.pinned],
            "threads": [], "read": [self.read(m) for m in c.members.values()],
            "watcher_count": 0,
        }

    def read(self, m: Member) -> dict[str, Any]:
        return {"user": self.user(m.user), "unread_messages": m.unread,
                "last_read": self.ts(m.last_read or m.created)}

    def mute(self, mute: Mute, user: User, **target: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"user": self.user(user), "created_at": self.ts(mute.created),
                               "updated_at": self.ts(mute.updated), **target}
        if mute.expires is not None:
            out["expires"] = self.ts(mute.expires)
        return out


def live_count(c: Channel) -> int:
    return sum(1 for m in c.messages if m.deleted is None)
