"""Moderation calls: ban/unban, mute/unmute users, flag messages and users."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from . import payloads as P
from .call import Call
from .inputs import BanData
from .store import Ban, Mute

MINUTE_US = 60 * 1_000_000


def ban_user(call: Call, data: BanData) -> dict[str, Any]:
    store = call.store
    target = store.user(data.target_id, "target user")
    by = call.known_user(data.by_id, "banned_by_id") if data.by_id else None
    channel = store.channel_by_cid(data.cid) if data.cid else None
    expires = call.now + data.timeout_minutes * MINUTE_US if data.timeout_minutes else None
    store.bans[(target.id, data.cid or "*")] = Ban(call.now, by, data.reason, expires,
                                                   data.shadow)
    if channel is None:
        if data.shadow:
            target.shadow_banned = True
        else:
            target.banned = True
        target.updated = call.now
    elif target.id in channel.members:
        member = channel.members[target.id]
        if data.shadow:
            member.shadow_banned = True
        else:
            member.banned = True
    total = sum(1 for (user_id, _) in store.bans if user_id == target.id)
    call.emit(P.user_banned(call.r, call.now, target, channel, by, data.reason, expires,
                            total, data.shadow))
    return {}


def unban_user(call: Call, target_id: str, cid: str | None, shadow: bool) -> dict[str, Any]:
    store = call.store
    target = store.user(target_id, "target user")
    channel = store.channel_by_cid(cid) if cid else None
    if store.bans.pop((target.id, cid or "*"), None) is None:
        # Stream answers an unban of a user who is not banned with success (the npm SDK's
        # response generators unban a user they never banned); nothing changed, no event.
        return {}
    if channel is None:
        target.banned = target.shadow_banned = False
        target.updated = call.now
    elif target.id in channel.members:
        member = channel.members[target.id]
        member.banned = member.shadow_banned = False
    call.emit(P.user_unbanned(call.r, call.now, target, channel, shadow))
    return {}


def mute_users(call: Call, user_id: str, target_ids: list[str], timeout_minutes: int | None,
               muted: bool) -> dict[str, Any]:
    user = call.known_user(user_id, "user_id")
    targets = [call.known_user(t, "target_ids") for t in target_ids]
    if any(t is user for t in targets):
        raise InputError("target_ids: a user cannot mute themselves")
    mutes = []
    for target in targets:
        key = (user.id, target.id)
        if muted:
            old = call.store.user_mutes.get(key)
            expires = call.now + timeout_minutes * MINUTE_US if timeout_minutes else None
            mute = call.store.user_mutes[key] = Mute(old.created if old else call.now,
                                                     call.now, expires)
            mutes.append(call.r.mute(mute, user, target=call.r.user(target)))
        else:
            call.store.user_mutes.pop(key, None)
    kind = "user.muted" if muted else "user.unmuted"
    call.emit(P.user_mute_event(call.r, kind, call.now, user, targets))
    if not muted:
        return {}
    return {"mute": mutes[0], "mutes": mutes} if len(mutes) == 1 else {"mutes": mutes}


def flag_message(call: Call, message_id: str, user_id: str, reason: str | None,
                 ) -> dict[str, Any]:
    message = call.store.message(message_id)
    flagger = call.known_user(user_id, "user_id")
    total = _count_flag(call, message.id, flagger.id)
    channel = call.store.channels[message.cid]
    call.emit(P.message_flagged(call.r, call.now, channel, message, flagger, total, reason))
    return {"flag": _flag(call, flagger.id, reason, target_message_id=message.id)}


def flag_user(call: Call, target_id: str, user_id: str, reason: str | None) -> dict[str, Any]:
    target = call.store.user(target_id, "target user")
    flagger = call.known_user(user_id, "user_id")
    total = _count_flag(call, target.id, flagger.id)
    call.emit(P.user_flagged(call.r, call.now, flagger, target, total, reason))
    return {"flag": _flag(call, flagger.id, reason, target_user_id=target.id)}


def _count_flag(call: Call, target: str, flagger: str) -> int:
    flaggers = call.store.flags.setdefault(target, [])
    if flagger in flaggers:
        raise InputError(f"user {flagger!r} has already flagged {target}")
    flaggers.append(flagger)
    return len(flaggers)


def _flag(call: Call, user_id: str, reason: str | None, **target: str) -> dict[str, Any]:
    return {"created_by_automod": False, "user_id": user_id, **target,
            "reason": reason or "", "created_at": call.r.ts(call.now),
            "updated_at": call.r.ts(call.now)}
