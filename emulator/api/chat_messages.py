"""Chat routes of messages and reactions (v1 and `/api/v2/chat`, as in api/chat.py)."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, request

from ..chat import inputs
from . import chat_parse as parse
from . import chat_parse_content as content
from .chat_common import chat_operation, refuse_stream_literals
from .common import backend, json_body, with_duration

chat_messages = Blueprint("chat_messages", __name__)
refuse_stream_literals(chat_messages, ("/messages/history",))


def _body() -> dict:
    return parse.obj(json_body(), "body")


@chat_messages.post("/channels/<channel_type>/<channel_id>/message")
@chat_operation("SendMessage")
def send_message(dialect: str, channel_type: str, channel_id: str):
    body = _body()
    data = content.message_data(body.get("message"), "message", parse.user_ref(body))
    data = replace(data, keep_channel_hidden=parse.boolean(body, "keep_channel_hidden"))
    return with_duration(backend().chat_send_message(dialect, channel_type, channel_id, data))


@chat_messages.get("/messages/<message_id>")
@chat_operation("GetMessage")
def get_message(dialect: str, message_id: str):
    return with_duration(backend().chat_get_message(dialect, message_id))


@chat_messages.post("/messages/<message_id>")
@chat_operation("UpdateMessage")
def update_message(dialect: str, message_id: str):
    body = _body()
    data = content.message_data(body.get("message"), "message", parse.user_ref(body))
    if data.id is not None and data.id != message_id:
        raise parse.InputError(f"message.id: expected {message_id!r} (the path's id), "
                               f"received {data.id!r}")
    return with_duration(backend().chat_update_message(dialect, message_id, data))


@chat_messages.put("/messages/<message_id>")
@chat_operation("UpdateMessagePartial")
def update_message_partial(dialect: str, message_id: str):
    body = _body()
    settable = (inputs.MESSAGE_RESERVED - {"pin_expires"}) | set(inputs.MESSAGE_NOT_EMULATED)
    update = parse.check_set(parse.partial(body, "body", id_field=None), settable, "body")
    content.check_message_values(update.set)
    if "pin_expires" in update.set:
        update.set["pin_expires"] = content.pin_expiry(update.set["pin_expires"])
    user_id = parse.user_ref(body) or ""
    return with_duration(backend().chat_update_message_partial(
        dialect, message_id, inputs.PartialUpdate(user_id, update.set, update.unset)))


@chat_messages.delete("/messages/<message_id>")
@chat_operation("DeleteMessage")
def delete_message(dialect: str, message_id: str):
    hard = parse.arg_flag(request.args, "hard")
    return with_duration(backend().chat_delete_message(dialect, message_id, hard))


@chat_messages.post("/messages/<message_id>/reaction")
@chat_operation("SendReaction")
def send_reaction(dialect: str, message_id: str):
    body = _body()
    data = content.reaction_data(body, parse.user_ref(body))
    return with_duration(backend().chat_send_reaction(
        dialect, message_id, data, parse.boolean(body, "enforce_unique")))


@chat_messages.delete("/messages/<message_id>/reaction/<reaction_type>")
@chat_operation("DeleteReaction")
def delete_reaction(dialect: str, message_id: str, reaction_type: str):
    user_id = parse.ident(request.args.get("user_id"), "user_id")
    return with_duration(backend().chat_delete_reaction(
        dialect, message_id, reaction_type, user_id))
