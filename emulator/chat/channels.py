"""Channel calls: get-or-create, query, update (members too), partial update, delete,
truncate, hide/show, mute/unmute, member partial update, mark read/unread."""

from __future__ import annotations

import hashlib
from typing import Any

from ..errors import InputError
from ..events.entities import Channel, Member
from . import messages
from . import payloads as P
from .call import Call
from .inputs import ChannelData, MemberChanges, MemberRef, MessageData, PartialUpdate, Query
from .query import matches, sort_docs
from .store import Mute

MAX_QUERY_CHANNELS = 30  # Stream's page limit for QueryChannels
CHANNEL_FIELDS = ("frozen", "team", "disabled")


def distinct_id(members: list[MemberRef]) -> str:
    """Stream's id for a channel named by its members only (`!members-…`)."""
    ids = ",".join(sorted({m.user_id for m in members}))
    return "!members-" + hashlib.sha256(ids.encode()).hexdigest()[:43]


def query_channel(call: Call, channel_type: str, channel_id: str | None, data: ChannelData,
                  messages_limit: int) -> dict[str, Any]:
    if channel_id is None:
        if not data.members:
            raise InputError("data.members: a channel without an id needs its members")
        channel_id = distinct_id(data.members)
    channel = call.store.channels.get(f"{channel_type}:{channel_id}")
    if channel is None:
        channel = _create(call, channel_type, channel_id, data)
    return call.r.channel_state(channel, limit=messages_limit)


def _create(call: Call, channel_type: str, channel_id: str, data: ChannelData) -> Channel:
    if not data.created_by_id:
        raise InputError("data.created_by: either data.created_by or data.created_by_id must "
                         "be provided when using server side auth")
    creator = call.known_user(data.created_by_id, "data.created_by")
    users = [call.known_user(m.user_id, "data.members") for m in data.members]
    channel = Channel(type=channel_type, id=channel_id, created_by=creator, created=call.now,
                      updated=call.now, name=str(data.custom.get("name", "")),
                      image=data.custom.get("image"), team=data.team,
                      frozen=bool(data.frozen))
    channel.custom = {k: v for k, v in data.custom.items() if k not in ("name", "image")}
    # Payloads show the state after the call: channel.created lists the initial members,
    # then one member.added per member follows.
    added = [_join(call, channel, ref, user) for ref, user in zip(data.members, users, strict=True)]
    call.store.add_channel(channel)
    call.emit(P.channel_created(call.r, call.now, channel))
    for member in added:
        if member is not None:
            call.emit(P.member_event(call.r, "member.added", call.now, channel, member))
    return channel


def _join(call: Call, channel: Channel, ref: MemberRef, user,
          invited: bool = False) -> Member | None:
    if user.id in channel.members:
        return None
    member = Member(user=user, created=call.now, updated=call.now,
                    channel_role=ref.channel_role or "channel_member", last_read=call.now,
                    invited=invited)
    channel.members[user.id] = member
    return member


def _add_member(call: Call, channel: Channel, ref: MemberRef, user,
                invited: bool = False) -> None:
    member = _join(call, channel, ref, user, invited)
    if member is not None:
        call.emit(P.member_event(call.r, "member.added", call.now, channel, member))


def _change_roles(call: Call, channel: Channel, promoting: list, changes: MemberChanges,
                  ) -> None:
    """Moderators added (joining as moderators if not members yet), demoted, and roles
    assigned: one `member.updated` per member whose role changed."""
    for user in promoting:
        if user.id not in channel.members:
            _add_member(call, channel, MemberRef(user.id, "channel_moderator"), user)
        else:
            _set_role(call, channel, user.id, "channel_moderator")
    for user_id in changes.demote_moderators:
        member = channel.members.get(user_id)
        if member is not None and member.channel_role == "channel_moderator":
            _set_role(call, channel, user_id, "channel_member")
    for ref in changes.assign_roles:
        _set_role(call, channel, ref.user_id, ref.channel_role or "channel_member")


def _set_role(call: Call, channel: Channel, user_id: str, role: str) -> None:
    member = channel.members[user_id]
    if member.channel_role != role:
        member.channel_role, member.updated = role, call.now
        call.emit(P.member_event(call.r, "member.updated", call.now, channel, member))


def _channel_doc(call: Call, channel: Channel, user_id: str | None) -> dict[str, Any]:
    doc = {**channel.custom, "name": channel.name or None, "type": channel.type,
           "id": channel.id, "cid": channel.cid, "frozen": channel.frozen,
           "disabled": channel.disabled, "team": channel.team,
           "members": list(channel.members), "created_by_id": channel.created_by.id,
           "created_at": channel.created, "updated_at": channel.updated,
           "last_message_at": channel.last_message_at, "member_count": len(channel.members)}
    if user_id is not None:  # the querying user's own view: hidden and muted are theirs
        member = channel.members.get(user_id)
        mute = call.store.channel_mutes.get((user_id, channel.cid))
        doc["hidden"] = bool(member and member.hidden)
        doc["muted"] = mute is not None and (mute.expires is None or mute.expires > call.now)
    return doc


def query_channels(call: Call, query: Query, messages_limit: int,
                   user_id: str | None = None) -> dict[str, Any]:
    """With a `user_id`, Stream leaves out the channels that user hid unless the filter
    asks for `hidden`, and `muted` filters on that user's channel mutes."""
    if query.limit > MAX_QUERY_CHANNELS:
        raise InputError(f"limit: at most {MAX_QUERY_CHANNELS}, received {query.limit}")
    if user_id is not None:
        call.known_user(user_id, "user_id")
    skip_hidden = user_id is not None and "hidden" not in query.filter
    channels = list(call.store.channels.values())
    docs = [_channel_doc(call, c, user_id) for c in channels]
    hits = [(c, d) for c, d in zip(channels, docs, strict=True)
            if matches(d, query.filter) and not (skip_hidden and d["hidden"])]
    ordered = sort_docs([c for c, _ in hits], [d for _, d in hits], query.sort, "created_at")
    page = ordered[query.offset:query.offset + query.limit]
    return {"channels": [call.r.channel_state(c, limit=messages_limit) for c in page]}


def update_channel(call: Call, channel_type: str, channel_id: str, data: ChannelData | None,
                   add: list[MemberRef], remove: list[str],
                   message: MessageData | None = None,
                   changes: MemberChanges | None = None) -> dict[str, Any]:
    """Data, then members, then the optional message the SDKs' `message=` argument posts."""
    channel = call.store.channel(channel_type, channel_id)
    changes = changes or MemberChanges()
    adding = [(ref, call.known_user(ref.user_id, "add_members")) for ref in add]
    inviting = [(ref, call.known_user(ref.user_id, "invites")) for ref in changes.invites]
    promoting = [call.known_user(u, "add_moderators") for u in changes.add_moderators]
    for ref in changes.assign_roles:
        _member(call, channel, ref.user_id, "assign_roles")
    if message is not None:
        messages.check_message(call, channel, message)
    # Stream answers a removal of a non-member with success and no event (both SDKs' own
    # suites remove a user that never joined, to start from a clean state).
    remove = [user_id for user_id in dict.fromkeys(remove) if user_id in channel.members]
    if data is not None:  # update replaces the channel's custom data
        was_frozen = channel.frozen
        channel.name = str(data.custom.get("name", ""))
        channel.image = data.custom.get("image")
        channel.custom = {k: v for k, v in data.custom.items() if k not in ("name", "image")}
        if data.frozen is not None:
            channel.frozen = data.frozen
        channel.updated = call.now
        call.emit(P.channel_event(call.r, "channel.updated", call.now, channel))
        if channel.frozen != was_frozen:
            call.emit(P.channel_frozen(call.r, call.now, channel))
    for ref, user in adding:
        _add_member(call, channel, ref, user)
    for ref, user in inviting:
        _add_member(call, channel, ref, user, invited=True)
    _change_roles(call, channel, promoting, changes)
    for user_id in remove:
        member = channel.members.pop(user_id)
        call.emit(P.member_event(call.r, "member.removed", call.now, channel, member))
    call.store.refresh(channel)
    body = {"channel": call.r.channel(channel), "members": call.r.members(channel, 100)}
    if message is not None:
        body.update(messages.send_message(call, channel_type, channel_id, message))
    return body


def update_channel_partial(call: Call, channel_type: str, channel_id: str,
                           update: PartialUpdate) -> dict[str, Any]:
    channel = call.store.channel(channel_type, channel_id)
    was_frozen = channel.frozen
    for name, value in update.set.items():
        _set_channel_field(channel, name, value)
    for name in update.unset:
        _set_channel_field(channel, name, None)
    channel.updated = call.now
    call.emit(P.channel_event(call.r, "channel.updated", call.now, channel))
    if channel.frozen != was_frozen:
        call.emit(P.channel_frozen(call.r, call.now, channel))
    return {"channel": call.r.channel(channel), "members": call.r.members(channel, 100)}


def _set_channel_field(channel: Channel, name: str, value: Any) -> None:
    if name == "frozen":
        channel.frozen = bool(value)
    elif name == "disabled":
        channel.disabled = bool(value)
    elif name == "team":
        channel.team = value
    elif name == "name":
        channel.name = "" if value is None else str(value)
    elif name == "image":
        channel.image = value
    elif value is None:
        channel.custom.pop(name, None)
    else:
        channel.custom[name] = value


def delete_channel(call: Call, channel_type: str, channel_id: str) -> dict[str, Any]:
    channel = call.store.channel(channel_type, channel_id)
    channel.deleted = channel.updated = call.now
    call.emit(P.channel_event(call.r, "channel.deleted", call.now, channel))
    body = {"channel": call.r.channel(channel)}
    call.store.drop_channel(channel)
    return body


def truncate_channel(call: Call, channel_type: str, channel_id: str,
                     user_id: str | None) -> dict[str, Any]:
    channel = call.store.channel(channel_type, channel_id)
    user = call.known_user(user_id, "user_id") if user_id else None
    for message in channel.messages:
        call.store.messages.pop(message.id, None)
    channel.messages = []
    channel.truncated_at = channel.updated = call.now
    for member in channel.members.values():
        member.unread = 0
    call.emit(P.channel_event(call.r, "channel.truncated", call.now, channel, user))
    return {"channel": call.r.channel(channel)}


def _member(call: Call, channel: Channel, user_id: str, field_name: str = "user_id") -> Member:
    call.known_user(user_id, field_name)
    member = channel.members.get(user_id)
    if member is None:
        raise InputError(f"{field_name}: user {user_id!r} is not a member of {channel.cid}")
    return member


def _reader(call: Call, channel: Channel, user_id: str) -> Member:
    """Who marks a channel read or unread: a member, or its creator who never joined (Stream
    answers both; its SDK suites create a channel and mark it as the creator). The creator's
    read state is not kept: the emulator keeps read state on members only."""
    if user_id not in channel.members and channel.created_by.id == user_id:
        user = call.known_user(user_id, "user_id")
        return Member(user, call.now, call.now)
    return _member(call, channel, user_id)


def hide_channel(call: Call, channel_type: str, channel_id: str, user_id: str,
                 clear_history: bool, hidden: bool) -> dict[str, Any]:
    channel = call.store.channel(channel_type, channel_id)
    member = _member(call, channel, user_id)
    member.hidden = hidden
    if hidden:
        call.emit(P.channel_hidden(call.r, call.now, channel, member.user, clear_history))
    else:
        call.emit(P.channel_event(call.r, "channel.visible", call.now, channel, member.user))
    return {}


def mute_channel(call: Call, cids: list[str], user_id: str, expiration_ms: int | None,
                 muted: bool) -> dict[str, Any]:
    user = call.known_user(user_id, "user_id")
    channels = [call.store.channel_by_cid(cid) for cid in cids]
    mutes = []
    for channel in channels:
        key = (user.id, channel.cid)
        member = channel.members.get(user.id)
        if muted:
            expires = call.now + expiration_ms * 1000 if expiration_ms else None
            old = call.store.channel_mutes.get(key)
            mute = Mute(old.created if old else call.now, call.now, expires)
            call.store.channel_mutes[key] = mute
            mutes.append(call.r.mute(mute, user, channel=call.r.channel(channel)))
        else:
            mute = call.store.channel_mutes.pop(key, None) or Mute(call.now, call.now)
        if member is not None:
            member.notifications_muted = muted
        kind = "channel.muted" if muted else "channel.unmuted"
        call.emit(P.channel_mute_event(call.r, kind, call.now, channel, user, mute.created))
    if not muted:
        return {}
    return {"channel_mute": mutes[0], "channel_mutes": mutes} if mutes else {}


def update_member_partial(call: Call, channel_type: str, channel_id: str,
                          update: PartialUpdate) -> dict[str, Any]:
    channel = call.store.channel(channel_type, channel_id)
    member = _member(call, channel, update.id)
    for name, value in update.set.items():
        member.custom[name] = value
    for name in update.unset:
        member.custom.pop(name, None)
    member.updated = call.now
    call.emit(P.member_event(call.r, "member.updated", call.now, channel, member))
    return {"channel_member": call.r.member(member)}


def mark_read(call: Call, channel_type: str, channel_id: str, user_id: str,
              message_id: str | None) -> dict[str, Any]:
    channel = call.store.channel(channel_type, channel_id)
    member = _reader(call, channel, user_id)
    live = [m for m in channel.messages if m.deleted is None]
    last = call.store.message(message_id) if message_id else (live[-1] if live else None)
    member.unread, member.last_read = 0, call.now
    event = P.message_read(call.r, call.now, channel, member.user, last)
    call.emit(event)
    return {"event": event}


def mark_unread(call: Call, channel_type: str, channel_id: str, user_id: str,
                message_id: str | None, since_us: int | None = None) -> dict[str, Any]:
    """From a message on, or from the first message at or after `message_timestamp`."""
    channel = call.store.channel(channel_type, channel_id)
    member = _reader(call, channel, user_id)
    if message_id is not None:
        first = call.store.message(message_id)
        if first.cid != channel.cid:
            raise InputError(f"message_id: message {message_id} is not in {channel.cid}")
        since_us = first.created
    else:
        first = next((m for m in channel.messages
                      if m.deleted is None and m.created >= since_us), None)
    member.unread = sum(1 for m in channel.messages
                        if m.deleted is None and m.created >= since_us)
    member.last_read = since_us - 1
    call.emit(P.mark_unread(call.r, call.now, channel, member, first))
    return {}
