"""Message and reaction calls: send (replies too), get, update, partial update, delete,
send and delete reactions."""

from __future__ import annotations

import uuid
from typing import Any

from ..errors import DoesNotExistError, InputError
from ..events.entities import Channel, Message, Reaction, User
from . import payloads as P
from .call import Call
from .inputs import MessageData, PartialUpdate, ReactionData

MESSAGE_FIELDS = ("text", "attachments", "mentioned_users", "pinned", "silent")


def send_message(call: Call, channel_type: str, channel_id: str,
                 data: MessageData) -> dict[str, Any]:
    store = call.store
    channel = store.channel(channel_type, channel_id)
    author, mentioned, parent = check_message(call, channel, data)
    message = Message(id=data.id or str(uuid.uuid4()), cid=channel.cid, user=author,
                      text=data.text, created=call.now, updated=call.now,
                      parent_id=parent.id if parent else None,
                      type="reply" if parent else "system" if data.system else "regular",
                      attachments=[dict(a) for a in data.attachments], mentioned=mentioned,
                      pinned=data.pinned, custom=dict(data.custom), silent=data.silent,
                      restricted_visibility=list(data.restricted_visibility),
                      shadowed=_shadow_banned(channel, author))
    if data.pinned:
        _pin(call, message, True, author)
    store.add_message(channel, message)
    channel.last_message_at = call.now
    for member in channel.members.values():
        if member.user is not author:
            member.unread += 1
        if not data.keep_channel_hidden:  # Stream shows a hidden channel again on a message
            member.hidden = False
    if parent is not None:
        _join_thread(parent, message)
    call.emit(P.message_new(call.r, call.now, channel, message, parent))
    if parent is not None:
        call.emit(P.thread_updated(call.r, call.now, channel, parent))
        for _ in [u for u in parent.participants if u is not author]:
            call.emit(P.thread_message_new(call.r, call.now, channel, message, parent))
    return {"message": call.r.message(message)}


def _shadow_banned(channel: Channel, author: User) -> bool:
    member = channel.members.get(author.id)
    return author.shadow_banned or bool(member and member.shadow_banned)


def check_message(call: Call, channel: Channel, data: MessageData,
                  ) -> tuple[User, list[User], Message | None]:
    """Everything a new message refers to exists (checked before anything changes)."""
    store = call.store
    author = call.known_user(data.user_id, "message.user")
    mentioned = [call.known_user(u, "message.mentioned_users") for u in data.mentioned_users]
    parent = None
    if data.parent_id:
        parent = store.messages.get(data.parent_id)
        if parent is None or parent.cid != channel.cid:
            raise InputError(f"message.parent_id: message {data.parent_id} does not exist "
                             f"in {channel.cid}")
        if parent.parent_id is not None:
            raise InputError("message.parent_id: a reply cannot be the parent of a thread")
    if data.id and data.id in store.messages:
        raise InputError(f"message.id: a message with id {data.id} already exists")
    return author, mentioned, parent


def _join_thread(parent: Message, reply: Message) -> None:
    parent.reply_count += 1
    if parent.user not in parent.participants:
        parent.participants.insert(0, parent.user)
    if reply.user not in parent.participants:
        parent.participants.append(reply.user)


def get_message(call: Call, message_id: str) -> dict[str, Any]:
    message = call.store.message(message_id)
    out = call.r.message(message)
    out["channel"] = call.r.channel(call.store.channels[message.cid])
    return {"message": out}


def _channel_of(call: Call, message: Message) -> Channel:
    return call.store.channels[message.cid]


def update_message(call: Call, message_id: str, data: MessageData) -> dict[str, Any]:
    """A full update: fields the body leaves out go back to their defaults."""
    message = call.store.message(message_id)
    call.known_user(data.user_id, "message.user")
    mentioned = [call.known_user(u, "message.mentioned_users") for u in data.mentioned_users]
    old_text = message.text
    changed = {"text", "html"} if data.text != old_text else set()
    if data.custom != message.custom:
        changed.add("custom")
    message.text, message.attachments = data.text, [dict(a) for a in data.attachments]
    message.mentioned = mentioned
    if data.pinned != message.pinned:
        _pin(call, message, data.pinned, call.store.users[data.user_id])
        changed.add("pin")
    message.custom = dict(data.custom)
    return _updated(call, message, old_text, changed)


def _updated(call: Call, message: Message, old_text: str, changed: set[str]) -> dict:
    message.updated = call.now
    if "text" in changed:
        message.text_updated = call.now
    channel = _channel_of(call, message)
    call.emit(P.message_updated(call.r, call.now, channel, message, old_text, changed))
    return {"message": call.r.message(message)}


def update_message_partial(call: Call, message_id: str, update: PartialUpdate,
                           ) -> dict[str, Any]:
    message = call.store.message(message_id)
    if update.id:
        call.known_user(update.id, "user")
    old_text, changed = message.text, set()
    # pinned before pin_expires: pinning stamps, a pin_expires in the same set stays
    for name, value in sorted(update.set.items(), key=lambda kv: kv[0] != "pinned"):
        changed |= _set_field(call, message, name, value, update.id)
    for name in update.unset:
        changed |= _set_field(call, message, name, None, update.id)
    return _updated(call, message, old_text, changed)


def _pin(call: Call, message: Message, pinned: bool, by: User) -> None:
    """Pinning stamps when and by whom (Stream's pinned_at / pinned_by); unpinning clears
    both and the expiry."""
    message.pinned, message.pin_changed = pinned, True
    message.pinned_at = call.now if pinned else None
    message.pinned_by = by if pinned else None
    if not pinned:
        message.pin_expires = None


def _set_field(call: Call, message: Message, name: str, value: Any,
               actor_id: str = "") -> set[str]:
    if name == "text":
        message.text = "" if value is None else value
        return {"text", "html"}
    if name == "attachments":
        message.attachments = [dict(a) for a in value or []]
        return {"attachments"}
    if name == "mentioned_users":
        message.mentioned = [call.known_user(u, "set.mentioned_users") for u in value or []]
        return {"mentioned_user_ids"}
    if name == "pinned":
        actor = call.store.users.get(actor_id) if actor_id else None
        _pin(call, message, bool(value), actor or message.user)
        return {"pin"}
    if name == "pin_expires":  # µs (the view parsed the time) or None
        message.pin_expires, message.pin_changed = value, True
        if value is not None:
            call.store.expiring_pins.add(message.id)
        return {"pin"}
    if value is None:
        message.custom.pop(name, None)
    else:
        message.custom[name] = value
    return {"custom"}


def delete_message(call: Call, message_id: str, hard: bool) -> dict[str, Any]:
    store = call.store
    message = store.message(message_id)
    channel = _channel_of(call, message)
    if message.deleted is None:
        message.deleted = message.updated = call.now
        message.type = "deleted"
        parent = store.messages.get(message.parent_id or "")
        if parent is not None:  # reply_count counts live replies only
            parent.reply_count -= 1
            parent.deleted_reply_count += 1
    call.emit(P.message_deleted(call.r, call.now, channel, message, hard))
    body = {"message": call.r.message(message)}
    if hard:
        store.messages.pop(message.id, None)
        if message in channel.messages:
            channel.messages.remove(message)
    return body


def send_reaction(call: Call, message_id: str, data: ReactionData,
                  enforce_unique: bool) -> dict[str, Any]:
    message = call.store.message(message_id)
    user = call.known_user(data.user_id, "reaction.user")
    mine = [r for r in message.reactions if r.user is user]
    same = next((r for r in mine if r.type == data.type), None)
    replaced = [r for r in mine if r is not same] if enforce_unique else []
    if same is not None:
        same.score, same.updated = data.score, call.now
        reaction, kind = same, "reaction.updated"
    else:
        reaction = Reaction(message_id=message.id, user=user, type=data.type,
                            score=data.score, created=call.now, updated=call.now)
        message.reactions.append(reaction)
        kind = "reaction.updated" if replaced else "reaction.new"
    message.reactions = [r for r in message.reactions if r not in replaced]
    message.updated = call.now
    channel = _channel_of(call, message)
    call.emit(P.reaction_event(call.r, kind, call.now, channel, message, reaction))
    return {"message": call.r.message(message), "reaction": call.r.reaction(reaction)}


def delete_reaction(call: Call, message_id: str, reaction_type: str,
                    user_id: str) -> dict[str, Any]:
    message = call.store.message(message_id)
    user = call.known_user(user_id, "user_id")
    reaction = next((r for r in message.reactions
                     if r.user is user and r.type == reaction_type), None)
    if reaction is None:
        raise DoesNotExistError(f"reaction {reaction_type!r} of user {user_id!r} on message "
                                f"{message_id} does not exist")
    message.reactions.remove(reaction)
    message.updated = call.now
    channel = _channel_of(call, message)
    call.emit(P.reaction_event(call.r, "reaction.deleted", call.now, channel, message,
                               reaction))
    return {"message": call.r.message(message), "reaction": call.r.reaction(reaction)}
