"""The chat state the app's own calls build: users, channels (members and their read state),
messages, reactions, mutes, bans and flags.

Entities are the generator world's own classes (`events/entities.py`), so the generator can act
on what the app created (see `link.py`). Timestamps are integer microseconds. Everything is in
memory; `MAX_STORED_MESSAGES` bounds the messages kept (the oldest leave first), so a long soak
does not grow without bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..errors import DoesNotExistError
from ..events.entities import Channel, Message, User

MAX_STORED_MESSAGES = 50_000  # oldest evicted first (README: "Chat activity")


@dataclass(slots=True)
class Mute:
    created: int
    updated: int
    expires: int | None = None


@dataclass(slots=True)
class Ban:
    created: int
    created_by: User | None
    reason: str | None
    expires: int | None
    shadow: bool = False


@dataclass
class ChatStore:
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)  # cid → channel
    messages: dict[str, Message] = field(default_factory=dict)  # insertion order = age
    channel_mutes: dict[tuple[str, str], Mute] = field(default_factory=dict)  # (user, cid)
    user_mutes: dict[tuple[str, str], Mute] = field(default_factory=dict)  # (user, target)
    bans: dict[tuple[str, str], Ban] = field(default_factory=dict)  # (user, cid or "*")
    flags: dict[str, list[str]] = field(default_factory=dict)  # target id → flagging users
    max_messages: int = MAX_STORED_MESSAGES
    evicted: int = 0
    _last_us: int = 0

    def now(self) -> int:
        """Wall-clock µs, strictly increasing: two calls never share a timestamp, so the
        order of stored things is the order of calls."""
        self._last_us = max(time.time_ns() // 1000, self._last_us + 1)
        return self._last_us

    def clear(self) -> None:
        for table in (self.users, self.channels, self.messages, self.channel_mutes,
                      self.user_mutes, self.bans, self.flags):
            table.clear()
        self.evicted = 0

    # lookups that answer Stream's 404 (code 16) -----------------------------------------
    def user(self, user_id: str, what: str = "user") -> User:
        user = self.users.get(user_id)
        if user is None or user.deleted is not None:
            raise DoesNotExistError(f"{what} {user_id!r} does not exist")
        return user

    def channel(self, channel_type: str, channel_id: str) -> Channel:
        channel = self.channels.get(f"{channel_type}:{channel_id}")
        if channel is None:
            raise DoesNotExistError(f"channel {channel_type}:{channel_id} does not exist")
        return channel

    def channel_by_cid(self, cid: str) -> Channel:
        channel_type, _, channel_id = cid.partition(":")
        return self.channel(channel_type, channel_id)

    def message(self, message_id: str) -> Message:
        message = self.messages.get(message_id)
        if message is None:
            raise DoesNotExistError(f"message with id {message_id} does not exist")
        return message

    # messages ---------------------------------------------------------------------------
    def add_message(self, channel: Channel, message: Message) -> None:
        channel.messages.append(message)
        self.messages[message.id] = message
        while len(self.messages) > self.max_messages:
            self._evict_oldest()

    def _evict_oldest(self) -> None:
        oldest = self.messages.pop(next(iter(self.messages)))
        channel = self.channels.get(oldest.cid)
        if channel is not None and oldest in channel.messages:
            channel.messages.remove(oldest)
        self.evicted += 1

    def drop_channel(self, channel: Channel) -> None:
        self.channels.pop(channel.cid, None)
        for message in channel.messages:
            self.messages.pop(message.id, None)
        channel.messages = []
        for table in (self.channel_mutes, self.bans):
            for key in [k for k in table if k[1] == channel.cid]:
                del table[key]

    def counts(self) -> dict[str, int]:
        return {"users": len(self.users), "channels": len(self.channels),
                "messages": len(self.messages)}
