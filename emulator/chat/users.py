"""User calls: upsert, partial update, query, deactivate, reactivate, delete."""

from __future__ import annotations

import copy
from typing import Any

from ..errors import InputError
from ..events.entities import User
from . import payloads as P
from .call import Call
from .inputs import USER_FIELDS, PartialUpdate, Query, UserData
from .query import matches, sort_docs

MAX_QUERY_USERS = 100  # Stream's page limit for QueryUsers
# What an unset field of USER_FIELDS goes back to (absent: None).
_UNSET: dict[str, Any] = {"teams": [], "teams_role": {}, "name": "", "language": "",
                          "role": "user"}


def _new_user(user_id: str, now: int) -> User:
    return User(id=user_id, name="", image=None, language="", role="user", created=now,
                updated=now)


def _apply(user: User, values: dict[str, Any], unset: list[str] = ()) -> None:
    for name, value in values.items():
        if name in USER_FIELDS:
            setattr(user, name, copy.deepcopy(value))  # the entity owns its containers
        else:
            user.custom[name] = value
    for name in unset:
        if name in USER_FIELDS:
            setattr(user, name, _UNSET.get(name))
        else:
            user.custom.pop(name, None)


def upsert_users(call: Call, users: list[UserData]) -> dict[str, Any]:
    store, out = call.store, {}
    for data in users:
        user = store.users.get(data.id)
        existed = user is not None and user.deleted is None
        if not existed:
            user = _new_user(data.id, call.now)
            store.add_user(user)
        else:  # an upsert replaces the user's fields and custom data
            user.name, user.image, user.role, user.teams = "", None, "user", []
            user.custom = {}
        _apply(user, {**data.fields, **data.custom})
        user.updated = call.now
        out[user.id] = full_user(call, user)
        if existed:
            call.emit(P.user_updated(call.r, call.now, user, _channels_of(call, user)))
    return {"users": out, **({"membership_deletion_task_id": ""} if call.r.v2 else {})}


def update_users_partial(call: Call, updates: list[PartialUpdate]) -> dict[str, Any]:
    users = [call.store.user(u.id) for u in updates]  # all exist, or nothing changes
    out = {}
    for user, update in zip(users, updates, strict=True):
        values = update.set
        if isinstance(values.get("privacy_settings"), dict) and user.privacy_settings:
            # a partial update merges the settings it names into the user's (Stream's
            # SDK suite sets typing_indicators, then read_receipts, and reads both)
            values = {**values, "privacy_settings": {**user.privacy_settings,
                                                     **values["privacy_settings"]}}
        _apply(user, values, update.unset)
        user.updated = call.now
        out[user.id] = full_user(call, user)
        call.emit(P.user_updated(call.r, call.now, user, _channels_of(call, user)))
    return {"users": out, **({"membership_deletion_task_id": ""} if call.r.v2 else {})}


def full_user(call: Call, user: User) -> dict[str, Any]:
    """The user as the users calls answer (v2: getstream's FullUserResponse with counters)."""
    out = call.r.user(user)
    if call.r.v2:
        unread = [c.members[user.id].unread for c in _channels_of(call, user)]
        out.update(total_unread_count=sum(unread), unread_channels=sum(1 for n in unread if n),
                   unread_count=sum(unread), unread_threads=0, devices=[],
                   channel_mutes=[], mutes=[])
    return out


def _channels_of(call: Call, user: User) -> list:
    return [c for c in call.store.channels.values() if user.id in c.members]


def _doc(user: User) -> dict[str, Any]:
    return {**user.custom, "id": user.id, "name": user.name or None, "role": user.role,
            "teams": user.teams, "language": user.language, "banned": user.banned,
            "created_at": user.created, "updated_at": user.updated,
            "last_active": user.last_active, "deactivated": user.deactivated is not None}


def query_users(call: Call, query: Query, include_deactivated: bool) -> dict[str, Any]:
    if query.limit > MAX_QUERY_USERS:
        raise InputError(f"limit: at most {MAX_QUERY_USERS}, received {query.limit}")
    users = [u for u in call.store.users.values() if u.deleted is None
             and (include_deactivated or u.deactivated is None)]
    filt = query.filter
    docs = [_doc(u) for u in users]
    hits = [(u, d) for u, d in zip(users, docs, strict=True) if matches(d, filt)]
    ordered = sort_docs([u for u, _ in hits], [d for _, d in hits], query.sort, "created_at")
    page = ordered[query.offset:query.offset + query.limit]
    return {"users": [full_user(call, u) for u in page]}


def deactivate_user(call: Call, user_id: str, by_id: str | None,
                    mark_messages_deleted: bool) -> dict[str, Any]:
    user = call.store.user(user_id)
    by = call.known_user(by_id, "created_by_id") if by_id else None
    user.deactivated = user.updated = call.now
    if mark_messages_deleted:
        _soft_delete_messages(call, user)
    call.emit(P.user_activation(call.r, "user.deactivated", call.now, user, by))
    return {"user": call.r.user(user)}


def reactivate_user(call: Call, user_id: str, by_id: str | None,
                    name: str | None) -> dict[str, Any]:
    user = call.store.users.get(user_id)
    if user is None or user.deleted is not None:
        call.store.user(user_id)  # raises the 404
    by = call.known_user(by_id, "created_by_id") if by_id else None
    if user.deactivated is None:
        raise InputError(f"user {user_id!r} is not deactivated")
    user.deactivated, user.updated = None, call.now
    if name is not None:
        user.name = name
    call.emit(P.user_activation(call.r, "user.reactivated", call.now, user, by))
    return {"user": call.r.user(user)}


def delete_user(call: Call, user_id: str, hard: bool, mark_messages_deleted: bool,
                delete_conversation_channels: bool) -> dict[str, Any]:
    user = call.store.user(user_id)
    call.store.remove_user(user, call.now)
    if mark_messages_deleted or hard:
        _soft_delete_messages(call, user)
    for channel in list(call.store.channels.values()):
        if channel.members.pop(user.id, None) is not None:
            call.store.refresh(channel)
    messages = ("hard" if hard else "soft") if mark_messages_deleted else ""
    call.emit(P.user_deleted(call.r, call.now, user, hard, messages,
                             delete_conversation_channels))
    return {"user": call.r.user(user)}


def _soft_delete_messages(call: Call, user: User) -> None:
    for message in call.store.messages.values():
        if message.user is user and message.deleted is None:
            message.deleted = message.updated = call.now
            message.type = "deleted"


def delete_users(call: Call, user_ids: list[str], hard: bool, mark_messages_deleted: bool,
                 delete_conversation_channels: bool) -> dict[str, Any]:
    """The v2 batch delete (a task at Stream; done at once here): all exist or none goes."""
    for user_id in user_ids:
        call.store.user(user_id)
    for user_id in user_ids:
        delete_user(call, user_id, hard, mark_messages_deleted, delete_conversation_channels)
    return {"task_id": f"delete-users-{call.now}"}
