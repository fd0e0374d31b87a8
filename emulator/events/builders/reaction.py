"""Builders of reaction.* and reminder events: each acts on a message that exists."""

from __future__ import annotations

from ..clock import US
from ..entities import Message, Reaction, Reminder
from .common import Builder, Ctx, Event, base, channel_obj, live_message, with_channel


def _reacted_message(ctx: Ctx) -> tuple[Message, Reaction]:
    """A message with at least one reaction (reacting off-stream first if none has one)."""
    for _ in range(4):
        message = live_message(ctx)
        if message.reactions:
            return message, ctx.rng.choice(message.reactions)
    channel = ctx.world.channel_of(message)
    reactor = ctx.world.member(channel).user
    return message, ctx.world.add_reaction(message, reactor, ctx.now - US)


def _reaction_event(ctx: Ctx, message: Message, reaction: Reaction) -> Event:
    channel = ctx.world.channel_of(message)
    out = with_channel(ctx, base(ctx), channel)
    out.update(message=ctx.r.message(message), reaction=ctx.r.reaction(reaction),
               user=ctx.r.user(reaction.user))
    out["channel"] = channel_obj(ctx, channel)
    out["message_id"] = message.id
    return out


def reaction_new(ctx: Ctx) -> Event:
    message = live_message(ctx)
    reactor = ctx.world.member(ctx.world.channel_of(message)).user
    reaction = ctx.world.add_reaction(message, reactor, ctx.now)
    return _reaction_event(ctx, message, reaction)


def reaction_updated(ctx: Ctx) -> Event:
    message, reaction = _reacted_message(ctx)
    reaction.score += 1  # e.g. a cumulative "clap": updating bumps the score
    reaction.updated = message.updated = ctx.now
    return _reaction_event(ctx, message, reaction)


def reaction_deleted(ctx: Ctx) -> Event:
    message, reaction = _reacted_message(ctx)
    message.reactions.remove(reaction)
    message.updated = ctx.now
    return _reaction_event(ctx, message, reaction)


def _reminder_event(ctx: Ctx, rem: Reminder) -> Event:
    out = base(ctx)
    out.update(cid=rem.message.cid, message_id=rem.message.id, user_id=rem.user.id,
               reminder=ctx.r.reminder(rem), received_at=ctx.r.ts(ctx.now))
    if rem.message.parent_id:
        out["parent_id"] = rem.message.parent_id
    return out


def _existing_reminder(ctx: Ctx) -> Reminder:
    reminders = ctx.world.reminders
    if not reminders:
        _create_reminder(ctx, ctx.now - US)
    return reminders[ctx.rng.choice(list(reminders))]


def _create_reminder(ctx: Ctx, t: int) -> Reminder:
    message = live_message(ctx)
    user = ctx.world.member(ctx.world.channel_of(message)).user
    remind_at = t + ctx.rng.randint(1, 48) * 3600 * US if ctx.rng.random() < 0.8 else None
    rem = Reminder(message=message, user=user, created=t, updated=t, remind_at=remind_at)
    ctx.world.reminders[f"{user.id}/{message.id}"] = rem
    return rem


def reminder_created(ctx: Ctx) -> Event:
    return _reminder_event(ctx, _create_reminder(ctx, ctx.now))


def reminder_updated(ctx: Ctx) -> Event:
    rem = _existing_reminder(ctx)
    rem.remind_at = ctx.now + ctx.rng.randint(1, 72) * 3600 * US
    rem.updated = ctx.now
    return _reminder_event(ctx, rem)


def reminder_deleted(ctx: Ctx) -> Event:
    rem = _existing_reminder(ctx)
    del ctx.world.reminders[f"{rem.user.id}/{rem.message.id}"]
    return _reminder_event(ctx, rem)


def notification_reminder_due(ctx: Ctx) -> Event:
    rem = _existing_reminder(ctx)
    rem.remind_at = ctx.now  # it is due now
    return _reminder_event(ctx, rem)


REACTION_BUILDERS: dict[str, Builder] = {
    "reaction.new": reaction_new,
    "reaction.updated": reaction_updated,
    "reaction.deleted": reaction_deleted,
    "reminder.created": reminder_created,
    "reminder.updated": reminder_updated,
    "reminder.deleted": reminder_deleted,
    "notification.reminder_due": notification_reminder_due,
}
