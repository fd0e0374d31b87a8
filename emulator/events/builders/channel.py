"""Builders of channel.*, member.* and channel_batch_update.* events."""

from __future__ import annotations

from collections.abc import Callable

from ..clock import US
from ..entities import Channel, Member
from .common import (
    Builder,
    Ctx,
    Event,
    base,
    channel_obj,
    ensure_channel,
    ensure_users,
    with_channel,
    with_request_info,
)

MAX_MEMBERS = 12  # member.added prefers channels below this size


def _channel_event(ctx: Ctx, channel: Channel, user: bool = True) -> Event:
    out = with_channel(ctx, base(ctx), channel)
    out["channel"] = channel_obj(ctx, channel)
    if user:
        out["user"] = ctx.r.user(ctx.world.member(channel).user)
    return out


def channel_created(ctx: Ctx) -> Event:
    ensure_users(ctx)
    channel = ctx.world.new_channel(ctx.now)
    out = _channel_event(ctx, channel, user=False)
    out["user"] = ctx.r.user(channel.created_by)
    if not ctx.v2:
        out["members"] = ctx.r.members(channel)
    return with_request_info(ctx, out)


def channel_updated(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    channel.name = ctx.world.content.channel_name()
    channel.updated = ctx.now
    return with_request_info(ctx, _channel_event(ctx, channel))


def channel_deleted(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    out = with_request_info(ctx, _channel_event(ctx, channel, user=False))
    ctx.world.delete_channel(channel, ctx.now)
    out["channel"]["deleted_at"] = ctx.r.ts(ctx.now)
    return out


def _hide_toggle(ctx: Ctx, hidden: bool) -> Event:
    channel = ensure_channel(ctx)
    member = ctx.world.member(channel)
    member.hidden = hidden
    out = _channel_event(ctx, channel, user=False)
    out["user"] = ctx.r.user(member.user)
    return out


def channel_hidden(ctx: Ctx) -> Event:
    out = _hide_toggle(ctx, hidden=True)
    out["clear_history"] = ctx.rng.random() < 0.2
    return with_request_info(ctx, out)


def channel_visible(ctx: Ctx) -> Event:
    return _hide_toggle(ctx, hidden=False)


def _freeze(ctx: Ctx, frozen: bool) -> Event:
    channel = ensure_channel(ctx)
    channel.frozen = frozen
    channel.updated = ctx.now
    return with_channel(ctx, base(ctx), channel, counts=False)


def channel_truncated(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    world = ctx.world
    gone = {m.id for m in channel.messages}  # membership tests only, never iterated
    for message in channel.messages:
        world.messages.pop(message.id, None)
    for key in [k for k, r in world.reminders.items() if r.message.id in gone]:
        del world.reminders[key]
    channel.messages = []
    channel.truncated_at = channel.updated = ctx.now
    for member in channel.members.values():
        member.unread = 0
    return _channel_event(ctx, channel)


def _mute_event(ctx: Ctx, channel: Channel, member: Member, created: int) -> Event:
    out = base(ctx)
    mute = {"user": ctx.r.user(member.user), "channel": channel_obj(ctx, channel),
            "created_at": ctx.r.ts(created), "updated_at": ctx.r.ts(ctx.now)}
    out.update(user=ctx.r.user(member.user), mute=mute)
    return out


def _mute(ctx: Ctx, channel: Channel, member: Member, t: int) -> str:
    member.notifications_muted = True
    key = f"{member.user.id}/{channel.cid}"
    ctx.world.channel_mutes[key] = t
    return key


def channel_muted(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    member = ctx.world.member(channel)
    _mute(ctx, channel, member, ctx.now)
    return _mute_event(ctx, channel, member, ctx.now)


def _mute_alive(ctx: Ctx, key: str) -> bool:
    user_id, cid = key.split("/", 1)
    channel = ctx.world.channels.get(cid)
    return channel is not None and channel.deleted is None and user_id in channel.members


def channel_unmuted(ctx: Ctx) -> Event:
    mutes = ctx.world.channel_mutes
    live = [k for k in mutes if _mute_alive(ctx, k)]
    if live:
        key = ctx.rng.choice(live)
    else:  # nothing muted: mute one off-stream first
        channel = ensure_channel(ctx)
        key = _mute(ctx, channel, ctx.world.member(channel), ctx.now - US)
    user_id, cid = key.split("/", 1)
    channel = ctx.world.channels[cid]
    member = channel.members[user_id]
    member.notifications_muted = False
    return _mute_event(ctx, channel, member, mutes.pop(key))


def _join(ctx: Ctx, channel: Channel, t: int) -> Member:
    world = ctx.world
    outsiders = [u for u in world.live_users if u.id not in channel.members]
    user = ctx.rng.choice(outsiders) if outsiders else world.new_user(t - US)
    return world.add_member(channel, user, t)


def _channel_where(ctx: Ctx, fits: Callable[[Channel], bool]) -> Channel:
    """A live channel that fits, else any: keeps channel sizes from drifting to extremes."""
    ensure_channel(ctx)
    fitting = [c for c in ctx.world.live_channels if fits(c)]
    return ctx.rng.choice(fitting) if fitting else ctx.world.channel()


def member_added(ctx: Ctx) -> Event:
    channel = _channel_where(ctx, lambda c: len(c.members) < MAX_MEMBERS)
    member = _join(ctx, channel, ctx.now)
    member.invited = ctx.rng.random() < 0.1
    return _member_event(ctx, channel, member)


def _member_event(ctx: Ctx, channel: Channel, member: Member) -> Event:
    out = with_channel(ctx, base(ctx), channel)
    out["member"] = ctx.r.member(member)
    out["user"] = ctx.r.user(member.user)
    out["channel"] = channel_obj(ctx, channel)
    return with_request_info(ctx, out)


def member_updated(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    member = ctx.world.member(channel)
    if member.channel_role != "owner":
        member.channel_role = ctx.rng.choice(("channel_member", "channel_moderator"))
    member.notifications_muted = ctx.rng.random() < 0.2
    member.updated = ctx.now
    return _member_event(ctx, channel, member)


def member_removed(ctx: Ctx) -> Event:
    channel = _channel_where(ctx, lambda c: len(c.members) > 2)
    if len(channel.members) < 2:  # never empty a channel: someone joins off-stream first
        _join(ctx, channel, ctx.now - US)
    # At most one owner exists, so with two members there is always someone removable.
    removable = [m for m in channel.members.values() if m.channel_role != "owner"]
    member = ctx.rng.choice(removable)
    del channel.members[member.user.id]
    # The spec requires `member` on member.removed (the v1 docs example has none).
    return _member_event(ctx, channel, member)


def _batch(ctx: Ctx, done: bool) -> Event:
    rng, world = ctx.rng, ctx.world
    out = base(ctx)
    cids = [c.cid for c in world.live_channels]
    failed = []
    if done and rng.random() < 0.2:
        failed = [{"reason": "channel not found", "cids": [rng.choice(cids)]}]
    start = ctx.now - rng.randint(1, 600) * US
    out.update(operation=rng.choice(("addMembers", "removeMembers", "hide", "archive", "updateData")),
               status="completed" if done else "started", task_id=world.uid(),
               batch_created_at=ctx.r.ts(start - US), finished_at=ctx.r.ts(ctx.now if done else start),
               success_channels_count=len(cids) - len(failed) if done else 0, failed_channels=failed)
    return out


CHANNEL_BUILDERS: dict[str, Builder] = {
    "channel.created": channel_created,
    "channel.updated": channel_updated,
    "channel.deleted": channel_deleted,
    "channel.hidden": channel_hidden,
    "channel.visible": channel_visible,
    "channel.frozen": lambda ctx: _freeze(ctx, True),
    "channel.unfrozen": lambda ctx: _freeze(ctx, False),
    "channel.truncated": channel_truncated,
    "channel.muted": channel_muted,
    "channel.unmuted": channel_unmuted,
    # The spec's MaxStreakChangedEvent (and the SDK model) name no channel field at all.
    "channel.max_streak_changed": base,
    "member.added": member_added,
    "member.updated": member_updated,
    "member.removed": member_removed,
    "channel_batch_update.started": lambda ctx: _batch(ctx, False),
    "channel_batch_update.completed": lambda ctx: _batch(ctx, True),
}
