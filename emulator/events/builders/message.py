"""Builders of message.*, reaction.*, thread and unread-notification events."""

from __future__ import annotations

from ..entities import Channel, Message
from .common import (
    Builder,
    Ctx,
    Event,
    base,
    channel_obj,
    ensure_channel,
    live_message,
    unread_user,
    with_channel,
    with_request_info,
)

REPLY_RATE = 0.25


def _new_message(ctx: Ctx, channel: Channel, reply: bool) -> Message:
    world = ctx.world
    author = world.member(channel).user
    parents = [m for m in channel.messages[-20:] if m.parent_id is None and m.deleted is None
               ] if reply else []
    parent = ctx.rng.choice(parents) if parents else None
    return world.new_message(channel, author, ctx.now, parent)


def _message_event(ctx: Ctx, channel: Channel, message: Message) -> Event:
    out = with_channel(ctx, base(ctx), channel)
    out["message"] = ctx.r.message(message)
    out["message_id"] = message.id
    return out


def message_new(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    message = _new_message(ctx, channel, ctx.rng.random() < REPLY_RATE)
    out = _message_event(ctx, channel, message)
    parent = ctx.world.messages.get(message.parent_id or "")
    if parent is not None:
        out["thread_participants"] = [ctx.r.user(u) for u in parent.participants]
    out["watcher_count"] = ctx.rng.randint(0, len(channel.members))
    if ctx.v2:
        out.update(user=ctx.r.user(message.user), total_unread_count=0, unread_channels=0,
                   unread_count=0)
    else:
        out["user"] = unread_user(ctx, channel, message.user.id)
        out["members"] = ctx.r.members(channel)
    return with_request_info(ctx, out)


def notification_thread_message_new(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    message = _new_message(ctx, channel, reply=True)
    out = _message_event(ctx, channel, message)
    out.update(channel=channel_obj(ctx, channel), thread_id=message.parent_id or message.id,
               message_id=message.id, watcher_count=ctx.rng.randint(0, len(channel.members)))
    parent = ctx.world.messages.get(message.parent_id or "")
    if parent is not None:
        out["thread_participants"] = [ctx.r.user(u) for u in parent.participants]
    return out


def message_updated(ctx: Ctx) -> Event:
    message = live_message(ctx)
    old_text = message.text
    message.text = ctx.world.content.sentence()
    message.updated = message.text_updated = ctx.now
    channel = ctx.world.channel_of(message)
    out = _message_event(ctx, channel, message)
    out["user"] = ctx.r.user(message.user)
    change_set = {"text": True, "html": True, "attachments": False, "custom": False,
                  "mentioned_user_ids": False, "quoted_message_id": False, "silent": False,
                  "pin": False, "mml": False}
    out["message_update"] = {"old_text": old_text, "change_set": change_set}
    return with_request_info(ctx, out)


def message_deleted(ctx: Ctx) -> Event:
    message = live_message(ctx)
    message.deleted = message.updated = ctx.now
    message.type = "deleted"
    parent = ctx.world.messages.get(message.parent_id or "")
    if parent is not None:  # reply_count counts live replies only
        parent.reply_count -= 1
        parent.deleted_reply_count += 1
    out = _message_event(ctx, ctx.world.channel_of(message), message)
    hard = ctx.rng.random() < 0.1
    out["hard_delete"] = hard
    if ctx.v2:
        out["user"] = ctx.r.user(message.user)
    return with_request_info(ctx, out)


def message_undeleted(ctx: Ctx) -> Event:
    message = ctx.world.message(deleted=True)
    if message is None:  # nothing to restore: delete one off-stream first
        message = live_message(ctx)
        message_deleted_offstream(ctx, message)
    message.deleted = None
    message.type = "reply" if message.parent_id else "regular"
    message.updated = ctx.now
    parent = ctx.world.messages.get(message.parent_id or "")
    if parent is not None:
        parent.reply_count += 1
        parent.deleted_reply_count -= 1
    return _message_event(ctx, ctx.world.channel_of(message), message)


def message_deleted_offstream(ctx: Ctx, message: Message) -> None:
    message.deleted = ctx.now - 1
    parent = ctx.world.messages.get(message.parent_id or "")
    if parent is not None:
        parent.reply_count -= 1
        parent.deleted_reply_count += 1


def message_read(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    member = ctx.world.member(channel)
    member.unread, member.last_read = 0, ctx.now
    out = with_channel(ctx, base(ctx), channel)
    last = next((m for m in reversed(channel.messages) if m.deleted is None), None)
    if ctx.v2:
        out["user"] = ctx.r.user(member.user)
        out["channel"] = channel_obj(ctx, channel)
    else:
        out["user"] = unread_user(ctx, channel, member.user.id)
    if last is not None:
        out["last_read_message_id"] = last.id
    return with_request_info(ctx, out)


def notification_mark_unread(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    member = ctx.world.member(channel)
    live = [m for m in channel.messages if m.deleted is None]
    first = live[-min(len(live), ctx.rng.randint(1, 4))] if live else None
    member.unread = sum(1 for m in live if first and m.created >= first.created)
    out = with_channel(ctx, base(ctx), channel)
    out.update(user=ctx.r.user(member.user), unread_count=member.unread,
               total_unread_count=member.unread, unread_channels=1 if member.unread else 0,
               unread_messages=member.unread, unread_threads=0, unread_thread_messages=0,
               last_read_at=ctx.r.ts(member.last_read or ctx.now))
    if first is not None:
        out["first_unread_message_id"] = first.id
    if ctx.v2:
        out["channel"] = channel_obj(ctx, channel)
    return out


def _flag_event(ctx: Ctx) -> tuple[Event, Message]:
    message = live_message(ctx)
    return _message_event(ctx, ctx.world.channel_of(message), message), message


def message_flagged(ctx: Ctx) -> Event:
    out, message = _flag_event(ctx)
    flagger = ctx.world.member(ctx.world.channel_of(message)).user
    total = ctx.world.bump("flags", message.id)
    out.update(user=ctx.r.user(flagger), total_flags=total, reason=ctx.world.content.reason())
    return out


def message_unblocked(ctx: Ctx) -> Event:
    out, message = _flag_event(ctx)
    out["user"] = ctx.r.user(message.user)
    for key in ("channel_id", "channel_type", "channel_member_count", "channel_message_count"):
        out.pop(key, None)  # the spec's MessageUnblockedEvent names only `cid` of the channel
    return out


def message_pending(ctx: Ctx) -> Event:
    channel = ensure_channel(ctx)
    message = _new_message(ctx, channel, reply=False)
    out = base(ctx)
    out.update(method=ctx.rng.choice(("SendMessage", "UpdateMessage")),
               message=ctx.r.message(message), user=ctx.r.user(message.user),
               channel=channel_obj(ctx, channel), metadata={"reason": "moderation"})
    return out


def thread_updated(ctx: Ctx) -> Event:
    parent = live_message(ctx, top_level=True)
    channel = ctx.world.channel_of(parent)
    out = with_channel(ctx, base(ctx), channel)
    out.pop("channel_member_count", None)
    out.pop("channel_message_count", None)
    out["thread"] = ctx.r.thread(parent, channel, ctx.now)
    return out


MESSAGE_BUILDERS: dict[str, Builder] = {
    "message.new": message_new,
    "message.updated": message_updated,
    "message.deleted": message_deleted,
    "message.undeleted": message_undeleted,
    "message.read": message_read,
    "message.flagged": message_flagged,
    "message.unblocked": message_unblocked,
    "message.pending": message_pending,
    "notification.thread_message_new": notification_thread_message_new,
    "notification.mark_unread": notification_mark_unread,
    "thread.updated": thread_updated,
}
