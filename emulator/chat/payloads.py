"""Hook events built from the chat state after a call, in one dialect.

The fields follow the generator's builders (events/builders/), so an event the app caused and
a generated one of the same type have the same shape; here every value comes from the store.
"""

from __future__ import annotations

from typing import Any

from ..events.entities import Channel, Member, Message, Reaction, User
from .render import ChatRenderer, live_count

Event = dict[str, Any]


def base(r: ChatRenderer, event_type: str, now: int) -> Event:
    out: Event = {"type": event_type, "created_at": r.ts(now)}
    if r.v2:
        out["custom"] = {}
    return out


def with_channel(r: ChatRenderer, out: Event, channel: Channel) -> Event:
    out.update(cid=channel.cid, channel_id=channel.id, channel_type=channel.type)
    if r.v2:
        out["channel_member_count"] = len(channel.members)
        out["channel_message_count"] = live_count(channel)
    return out


def unread_user(r: ChatRenderer, channel: Channel, user: User, now: int) -> Event:
    """The event's `user` with the unread counters Stream adds for a channel member (v1)."""
    member = channel.members.get(user.id)
    out = r.user(user)
    unread = member.unread if member else 0
    last_read = member.last_read if member and member.last_read else now
    out.update(channel_unread_count=unread, channel_last_read_at=r.ts(last_read),
               total_unread_count=unread, unread_channels=1 if unread else 0,
               unread_count=unread)
    return out


# channels and members ---------------------------------------------------------------------
def channel_event(r: ChatRenderer, event_type: str, now: int, channel: Channel,
                  user: User | None = None) -> Event:
    out = with_channel(r, base(r, event_type, now), channel)
    out["channel"] = r.channel(channel)
    if user is not None:
        out["user"] = r.user(user)
    return out


def channel_created(r: ChatRenderer, now: int, channel: Channel) -> Event:
    out = channel_event(r, "channel.created", now, channel, channel.created_by)
    if not r.v2:
        out["members"] = r.members(channel)
    return out


def channel_hidden(r: ChatRenderer, now: int, channel: Channel, user: User,
                   clear_history: bool) -> Event:
    out = channel_event(r, "channel.hidden", now, channel, user)
    out["clear_history"] = clear_history
    return out


def channel_frozen(r: ChatRenderer, now: int, channel: Channel) -> Event:
    kind = "channel.frozen" if channel.frozen else "channel.unfrozen"
    return with_channel(r, base(r, kind, now), channel)


def member_event(r: ChatRenderer, event_type: str, now: int, channel: Channel,
                 member: Member) -> Event:
    out = with_channel(r, base(r, event_type, now), channel)
    # v1 docs show no `member` on member.removed; the v2 model requires it.
    if event_type != "member.removed" or r.v2:
        out["member"] = r.member(member)
    out["user"] = r.user(member.user)
    if r.v2:
        out["channel"] = r.channel(channel)
    return out


def channel_mute_event(r: ChatRenderer, event_type: str, now: int, channel: Channel,
                       user: User, created: int) -> Event:
    out = base(r, event_type, now)
    mute = {"user": r.user(user), "channel": r.channel(channel),
            "created_at": r.ts(created), "updated_at": r.ts(now)}
    out.update(user=r.user(user), mute=mute)
    return out


# messages -----------------------------------------------------------------------------------
def message_event(r: ChatRenderer, event_type: str, now: int, channel: Channel,
                  message: Message) -> Event:
    out = with_channel(r, base(r, event_type, now), channel)
    out["message"] = r.message(message)
    if r.v2:
        out["message_id"] = message.id
    return out


def message_new(r: ChatRenderer, now: int, channel: Channel, message: Message,
                parent: Message | None) -> Event:
    out = message_event(r, "message.new", now, channel, message)
    if parent is not None:
        out["thread_participants"] = [r.user(u) for u in parent.participants]
    if r.v2:
        out.update(watcher_count=0, user=r.user(message.user), total_unread_count=0,
                   unread_channels=0, unread_count=0)
    else:
        out["user"] = unread_user(r, channel, message.user, now)
        if channel.members:  # absent when the channel has no members (2020 SQS test)
            out["members"] = r.members(channel)
    return out


def thread_updated(r: ChatRenderer, now: int, channel: Channel, parent: Message) -> Event:
    out = {"type": "thread.updated", "created_at": r.ts(now),
           **({"custom": {}} if r.v2 else {}),
           "cid": channel.cid, "channel_id": channel.id, "channel_type": channel.type}
    out["thread"] = r.thread(parent, channel, now)
    return out


def thread_message_new(r: ChatRenderer, now: int, channel: Channel, message: Message,
                       parent: Message) -> Event:
    out = message_event(r, "notification.thread_message_new", now, channel, message)
    out.update(channel=r.channel(channel), thread_id=parent.id, message_id=message.id,
               watcher_count=0,
               thread_participants=[r.user(u) for u in parent.participants])
    return out


def message_updated(r: ChatRenderer, now: int, channel: Channel, message: Message,
                    old_text: str, changed: set[str]) -> Event:
    out = message_event(r, "message.updated", now, channel, message)
    out["user"] = r.user(message.user)
    change_set = {name: name in changed for name in (
        "text", "html", "attachments", "custom", "mentioned_user_ids", "quoted_message_id",
        "silent", "pin")}
    if r.v2:
        change_set["mml"] = False
    out["message_update"] = {"old_text": old_text, "change_set": change_set}
    return out


def message_deleted(r: ChatRenderer, now: int, channel: Channel, message: Message,
                    hard: bool) -> Event:
    out = message_event(r, "message.deleted", now, channel, message)
    out["hard_delete"] = hard
    if r.v2:
        out["user"] = r.user(message.user)
    return out


def message_read(r: ChatRenderer, now: int, channel: Channel, user: User,
                 last: Message | None) -> Event:
    out = with_channel(r, base(r, "message.read", now), channel)
    if r.v2:
        out["user"] = r.user(user)
        out["channel"] = r.channel(channel)
    else:
        out["user"] = unread_user(r, channel, user, now)
    if last is not None:
        out["last_read_message_id"] = last.id
    return out


def mark_unread(r: ChatRenderer, now: int, channel: Channel, member: Member,
                first: Message | None) -> Event:
    out = with_channel(r, base(r, "notification.mark_unread", now), channel)
    unread = member.unread
    out.update(user=r.user(member.user), unread_count=unread, total_unread_count=unread,
               unread_channels=1 if unread else 0, unread_messages=unread, unread_threads=0,
               unread_thread_messages=0, last_read_at=r.ts(member.last_read or now))
    if first is not None:
        out["first_unread_message_id"] = first.id
    if r.v2:
        out["channel"] = r.channel(channel)
    return out


def message_flagged(r: ChatRenderer, now: int, channel: Channel, message: Message,
                    flagger: User, total: int, reason: str | None) -> Event:
    out = message_event(r, "message.flagged", now, channel, message)
    out.update(message_id=message.id, user=r.user(flagger), total_flags=total)
    if reason:
        out["reason"] = reason
    return out


# reactions ----------------------------------------------------------------------------------
def reaction_event(r: ChatRenderer, event_type: str, now: int, channel: Channel,
                   message: Message, reaction: Reaction) -> Event:
    out = with_channel(r, base(r, event_type, now), channel)
    out.update(message=r.message(message), reaction=r.reaction(reaction),
               user=r.user(reaction.user))
    if r.v2:
        out["channel"] = r.channel(channel)
        out["message_id"] = message.id
    return out


# users --------------------------------------------------------------------------------------
def user_event(r: ChatRenderer, event_type: str, now: int, user: User) -> Event:
    out = base(r, event_type, now)
    out["user"] = r.user(user)
    return out


def user_updated(r: ChatRenderer, now: int, user: User, channels: list[Channel]) -> Event:
    out = user_event(r, "user.updated", now, user)
    if not r.v2:  # the docs' user.updated example carries the user's memberships
        out["members"] = [r.member(c.members[user.id]) for c in channels
                          if user.id in c.members][:50]
    return out


def user_activation(r: ChatRenderer, event_type: str, now: int, user: User,
                    by: User | None) -> Event:
    out = user_event(r, event_type, now, user)
    if by is not None:
        out["created_by"] = r.user(by)
        if not r.v2 and event_type == "user.deactivated":
            out["created_by_id"] = by.id  # the docs' user.deactivated example names it so
    return out


def user_deleted(r: ChatRenderer, now: int, user: User, hard: bool, messages: str,
                 conversations: bool) -> Event:
    out = user_event(r, "user.deleted", now, user)
    mode = "hard" if hard else "soft"
    out.update(delete_user=mode, delete_messages=messages, delete_conversation="",
               delete_conversation_channels=conversations, hard_delete=hard,
               mark_messages_deleted=False)
    return out


def user_banned(r: ChatRenderer, now: int, user: User, channel: Channel | None,
                by: User | None, reason: str | None, expires: int | None, total: int,
                shadow: bool) -> Event:
    out = user_event(r, "user.banned", now, user)
    if channel is not None:
        with_channel(r, out, channel)
    out["shadow"] = shadow
    if by is not None:
        out["created_by"] = r.user(by)
    if reason:
        out["reason"] = reason
    if expires is not None:
        out["expiration"] = r.ts(expires)
    out["total_bans"] = total
    return out


def user_unbanned(r: ChatRenderer, now: int, user: User, channel: Channel | None,
                  shadow: bool) -> Event:
    out = user_event(r, "user.unbanned", now, user)
    if channel is not None:
        with_channel(r, out, channel)
    out["shadow"] = shadow
    return out


def user_mute_event(r: ChatRenderer, event_type: str, now: int, user: User,
                    targets: list[User]) -> Event:
    out = user_event(r, event_type, now, user)
    rendered = [r.user(t) for t in targets]
    out["target_users"] = rendered
    if len(rendered) == 1:
        out["target_user"] = rendered[0]
    return out


def user_flagged(r: ChatRenderer, now: int, flagger: User, target: User, total: int,
                 reason: str | None) -> Event:
    out = user_event(r, "user.flagged", now, flagger)
    out.update(target_user=r.user(target), total_flags=total, reason=reason or "")
    return out
