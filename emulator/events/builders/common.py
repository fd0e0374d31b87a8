"""What every per-type builder shares: the build context and the common event fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..clock import rfc3339
from ..entities import Channel, Message
from ..render import Renderer
from ..world import MIN_CHANNELS, MIN_USERS, World

Event = dict[str, Any]
Builder = Callable[["Ctx"], Event]
REQUEST_INFO_RATE = 0.8  # most hook events come from a client request


class Ctx:
    """One event's build context; `rng` and `v2` are plain attributes, read many times."""

    __slots__ = ("world", "r", "now", "event_type", "rng", "v2")

    def __init__(self, world: World, r: Renderer, now: int, event_type: str) -> None:
        self.world, self.r, self.now, self.event_type = world, r, now, event_type
        self.rng, self.v2 = world.rng, r.v2


def base(ctx: Ctx) -> Event:
    # The spec requires the event's `custom` map in both dialects. The event's own stamp is
    # new each time: no point in the stamp cache.
    created = ctx.now * 1000 if ctx.v2 else rfc3339.__wrapped__(ctx.now)
    return {"type": ctx.event_type, "created_at": created, "custom": {}}


def with_channel(ctx: Ctx, out: Event, channel: Channel, counts: bool = True) -> Event:
    """The channel's ids; in v2 also its counts, on the types whose spec component has them."""
    out["cid"] = channel.cid
    out["channel_id"] = channel.id
    out["channel_type"] = channel.type
    if ctx.v2 and counts:
        out["channel_member_count"] = len(channel.members)
        out["channel_message_count"] = ctx.world.message_count(channel)
    return out


def channel_obj(ctx: Ctx, channel: Channel) -> Event:
    return ctx.r.channel(channel, ctx.world.message_count(channel))


def with_request_info(ctx: Ctx, out: Event) -> Event:
    # Documented for v1 chat payloads only; the v2 models have no such field.
    if not ctx.v2 and ctx.rng.random() < REQUEST_INFO_RATE:
        out["request_info"] = ctx.world.content.request_info()
    return out


def live_message(ctx: Ctx, top_level: bool = False) -> Message:
    """A live message somewhere in the world; writes one off-stream if none is left."""
    world = ctx.world
    for _ in range(3):
        message = world.message(top_level=top_level)
        if message is not None:
            return message
    channel = ensure_channel(ctx)
    return world.new_message(channel, world.member(channel).user, ctx.now - 1)


def ensure_channel(ctx: Ctx) -> Channel:
    """A live channel; tops the world up (off-stream) when deletions drained it."""
    world = ctx.world
    ensure_users(ctx)
    while len(world.live_channels) < MIN_CHANNELS:
        world.new_channel(ctx.now - 1)
    return world.channel()


def ensure_users(ctx: Ctx) -> None:
    """Top up users deleted away; newcomers join a few channels, as sign-ups would."""
    world = ctx.world
    while len(world.live_users) < MIN_USERS:
        user = world.new_user(ctx.now - 1)
        for channel in world.rng.sample(world.live_channels, min(2, len(world.live_channels))):
            world.add_member(channel, user, ctx.now - 1)


def unread_user(ctx: Ctx, channel: Channel, user_id: str) -> Event:
    """The event's `user` with the unread counters Stream adds for the channel's members."""
    member = channel.members.get(user_id)
    user = dict(ctx.r.user(member.user if member else ctx.world.users[user_id]))  # ours to change
    unread = member.unread if member else 0
    last_read = member.last_read if member and member.last_read else ctx.now
    user.update(channel_unread_count=unread, channel_last_read_at=ctx.r.ts(last_read),
                total_unread_count=unread, unread_channels=1 if unread else 0,
                unread_count=unread)
    return user
