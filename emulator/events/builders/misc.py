"""Builders of export.*, campaign.*, user_group.*, flag.updated and custom (`*`) events."""

from __future__ import annotations

import functools

from ..clock import US
from ..entities import UserGroup
from .common import Builder, Ctx, Event, base, ensure_channel, ensure_users, live_message

EXPORTS = ("bulk_image_moderation", "channels", "moderation_logs", "review_queue", "users")
APP_PK = 1_000_000  # the emulated app's numeric id, as user groups carry it
CUSTOM_TYPES = ("friendship_request", "order_shipped", "typing_indicator_custom", "poll_reminder")


def _export(ctx: Ctx, what: str, ok: bool) -> Event:
    rng = ctx.rng
    out = base(ctx)
    task_id = ctx.world.uid()
    started = ctx.now - rng.randint(2, 900) * US
    out.update(task_id=task_id, started_at=ctx.r.ts(started), finished_at=ctx.r.ts(ctx.now))
    if ok:
        out["url"] = (f"https://stream-chat-exports.s3.amazonaws.com/{APP_PK}/exports/{what}/"
                      f"{task_id}.json?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=86400")
    else:
        out["error"] = rng.choice(("export timed out", "internal error while exporting",
                                   "too many items to export"))
    return out


def _campaign(ctx: Ctx, done: bool) -> Event:
    world, rng, ts = ctx.world, ctx.rng, ctx.r.ts
    ensure_users(ctx)
    sender = world.user()
    targets = rng.sample(world.live_users, 3)
    started = ctx.now - (rng.randint(60, 7200) * US if done else 0)
    stats = {"progress": 1.0 if done else 0.0, "stats_channels_created": 3 if done else 0,
             "stats_completed_at": ts(ctx.now if done else started),
             "stats_messages_sent": 3 if done else 0, "stats_started_at": ts(started),
             "stats_users_read": rng.randint(0, 3) if done else 0,
             "stats_users_sent": 3 if done else 0}
    campaign = {
        "id": world.uid(), "name": world.content.channel_name(),
        "description": world.content.sentence(), "status": "completed" if done else "running",
        "sender_id": sender.id, "sender": ctx.r.user(sender), "sender_mode": "exclude",
        "sender_visibility": "hidden", "create_channels": True, "show_channels": False,
        "skip_push": False, "skip_webhook": False, "segment_ids": [], "segments": [],
        "user_ids": [u.id for u in targets], "users": [ctx.r.user(u) for u in targets],
        "stats": stats, "created_at": ts(started - US), "updated_at": ts(ctx.now),
    }
    out = base(ctx)
    out["campaign"] = campaign
    return out


def _group(ctx: Ctx, create: bool = False) -> UserGroup:
    world = ctx.world
    if create or not world.groups:
        ensure_users(ctx)
        group = UserGroup(id=world.uid(), name=world.content.channel_name(),
                          description=world.content.sentence(), created_by=world.user(),
                          created=ctx.now, updated=ctx.now)
        world.groups[group.id] = group
        return group
    return world.groups[ctx.rng.choice(list(world.groups))]


def _group_event(ctx: Ctx, group: UserGroup) -> Event:
    ts = ctx.r.ts
    out = base(ctx)
    out["user"] = ctx.r.user(group.created_by)
    out["user_group"] = {
        "id": group.id, "name": group.name, "description": group.description,
        "app_pk": APP_PK, "created_by": group.created_by.id,
        "created_at": ts(group.created), "updated_at": ts(group.updated),
    }
    return out


def user_group_members(ctx: Ctx, added: bool) -> Event:
    group = _group(ctx)
    world = ctx.world
    if added or not group.member_ids:
        outsiders = [u.id for u in world.live_users if u.id not in group.member_ids]
        changed = ctx.rng.sample(outsiders, min(len(outsiders), ctx.rng.randint(1, 3)))
        group.member_ids += changed
    if not added:
        changed = ctx.rng.sample(group.member_ids, min(len(group.member_ids), 2))
        group.member_ids = [i for i in group.member_ids if i not in changed]
    group.updated = ctx.now
    out = _group_event(ctx, group)
    out["members"] = changed
    return out


def user_group_updated(ctx: Ctx) -> Event:
    group = _group(ctx)
    group.description, group.updated = ctx.world.content.sentence(), ctx.now
    return _group_event(ctx, group)


def user_group_deleted(ctx: Ctx) -> Event:
    group = _group(ctx)
    del ctx.world.groups[group.id]
    return _group_event(ctx, group)


def flag_updated(ctx: Ctx) -> Event:
    message = live_message(ctx)
    moderator = ctx.world.member(ctx.world.channel_of(message)).user
    out = base(ctx)
    # Spelt as the spec and the getstream SDK's wire names have them, in both dialects.
    out.update(Message=ctx.r.message(message), User=ctx.r.user(message.user),
               CreatedBy=ctx.r.user(moderator))
    return out


def custom_event(ctx: Ctx) -> Event:
    """v1 keeps the sender's own type name; the v2 SDK only knows custom events as `*`."""
    channel = ensure_channel(ctx)
    member = ctx.world.member(channel)
    data = {"note": ctx.world.content.sentence(), "priority": ctx.rng.randint(1, 5)}
    out = base(ctx)
    out["custom"] = data
    if not ctx.v2:  # v1 also inlines the data, as Stream's docs show custom events
        out.update(type=ctx.rng.choice(CUSTOM_TYPES), cid=channel.cid,
                   channel_id=channel.id, channel_type=channel.type,
                   user=ctx.r.user(member.user), **data)
    return out


MISC_BUILDERS: dict[str, Builder] = {
    "*": custom_event,
    "campaign.started": lambda ctx: _campaign(ctx, False),
    "campaign.completed": lambda ctx: _campaign(ctx, True),
    "user_group.created": lambda ctx: _group_event(ctx, _group(ctx, create=True)),
    "user_group.updated": user_group_updated,
    "user_group.deleted": user_group_deleted,
    "user_group.member_added": lambda ctx: user_group_members(ctx, True),
    "user_group.member_removed": lambda ctx: user_group_members(ctx, False),
    "flag.updated": flag_updated,
}
for _what in EXPORTS:
    MISC_BUILDERS[f"export.{_what}.success"] = functools.partial(_export, what=_what, ok=True)
    MISC_BUILDERS[f"export.{_what}.error"] = functools.partial(_export, what=_what, ok=False)
