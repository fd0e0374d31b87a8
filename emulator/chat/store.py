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
from ..events.world import World

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
    expiring_pins: set[str] = field(default_factory=set)  # ids of messages with a pin_expires
    max_messages: int = MAX_STORED_MESSAGES
    evicted: int = 0
    # The generator's world, once built: it shares the three tables above, so generated
    # events act on what the app created and the app's reads see what events did.
    world: World | None = None
    _last_us: int = 0

    def now(self) -> int:
        """Wall-clock µs, strictly increasing: two calls never share a timestamp, so the
        order of stored things is the order of calls."""
        self._last_us = max(time.time_ns() // 1000, self._last_us + 1)
        return self._last_us

    def clear(self) -> None:
        self.users, self.channels, self.messages = {}, {}, {}  # a world keeps the old ones
        for table in (self.channel_mutes, self.user_mutes, self.bans, self.flags,
                      self.expiring_pins):
            table.clear()
        self.evicted, self.world = 0, None

    def expire_pins(self, now: int) -> None:
        """A pin whose `pin_expires` has passed reads as unpinned, as on Stream (no event:
        Stream documents none)."""
        for message_id in list(self.expiring_pins):
            message = self.messages.get(message_id)
            if message is None or message.pin_expires is None or not message.pinned:
                self.expiring_pins.discard(message_id)
            elif message.pin_expires <= now:
                message.pinned, message.pinned_at, message.pinned_by = False, None, None
                message.pin_expires = None
                self.expiring_pins.discard(message_id)

    def attach(self, world: World) -> None:
        """One store from now on: the world's entities and the app's, in shared tables."""
        for user in self.users.values():
            if user.deleted is None and user.id not in world.users:
                world.live_users.append(user)
        for mine, theirs in ((self.users, world.users), (self.channels, world.channels),
                             (self.messages, world.messages)):
            theirs.update(mine)
        self.users, self.channels, self.messages = world.users, world.channels, world.messages
        self.world = world
        for channel in self.channels.values():
            self.refresh(channel)

    # entering and leaving ----------------------------------------------------------------
    def add_user(self, user: User) -> None:
        self.users[user.id] = user
        if self.world is not None:
            self.world.live_users.append(user)

    def remove_user(self, user: User, now: int) -> None:
        """A deleted user leaves the store (old messages keep their author object)."""
        user.deleted = user.updated = now
        if self.world is not None and user in self.world.live_users:
            self.world.delete_user(user, now)  # also forgets the world's mutes and bans
        self.users.pop(user.id, None)

    def add_channel(self, channel: Channel) -> None:
        self.channels[channel.cid] = channel
        self.refresh(channel)

    def refresh(self, channel: Channel) -> None:
        """The generator picks a member of every live channel: only channels with members
        take part in generated events."""
        if self.world is None:
            return
        live = self.world.live_channels
        wanted = bool(channel.members) and self.channels.get(channel.cid) is channel
        if wanted and channel not in live:
            live.append(channel)
        elif not wanted and channel in live:
            live.remove(channel)

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
        if self.world is not None:
            if channel not in self.world.live_channels:
                self.world.live_channels.append(channel)  # delete_channel expects it there
            self.world.delete_channel(channel, channel.deleted or self.now())
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
