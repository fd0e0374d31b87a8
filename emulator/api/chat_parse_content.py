"""Request bodies of channels, messages, reactions and bans → the chat operations' inputs
(the shared helpers and the users' bodies are in chat_parse.py)."""

from __future__ import annotations

import time
from typing import Any

from ..chat.inputs import (
    CHANNEL_RESERVED,
    MESSAGE_NOT_EMULATED,
    MESSAGE_RESERVED,
    BanData,
    ChannelData,
    MemberChanges,
    MemberRef,
    MessageData,
    ReactionData,
)
from ..errors import InputError
from .chat_parse import (
    MAX_TEXT,
    MessageTooLongError,
    boolean,
    custom_data,
    ident,
    integer,
    kind,
    obj,
    opt_obj,
    str_list,
    string,
    timestamp_us,
    user_ref,
)


def check_channel_values(values: dict[str, Any]) -> None:
    for name in ("name", "image", "team"):
        if values.get(name) is not None and not isinstance(values[name], str):
            raise InputError(f"set.{name}: expected string, received {kind(values[name])}")
    for name in ("frozen", "disabled"):
        if values.get(name) is not None and not isinstance(values[name], bool):
            raise InputError(f"set.{name}: expected boolean, received {kind(values[name])}")


def check_message_values(values: dict[str, Any]) -> None:
    if values.get("text") is not None:
        text = values["text"]
        if not isinstance(text, str):
            raise InputError(f"set.text: expected string, received {kind(text)}")
        if len(text) > MAX_TEXT:
            raise MessageTooLongError(f"set.text: message is {len(text)} characters long; "
                                      f"the maximum is {MAX_TEXT}")
    attachments = values.get("attachments")
    if attachments is not None and (not isinstance(attachments, list) or not all(
            isinstance(a, dict) for a in attachments)):
        raise InputError("set.attachments: expected an array of objects")
    if values.get("mentioned_users") is not None:
        str_list(values["mentioned_users"], "set.mentioned_users")
    if values.get("pinned") is not None and not isinstance(values["pinned"], bool):
        raise InputError(f"set.pinned: expected boolean, received {kind(values['pinned'])}")



# channels -----------------------------------------------------------------------------------
def member_refs(value: Any, path: str) -> list[MemberRef]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{path}: expected array, received {kind(value)}")
    refs = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            refs.append(MemberRef(ident(item, f"{path}[{i}]")))
            continue
        item = obj(item, f"{path}[{i}]")
        user_id = user_ref(item, f"{path}[{i}].")
        if user_id is None:
            raise InputError(f"{path}[{i}].user_id: is a required field")
        refs.append(MemberRef(user_id, string(item, "channel_role", f"{path}[{i}].", False)))
    return refs


# Channel update options of features the emulator does not serve: refused, never ignored.
UPDATE_NOT_EMULATED = ("accept_invite", "reject_invite", "add_filter_tags", "remove_filter_tags")


def member_changes(body: dict[str, Any]) -> MemberChanges:
    """The member options of a channel update other than add/remove_members."""
    for name in UPDATE_NOT_EMULATED:
        if body.get(name) not in (None, False, []):
            raise InputError(f"{name}: not emulated (invite answers and filter tags)")
    return MemberChanges(
        invites=member_refs(body.get("invites"), "invites"),
        add_moderators=str_list(body.get("add_moderators") or [], "add_moderators"),
        demote_moderators=str_list(body.get("demote_moderators") or [], "demote_moderators"),
        assign_roles=member_refs(body.get("assign_roles"), "assign_roles"))


CHANNEL_KEYS = ("members", "created_by", "created_by_id", "frozen", "team", "custom",
                "config_overrides", "disabled", "auto_translation_enabled",
                "auto_translation_language", "filter_tags")


def channel_data(value: Any, path: str = "data") -> ChannelData:
    body = obj(value or {}, path)
    creator = user_ref(body, f"{path}.", "created_by_id")
    if creator is None and body.get("created_by") is not None:
        creator = ident(obj(body["created_by"], f"{path}.created_by").get("id"),
                        f"{path}.created_by.id")
    frozen = body.get("frozen")
    if frozen is not None and not isinstance(frozen, bool):
        raise InputError(f"{path}.frozen: expected boolean, received {kind(frozen)}")
    custom = custom_data(body, CHANNEL_RESERVED | set(CHANNEL_KEYS) | {"user", "user_id"})
    if custom.get("name") is not None and not isinstance(custom["name"], str):
        raise InputError(f"{path}.name: expected string, received {kind(custom['name'])}")
    return ChannelData(custom, member_refs(body.get("members"), f"{path}.members"), creator,
                       frozen, string(body, "team", f"{path}.", False))


def messages_limit(body: dict[str, Any]) -> int:
    messages = opt_obj(body, "messages") or {}
    limit = integer(messages, "limit", "messages.", 0, 300)
    return 25 if limit is None else limit


# messages and reactions ---------------------------------------------------------------------
MESSAGE_KEYS = ("id", "text", "user", "user_id", "parent_id", "show_in_channel",
                "attachments", "mentioned_users", "pinned", "silent", "custom", "type", "html",
                "cid", "created_at", "updated_at", "quoted_message_id", "mml", "pin_expires",
                "restricted_visibility")


def message_data(value: Any, path: str = "message", user_id: str | None = None) -> MessageData:
    body = obj(value, path)
    author = user_ref(body, f"{path}.") or user_id
    if author is None:
        raise InputError(f"{path}.user: either user or user_id is required with server auth")
    text = body.get("text") or ""
    if not isinstance(text, str):
        raise InputError(f"{path}.text: expected string, received {kind(text)}")
    if len(text) > MAX_TEXT:
        raise MessageTooLongError(f"{path}.text: message is {len(text)} characters long; "
                                  f"the maximum is {MAX_TEXT}")
    attachments = body.get("attachments") or []
    if not isinstance(attachments, list):
        raise InputError(f"{path}.attachments: expected array, received {kind(attachments)}")
    for i, item in enumerate(attachments):
        obj(item, f"{path}.attachments[{i}]")
    mentioned = [m["id"] if isinstance(m, dict) and "id" in m else m
                 for m in body.get("mentioned_users") or []]
    _refuse_not_emulated(body, path)
    custom = custom_data(body, MESSAGE_RESERVED | set(MESSAGE_KEYS))
    message_id = body.get("id")
    return MessageData(
        user_id=author, text=text,
        id=ident(message_id, f"{path}.id") if message_id is not None else None,
        parent_id=string(body, "parent_id", f"{path}.", False),
        show_in_channel=boolean(body, "show_in_channel", f"{path}."),
        attachments=attachments, mentioned_users=str_list(mentioned, f"{path}.mentioned_users"),
        pinned=boolean(body, "pinned", f"{path}."), silent=boolean(body, "silent", f"{path}."),
        custom=custom, given=frozenset(body),
        restricted_visibility=str_list(body.get("restricted_visibility") or [],
                                       f"{path}.restricted_visibility"),
        system=body.get("type") == "system")


def _refuse_not_emulated(body: dict[str, Any], path: str) -> None:
    inline = {k: v for k, v in body.items() if k != "custom"}
    given = {**inline, **(body["custom"] if isinstance(body.get("custom"), dict) else {})}
    for name in MESSAGE_NOT_EMULATED:
        if given.get(name) is not None:
            raise InputError(f"{path}.{name}: {name} is a field of a Stream feature the "
                             "emulator does not serve (polls, reminders, drafts, live "
                             "locations, groups)")


def reaction_data(body: dict[str, Any], user_id: str | None = None) -> ReactionData:
    reaction = obj(body.get("reaction"), "reaction")
    author = user_ref(reaction, "reaction.") or user_id
    if author is None:
        raise InputError("reaction.user: either user or user_id is required with server auth")
    score = integer(reaction, "score", "reaction.", 0, 2**31)
    custom = custom_data(reaction, frozenset(("type", "score", "user", "user_id",
                                              "message_id", "created_at", "updated_at")))
    return ReactionData(ident(reaction.get("type"), "reaction.type"), author,
                        1 if score is None else score, custom)


def ban_data(body: dict[str, Any], cid: str | None) -> BanData:
    return BanData(
        target_id=ident(body.get("target_user_id"), "target_user_id"),
        by_id=user_ref(body, "", "banned_by_id", "user_id"), cid=cid,
        reason=string(body, "reason", required=False),
        timeout_minutes=integer(body, "timeout", low=1, high=10**7),
        shadow=boolean(body, "shadow"))


def pin_expiry(value: Any) -> int | None:
    """`pin_expires` of a partial update as µs: an RFC 3339 time, or a number of seconds
    from now (what stream-chat's `pin_message(expiration=…)` sends, as the JS SDK's
    timeout in seconds)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise InputError(f"pin_expires: expected seconds >= 0, received {value}")
        return time.time_ns() // 1000 + value * 1_000_000
    return timestamp_us({"pin_expires": value}, "pin_expires")
