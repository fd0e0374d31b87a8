"""User and moderation routes: v1 paths (stream-chat) and their `/api/v2` twins (getstream's
common and moderation clients). The v2 moderation bodies differ (`target_ids`, `entity_type`/
`entity_id`, `channel_cid`); each view reads both spellings."""

from __future__ import annotations

from flask import Blueprint, request

from . import chat_parse as parse
from . import chat_parse_content as content
from .chat_common import chat_operation, refuse_stream_literals
from .common import backend, json_body, with_duration

chat_users = Blueprint("chat_users", __name__)
refuse_stream_literals(chat_users, tuple(f"/users/{name}" for name in (
    "block", "unblock", "blocked", "deactivate", "reactivate", "restore", "live_locations")))
ENTITY_MESSAGE = "stream:chat:v1:message"
ENTITY_USER = "stream:user"


def _body() -> dict:
    return parse.obj(json_body(), "body")


@chat_users.post("/users")
@chat_operation("UpdateUsers")
def upsert_users(dialect: str):
    return with_duration(backend().chat_upsert_users(dialect, parse.upsert_users(_body())))


@chat_users.patch("/users")
@chat_operation("UpdateUsersPartial")
def update_users_partial(dialect: str):
    return with_duration(backend().chat_update_users_partial(
        dialect, parse.users_partial(_body())))


@chat_users.get("/users")
@chat_operation("QueryUsers")
def query_users(dialect: str):
    payload = parse.query_payload(request.args)
    body = parse.obj(payload, "payload")
    return with_duration(backend().chat_query_users(
        dialect, parse.query(body, 30), parse.boolean(body, "include_deactivated_users")))


@chat_users.post("/users/<user_id>/deactivate")
@chat_operation("DeactivateUser")
def deactivate_user(dialect: str, user_id: str):
    body = _body()
    return with_duration(backend().chat_deactivate_user(
        dialect, user_id, parse.string(body, "created_by_id", required=False),
        parse.boolean(body, "mark_messages_deleted")))


@chat_users.post("/users/<user_id>/reactivate")
@chat_operation("ReactivateUser")
def reactivate_user(dialect: str, user_id: str):
    body = _body()
    return with_duration(backend().chat_reactivate_user(
        dialect, user_id, parse.string(body, "created_by_id", required=False),
        parse.string(body, "name", required=False)))


@chat_users.delete("/users/<user_id>")
@chat_operation("DeleteUser")
def delete_user(dialect: str, user_id: str):
    args = request.args
    return with_duration(backend().chat_delete_user(
        dialect, user_id, parse.arg_flag(args, "hard_delete"),
        parse.arg_flag(args, "mark_messages_deleted"),
        parse.arg_flag(args, "delete_conversation_channels")))


@chat_users.post("/users/delete")
@chat_operation("DeleteUsers")
def delete_users(dialect: str):
    body = _body()
    user_ids = parse.str_list(body.get("user_ids"), "user_ids")
    if not user_ids:
        raise parse.InputError("user_ids: is a required field")
    modes = {}
    for name in ("user", "messages"):
        modes[name] = body.get(name)
        if modes[name] not in (None, "soft", "hard", "pruning"):
            raise parse.InputError(f"{name}: expected one of soft, hard, pruning, received "
                                   f"{str(modes[name])[:40]!r}")
    body_out = backend().chat_delete_users(
        dialect, user_ids, modes["user"] == "hard", modes["messages"] is not None,
        body.get("conversations") is not None)
    return with_duration(body_out)


@chat_users.post("/moderation/ban")
@chat_operation("Ban")
def ban_user(dialect: str):
    body = _body()
    return with_duration(backend().chat_ban_user(dialect, content.ban_data(body, _cid(body))))


@chat_users.delete("/moderation/ban")  # stream-chat: the query string names the ban
@chat_users.post("/moderation/unban")  # getstream: query string + body
@chat_operation("Unban")
def unban_user(dialect: str):
    args = dict(request.args.items())
    target = parse.ident(args.get("target_user_id"), "target_user_id")
    return with_duration(backend().chat_unban_user(
        dialect, target, _cid(args), parse.arg_flag(request.args, "shadow")))


def _cid(body: dict) -> str | None:
    if body.get("channel_cid"):
        return parse.cid_of(body["channel_cid"], "channel_cid")
    if body.get("type") or body.get("id"):
        return parse.cid_of(f"{body.get('type') or ''}:{body.get('id') or ''}", "type, id")
    return None


def _targets(body: dict) -> list[str]:
    if body.get("target_ids") is not None:
        targets = parse.str_list(body["target_ids"], "target_ids")
    else:
        targets = [parse.ident(body.get("target_id"), "target_id")]
    if not targets:
        raise parse.InputError("target_ids: expected at least one user id")
    return targets


@chat_users.post("/moderation/mute")
@chat_operation("MuteUser")
def mute_user(dialect: str):
    body = _body()
    return with_duration(backend().chat_mute_users(
        dialect, parse.required_user(body), _targets(body),
        parse.integer(body, "timeout", low=1, high=10**7), muted=True))


@chat_users.post("/moderation/unmute")
@chat_operation("UnmuteUser")
def unmute_user(dialect: str):
    body = _body()
    return with_duration(backend().chat_mute_users(
        dialect, parse.required_user(body), _targets(body), None, muted=False))


@chat_users.post("/moderation/flag")
@chat_operation("Flag")
def flag(dialect: str):
    body = _body()
    user_id = parse.required_user(body)
    reason = parse.string(body, "reason", required=False)
    entity = body.get("entity_type")
    if body.get("target_message_id") is not None or entity == ENTITY_MESSAGE:
        message_id = parse.ident(body.get("target_message_id") or body.get("entity_id"),
                                 "target_message_id")
        out = backend().chat_flag_message(dialect, message_id, user_id, reason)
    elif body.get("target_user_id") is not None or entity == ENTITY_USER:
        target = parse.ident(body.get("target_user_id") or body.get("entity_id"),
                             "target_user_id")
        out = backend().chat_flag_user(dialect, target, user_id, reason)
    else:
        raise parse.InputError("target_message_id: either target_message_id or "
                               "target_user_id is required")
    if dialect == "v2":  # getstream's FlagItemResponse: the review item's id
        out = {"item_id": out["flag"].get("target_message_id")
               or out["flag"].get("target_user_id")}
    return with_duration(out)
