"""Builders of user.* events: bans, mutes, (de)activation, deletion, flags and updates."""

from __future__ import annotations

from ..clock import DAY_US, US
from ..entities import User
from .common import (
    Builder,
    Ctx,
    Event,
    base,
    channel_obj,
    ensure_channel,
    ensure_users,
    with_channel,
)
from .message import message_deleted_offstream


def _user_event(ctx: Ctx, user: User) -> Event:
    out = base(ctx)
    out["user"] = ctx.r.user(user)
    return out


def _staff(ctx: Ctx, target: User) -> User:
    """Who performed a moderation action: an admin or moderator when there is one."""
    live = [u for u in ctx.world.live_users if u is not target]
    staff = [u for u in live if u.role in ("admin", "moderator")]
    return ctx.rng.choice(staff or live)


def _other_user(ctx: Ctx, user: User) -> User:
    ensure_users(ctx)
    return ctx.rng.choice([u for u in ctx.world.live_users if u is not user])


def _ban(ctx: Ctx, t: int) -> str:
    """Ban someone (in one channel, or app-wide a quarter of the time); returns the ban key."""
    channel = ensure_channel(ctx)
    if ctx.rng.random() < 0.25:
        user, scope = ctx.world.user(), "*"
        user.banned = True
    else:
        member = ctx.world.member(channel)
        member.banned, user, scope = True, member.user, channel.cid
    key = f"{user.id}/{scope}"
    ctx.world.bans[key] = t
    return key


def _ban_event(ctx: Ctx, key: str) -> Event:
    user_id, scope = key.split("/", 1)
    user = ctx.world.users[user_id]
    out = _user_event(ctx, user)
    if scope != "*":
        with_channel(ctx, out, ctx.world.channels[scope])
        out["shadow"] = False
    out["created_by"] = ctx.r.user(_staff(ctx, user))
    return out


def user_banned(ctx: Ctx) -> Event:
    key = _ban(ctx, ctx.now)
    out = _ban_event(ctx, key)
    out.update(reason=ctx.world.content.reason(),
               total_bans=ctx.world.bump("bans", key.split("/", 1)[0]))
    if ctx.rng.random() < 0.5:
        out["expiration"] = ctx.r.ts(ctx.now + ctx.rng.randint(1, 30) * DAY_US)
    return out


def user_unbanned(ctx: Ctx) -> Event:
    bans = ctx.world.bans
    live = [k for k in bans if k.endswith("/*") or _ban_channel_alive(ctx, k)]
    key = ctx.rng.choice(live) if live else _ban(ctx, ctx.now - US)
    del bans[key]
    user_id, scope = key.split("/", 1)
    if scope == "*":
        ctx.world.users[user_id].banned = False
    else:
        ctx.world.channels[scope].members[user_id].banned = False
    return _ban_event(ctx, key)


def _ban_channel_alive(ctx: Ctx, key: str) -> bool:
    user_id, cid = key.split("/", 1)
    channel = ctx.world.channels.get(cid)
    return channel is not None and channel.deleted is None and user_id in channel.members


def _deactivation(ctx: Ctx, user: User) -> Event:
    out = _user_event(ctx, user)
    staff = _staff(ctx, user)
    out["created_by"] = ctx.r.user(staff)
    if not ctx.v2:
        out["created_by_id"] = staff.id  # the docs' user.deactivated example names it so
    return out


def user_deactivated(ctx: Ctx) -> Event:
    ensure_users(ctx)
    user = ctx.world.user()
    user.deactivated = user.updated = ctx.now
    return _deactivation(ctx, user)


def user_reactivated(ctx: Ctx) -> Event:
    inactive = [u for u in ctx.world.live_users if u.deactivated]
    user = ctx.rng.choice(inactive) if inactive else ctx.world.user()
    user.deactivated, user.updated = None, ctx.now
    return _deactivation(ctx, user)


def user_deleted(ctx: Ctx) -> Event:
    ensure_users(ctx)
    world, rng = ctx.world, ctx.rng
    user = world.user()
    world.delete_user(user, ctx.now)
    for channel in world.live_channels:
        if channel.members.pop(user.id, None) is not None and not channel.members:
            # A channel is never left without members: someone takes it over.
            world.add_member(channel, _other_user(ctx, user), ctx.now, role="owner")
    hard = rng.random() < 0.3
    out = _user_event(ctx, user)
    mode = "hard" if hard else "soft"
    out.update(delete_user=mode, delete_messages=mode if rng.random() < 0.5 else "",
               delete_conversation="", delete_conversation_channels=False,
               hard_delete=hard, mark_messages_deleted=False)
    return out


def user_flagged(ctx: Ctx) -> Event:
    ensure_users(ctx)
    target = ctx.world.user()
    flagger = _other_user(ctx, target)
    out = _user_event(ctx, flagger)
    out.update(target_user=ctx.r.user(target), reason=ctx.world.content.reason(),
               total_flags=ctx.world.bump("user_flags", target.id))
    return out


def user_messages_deleted(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    user = ctx.world.member(channel).user
    for message in channel.messages:
        if message.user is user and message.deleted is None:
            message_deleted_offstream(ctx, message)
            message.deleted, message.type = ctx.now, "deleted"
    out = with_channel(ctx, _user_event(ctx, user), channel)
    out.update(hard_delete=False, soft_delete=True)
    if channel.last_message_at is not None:
        out["channel_last_message_at"] = ctx.r.ts(channel.last_message_at)
    return out


def _mute_key(ctx: Ctx, t: int) -> str:
    ensure_users(ctx)
    user = ctx.world.user()
    key = f"{user.id}/{_other_user(ctx, user).id}"
    ctx.world.user_mutes[key] = t
    return key


def _user_mute_event(ctx: Ctx, key: str) -> Event:
    user_id, target_id = key.split("/", 1)
    target = ctx.r.user(ctx.world.users[target_id])
    out = _user_event(ctx, ctx.world.users[user_id])
    out.update(target_user=target, target_users=[target])
    return out


def user_muted(ctx: Ctx) -> Event:
    return _user_mute_event(ctx, _mute_key(ctx, ctx.now))


def user_unmuted(ctx: Ctx) -> Event:
    mutes, users = ctx.world.user_mutes, ctx.world.users
    live = [k for k in mutes if all(i in users for i in k.split("/", 1))]
    key = ctx.rng.choice(live) if live else _mute_key(ctx, ctx.now - US)
    del mutes[key]
    return _user_mute_event(ctx, key)


def user_updated(ctx: Ctx) -> Event:
    ensure_users(ctx)
    world, rng = ctx.world, ctx.rng
    user = world.user()
    user.image = rng.choice(world.pools.image_urls)
    user.custom = {**user.custom, "country": rng.choice(world.pools.countries)}
    user.updated = ctx.now
    out = _user_event(ctx, user)
    if not ctx.v2:  # the docs' user.updated example carries the user's memberships
        out["members"] = [ctx.r.member(c.members[user.id]) for c in world.live_channels
                          if user.id in c.members][:50]
    return out


def user_unread_message_reminder(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    member = ctx.world.member(channel)
    unread = [m for m in channel.messages if m.deleted is None and m.user is not member.user]
    unread = unread[-max(1, min(member.unread, 5)):] if unread else []
    out = _user_event(ctx, member.user)
    out["channels"] = {channel.cid: {"channel": channel_obj(ctx, channel),
                                     "messages": [ctx.r.message(m) for m in unread]}}
    return out


USER_BUILDERS: dict[str, Builder] = {
    "user.banned": user_banned,
    "user.unbanned": user_unbanned,
    "user.deactivated": user_deactivated,
    "user.reactivated": user_reactivated,
    "user.deleted": user_deleted,
    "user.flagged": user_flagged,
    "user.messages.deleted": user_messages_deleted,
    "user.muted": user_muted,
    "user.unmuted": user_unmuted,
    "user.updated": user_updated,
    "user.unread_message_reminder": user_unread_message_reminder,
}
