"""Chat routes of channels, members, messages and reactions: v1 paths (stream-chat SDKs) and
their `/api/v2/chat` twins (getstream SDK). One blueprint, registered once per family; the
family's dialect (`v1` RFC 3339, `v2` Unix ns) comes in as the `dialect` URL default.

Views parse and call the backend only (emulator/chat/operations.py holds the behaviour).
"""

from __future__ import annotations

from flask import Blueprint, request

from ..chat import inputs
from . import chat_parse as parse
from . import chat_parse_content as content
from .chat_common import chat_operation
from .common import backend, json_body, with_duration

chat = Blueprint("chat", __name__)
CHANNEL = "/channels/<channel_type>/<channel_id>"


def _body() -> dict:
    return parse.obj(json_body(), "body")


@chat.post("/channels/<channel_type>/query")
@chat.post(f"{CHANNEL}/query")
@chat_operation("GetOrCreateChannel")
def query_channel(dialect: str, channel_type: str, channel_id: str | None = None):
    body = _body()
    data = content.channel_data(body.get("data"))
    if data.created_by_id is None:
        creator = parse.user_ref(body)
        data = inputs.ChannelData(data.custom, data.members, creator, data.frozen, data.team)
    return with_duration(backend().chat_query_channel(
        dialect, parse.ident(channel_type, "type"),
        None if channel_id is None else parse.ident(channel_id, "id"),
        data, content.messages_limit(body)))


@chat.post("/channels")
@chat_operation("QueryChannels")
def query_channels(dialect: str):
    body = _body()
    return with_duration(backend().chat_query_channels(
        dialect, parse.query(body, 10), content.messages_limit(body), parse.user_ref(body)))


@chat.post(CHANNEL)
@chat_operation("UpdateChannel")
def update_channel(dialect: str, channel_type: str, channel_id: str):
    body = _body()
    data = content.channel_data(body["data"]) if body.get("data") is not None else None
    add = content.member_refs(body.get("add_members"), "add_members")
    remove = [ref.user_id for ref in content.member_refs(body.get("remove_members"),
                                                       "remove_members")]
    message = (content.message_data(body["message"], "message", parse.user_ref(body))
               if body.get("message") is not None else None)
    return with_duration(backend().chat_update_channel(
        dialect, channel_type, channel_id, data, add, remove, message,
        content.member_changes(body)))


@chat.patch(CHANNEL)
@chat_operation("UpdateChannelPartial")
def update_channel_partial(dialect: str, channel_type: str, channel_id: str):
    update = parse.check_set(parse.partial(_body(), "body", id_field=None),
                             inputs.CHANNEL_RESERVED, "body")
    content.check_channel_values(update.set)
    return with_duration(backend().chat_update_channel_partial(
        dialect, channel_type, channel_id, update))


@chat.delete(CHANNEL)
@chat_operation("DeleteChannel")
def delete_channel(dialect: str, channel_type: str, channel_id: str):
    parse.arg_flag(request.args, "hard_delete")  # soft and hard both drop it here
    return with_duration(backend().chat_delete_channel(dialect, channel_type, channel_id))


@chat.post(f"{CHANNEL}/truncate")
@chat_operation("TruncateChannel")
def truncate_channel(dialect: str, channel_type: str, channel_id: str):
    body = _body()
    return with_duration(backend().chat_truncate_channel(
        dialect, channel_type, channel_id, parse.user_ref(body)))


@chat.post(f"{CHANNEL}/hide")
@chat_operation("HideChannel")
def hide_channel(dialect: str, channel_type: str, channel_id: str):
    body = _body()
    return with_duration(backend().chat_hide_channel(
        dialect, channel_type, channel_id, parse.required_user(body),
        parse.boolean(body, "clear_history"), hidden=True))


@chat.post(f"{CHANNEL}/show")
@chat_operation("ShowChannel")
def show_channel(dialect: str, channel_type: str, channel_id: str):
    return with_duration(backend().chat_hide_channel(
        dialect, channel_type, channel_id, parse.required_user(_body()), False, hidden=False))


@chat.post("/moderation/mute/channel")
@chat_operation("MuteChannel")
def mute_channel(dialect: str):
    body = _body()
    return with_duration(backend().chat_mute_channels(
        dialect, _cids(body), parse.required_user(body),
        parse.integer(body, "expiration", low=1, high=10**12), muted=True))


@chat.post("/moderation/unmute/channel")
@chat_operation("UnmuteChannel")
def unmute_channel(dialect: str):
    body = _body()
    return with_duration(backend().chat_mute_channels(
        dialect, _cids(body), parse.required_user(body), None, muted=False))


def _cids(body: dict) -> list[str]:
    if body.get("channel_cids") is not None:  # getstream
        raw = body["channel_cids"]
        if not isinstance(raw, list) or not raw:
            raise parse.InputError("channel_cids: expected a non-empty array of cids")
        return [parse.cid_of(c, f"channel_cids[{i}]") for i, c in enumerate(raw)]
    return [parse.cid_of(body.get("channel_cid"), "channel_cid")]


@chat.patch(f"{CHANNEL}/member/<user_id>")  # stream-chat
@chat.patch(f"{CHANNEL}/member")  # getstream: ?user_id=
@chat_operation("UpdateMemberPartial")
def update_member_partial(dialect: str, channel_type: str, channel_id: str,
                          user_id: str | None = None):
    target = parse.ident(user_id or request.args.get("user_id"), "user_id")
    update = parse.check_set(parse.partial(_body(), "body", id_field=None),
                             inputs.MEMBER_RESERVED, "body")
    return with_duration(backend().chat_update_member_partial(
        dialect, channel_type, channel_id, inputs.PartialUpdate(target, update.set,
                                                               update.unset)))


@chat.post(f"{CHANNEL}/read")
@chat_operation("MarkRead")
def mark_read(dialect: str, channel_type: str, channel_id: str):
    body = _body()
    return with_duration(backend().chat_mark_read(
        dialect, channel_type, channel_id, parse.required_user(body),
        parse.string(body, "message_id", required=False)))


@chat.post(f"{CHANNEL}/unread")
@chat_operation("MarkUnread")
def mark_unread(dialect: str, channel_type: str, channel_id: str):
    body = _body()
    if body.get("thread_id") is not None:
        raise parse.InputError("thread_id: marking a thread unread is not emulated; "
                               "use message_id or message_timestamp")
    message_id = parse.string(body, "message_id", required=False)
    since = parse.timestamp_us(body, "message_timestamp")
    if (message_id is None) == (since is None):
        raise parse.InputError("message_id: give either message_id or message_timestamp")
    return with_duration(backend().chat_mark_unread(
        dialect, channel_type, channel_id, parse.required_user(body), message_id, since))
