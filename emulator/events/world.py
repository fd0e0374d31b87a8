"""A seeded world of users, channels, members, messages and reactions that events act on.

Every choice comes from one `random.Random`, and containers are lists or insertion-ordered
dicts (never sets), so the same seed gives the same world in any process whatever
PYTHONHASHSEED is. Counts (reply_count, member_count, reactions) are kept in step with the
entities so that payloads agree with the world.
"""

from __future__ import annotations

import random

from .clock import DAY_US, US
from .content import Content
from .entities import Channel, Member, Message, Reaction, Reminder, ReviewItem, User, UserGroup
from .pools import CHANNEL_TYPES, REACTION_TYPES, ROLES, TEAMS, Pools

INITIAL_USERS = 24
INITIAL_CHANNELS = 6
MIN_USERS = 16
MIN_CHANNELS = 3
MAX_MESSAGES_PER_CHANNEL = 200  # older ones leave the world, so long simulations stay bounded


class World:
    def __init__(self, rng: random.Random, pools: Pools, now_us: int,
                 users: int = INITIAL_USERS, channels: int = INITIAL_CHANNELS,
                 max_channels: int | None = None) -> None:
        self.rng = rng
        # Past this many live channels the quietest leaves the world (None: never; the app's
        # world keeps what the app made); the simulator bounds its own world this way.
        self.max_channels = max_channels
        self.pools = pools
        self.content = Content(rng, pools, self.uid)
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, Message] = {}
        # Live (not deleted) entities, kept in step so picking one costs O(1).
        self.live_users: list[User] = []
        self.live_channels: list[Channel] = []
        self.counters: dict[str, int] = {}  # e.g. total flags / bans per target
        self.reminders: dict[str, Reminder] = {}  # "user id/message id" → reminder
        self.channel_mutes: dict[str, int] = {}  # "user id/cid" → muted at
        self.user_mutes: dict[str, int] = {}  # "user id/target id" → muted at
        self.bans: dict[str, int] = {}  # "user id/cid or *" → banned at
        self.groups: dict[str, UserGroup] = {}
        self.review_items: dict[str, ReviewItem] = {}  # id → item, oldest first (bounded)
        self._populate(now_us, users, channels)

    # ids -----------------------------------------------------------------
    def uid(self) -> str:
        """A UUID-4-shaped id drawn from the seeded RNG (uuid4() would not be reproducible)."""
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"

    # creation ------------------------------------------------------------
    def _populate(self, now: int, users: int, channels: int) -> None:
        rng = self.rng
        for _ in range(users):
            self.new_user(now - rng.randint(30, 400) * DAY_US - rng.randrange(DAY_US))
        for _ in range(channels):
            channel = self.new_channel(now - rng.randint(5, 30) * DAY_US - rng.randrange(DAY_US))
            t = channel.created
            for _ in range(rng.randint(3, 10)):
                t += rng.randint(60, 3 * 3600) * US
                self._seed_message(channel, min(t, now - US))

    def _seed_message(self, channel: Channel, t: int) -> None:
        author = self.member(channel).user
        parents = [m for m in channel.messages[-5:] if m.parent_id is None and not m.deleted]
        parent = parents[-1] if parents and self.rng.random() < 0.3 else None
        message = self.new_message(channel, author, t, parent)
        if self.rng.random() < 0.4:
            self.add_reaction(message, self.member(channel).user, t + US)

    def new_user(self, t: int) -> User:
        rng, p = self.rng, self.pools
        person = rng.choice(p.people)
        user = User(
            id=f"{person.slug}-{self.uid()}", name=f"{person.first} {person.last}",
            image=rng.choice(p.image_urls) if rng.random() < 0.7 else None,
            language=person.language, role=rng.choice(ROLES), created=t,
            updated=t + rng.randint(0, 10**6), online=rng.random() < 0.3,
        )
        user.last_active = user.updated + rng.randint(0, 30 * DAY_US)
        if rng.random() < 0.15:
            user.teams = [rng.choice(TEAMS)]
        if rng.random() < 0.3:
            user.custom = {"country": rng.choice(p.countries)}
        self.users[user.id] = user
        self.live_users.append(user)
        return user

    def new_channel(self, t: int, creator: User | None = None) -> Channel:
        rng = self.rng
        creator = creator or self.user()
        word = self.content.slug_word()
        channel = Channel(
            type=rng.choice(CHANNEL_TYPES), id=f"{word}-{self.uid()}", created_by=creator,
            created=t, updated=t, name=self.content.channel_name(),
            image=rng.choice(self.pools.image_urls) if rng.random() < 0.5 else None,
        )
        self.add_member(channel, creator, t, role="owner")
        others = [u for u in self.live_users if u is not creator]
        for user in rng.sample(others, min(len(others), rng.randint(1, 6))):
            self.add_member(channel, user, t)
        self.channels[channel.cid] = channel
        self.live_channels.append(channel)
        self._retire_quietest()
        return channel

    def _retire_quietest(self) -> None:
        """Channel creation outpaces deletion in a busy app's mix; without a bound a long
        simulation would hold every channel ever made (memory, and scans over them). The
        channel quiet the longest goes silently, as old messages do: no event names it again."""
        while self.max_channels is not None and len(self.live_channels) > self.max_channels:
            quiet = min(self.live_channels, key=lambda c: c.last_message_at or c.created)
            self._drop_channel(quiet)

    def delete_user(self, user: User, t: int) -> None:
        """The user leaves the world (old messages keep their author object)."""
        user.deleted = user.updated = t
        self.live_users.remove(user)
        del self.users[user.id]
        self._forget(user.id)

    def delete_channel(self, channel: Channel, t: int) -> None:
        """The channel and its messages leave the world, so a long run stays bounded."""
        channel.deleted = channel.updated = t
        self._drop_channel(channel)

    def _drop_channel(self, channel: Channel) -> None:
        self.live_channels.remove(channel)
        del self.channels[channel.cid]
        for message in channel.messages:
            self.messages.pop(message.id, None)
        channel.messages = []
        self._forget(channel.cid)
        # Reminders cannot outlive their channel.
        for key in [k for k, r in self.reminders.items() if r.message.cid == channel.cid]:
            del self.reminders[key]

    def _forget(self, key: str) -> None:
        """Drop the mutes and bans that name a deleted user or channel."""
        for table in (self.channel_mutes, self.user_mutes, self.bans):
            for name in [k for k in table if key in k.split("/", 1)]:
                del table[name]

    def add_member(self, channel: Channel, user: User, t: int, role: str = "channel_member",
                   ) -> Member:
        member = Member(user=user, created=t, updated=t, channel_role=role, last_read=t)
        channel.members[user.id] = member
        return member

    def new_message(self, channel: Channel, author: User, t: int,
                    parent: Message | None = None, text: str | None = None) -> Message:
        message = Message(id=self.uid(), cid=channel.cid, user=author, text="", created=t,
                          updated=t, parent_id=parent.id if parent else None,
                          type="reply" if parent else "regular")
        self.content.fill_message(message, channel, text)
        channel.messages.append(message)
        self.messages[message.id] = message
        channel.last_message_at = t
        if parent is not None:
            parent.reply_count += 1
            if author not in parent.participants:
                parent.participants.append(author)
            if parent.user not in parent.participants:
                parent.participants.insert(0, parent.user)
        for member in channel.members.values():
            if member.user is not author:
                member.unread += 1
        self._evict(channel)
        return message

    def _evict(self, channel: Channel) -> None:
        while len(channel.messages) > MAX_MESSAGES_PER_CHANNEL:
            gone = channel.messages.pop(0)
            self.messages.pop(gone.id, None)
            for key in [k for k, r in self.reminders.items() if r.message is gone]:
                del self.reminders[key]

    def add_reaction(self, message: Message, user: User, t: int) -> Reaction:
        taken = [r.type for r in message.reactions if r.user is user]
        free = [k for k in REACTION_TYPES if k not in taken] or list(REACTION_TYPES)
        reaction = Reaction(message_id=message.id, user=user, type=self.rng.choice(free),
                            score=1, created=t, updated=t)
        message.reactions = [r for r in message.reactions
                             if not (r.user is user and r.type == reaction.type)]
        message.reactions.append(reaction)
        message.updated = t
        return reaction

    # picking ---------------------------------------------------------------
    def user(self) -> User:
        return self.rng.choice(self.live_users)

    def channel(self) -> Channel:
        return self.rng.choice(self.live_channels)

    def member(self, channel: Channel) -> Member:
        return self.rng.choice(list(channel.members.values()))

    def message(self, deleted: bool = False, top_level: bool = False) -> Message | None:
        """A live (or, with deleted=True, soft-deleted) message in a live channel; may be None."""
        recent = self.channel().messages[-50:]
        # One comprehension per case: a third of the events pick a message this way.
        if deleted:
            pool = [m for m in recent if m.deleted is not None and not (top_level and m.parent_id)]
        elif top_level:
            pool = [m for m in recent if m.deleted is None and not m.parent_id]
        else:
            pool = [m for m in recent if m.deleted is None]
        return self.rng.choice(pool) if pool else None

    def channel_of(self, message: Message) -> Channel:
        return self.channels[message.cid]

    def bump(self, kind: str, key: str) -> int:
        name = f"{kind}:{key}"
        self.counters[name] = self.counters.get(name, 0) + 1
        return self.counters[name]

    def message_count(self, channel: Channel) -> int:
        return len([m for m in channel.messages if m.deleted is None])
