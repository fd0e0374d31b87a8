"""Paths of the chat calls (emulator/api/chat*.py): v1 and their /api/v2 twins.

Bodies are described loosely (Stream's request objects carry free-form custom data); answers
name the fields the emulator always writes. 404 (code 16) is a missing channel, message or
user; POST answers 201, the other methods 200 (as Stream's spec lists them).
"""

from __future__ import annotations

from typing import Any

from .components import AUTH_ERRORS, BODY_ERRORS, error_refs, json_content, ok

OBJ: dict[str, Any] = {"type": "object"}
CH = "/channels/{channel_type}/{channel_id}"
NOT_FOUND = {"404": "NotFound"}
KINDS: dict[str, Any] = {
    **{name: OBJ for name in ("channel", "message", "reaction", "user", "channel_member")},
    "users": {"type": ["object", "array"], "description": "keyed by id (upserts), or a list"},
    "task_id": {"type": "string"},
}


def _answer(*required: str) -> dict[str, Any]:
    props = {name: KINDS.get(name, {"type": "array"}) for name in required}
    return {"type": "object", "required": ["duration", *required],
            "properties": {"duration": {"type": "string"}, **props},
            "additionalProperties": True}


def _string(name: str, where: str = "query", required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path",
            "schema": {"type": "string"}}


# (method, v1 path, family, operationId, summary, body?, answer fields, query params)
Row = tuple[str, str, str, str, str, bool, tuple[str, ...], tuple[str, ...]]
ROWS: list[Row] = [
    ("post", "/users", "users", "UpdateUsers", "Upsert users", True, ("users",), ()),
    ("patch", "/users", "users", "UpdateUsersPartial", "Partially update users", True,
     ("users",), ()),
    ("get", "/users", "users", "QueryUsers", "Query users", False, ("users",), ("payload",)),
    ("post", "/users/{user_id}/deactivate", "users", "DeactivateUser", "Deactivate a user",
     True, ("user",), ()),
    ("post", "/users/{user_id}/reactivate", "users", "ReactivateUser", "Reactivate a user",
     True, ("user",), ()),
    ("delete", "/users/{user_id}", "users", "DeleteUser", "Delete a user", False, ("user",),
     ("hard_delete", "mark_messages_deleted", "delete_conversation_channels")),
    ("post", "/users/delete", "users", "DeleteUsers", "Delete users (done at once)", True,
     ("task_id",), ()),
    ("post", "/moderation/ban", "users", "Ban", "Ban a user", True, (), ()),
    ("delete", "/moderation/ban", "users", "Unban", "Unban a user (stream-chat)", False,
     (), ("target_user_id", "type", "id", "channel_cid", "shadow")),
    ("post", "/moderation/unban", "users", "UnbanUserPost", "Unban a user (getstream)", True,
     (), ("target_user_id", "channel_cid", "created_by")),
    ("post", "/moderation/mute", "users", "MuteUser", "Mute users", True, (), ()),
    ("post", "/moderation/unmute", "users", "UnmuteUser", "Unmute users", True, (), ()),
    ("post", "/moderation/flag", "users", "Flag", "Flag a message or a user", True, (), ()),
    ("post", "/channels", "chat", "QueryChannels", "Query channels", True, ("channels",), ()),
    ("post", "/channels/{channel_type}/query", "chat", "GetOrCreateDistinctChannel",
     "Get or create the channel of these members", True, ("channel", "members"), ()),
    ("post", f"{CH}/query", "chat", "GetOrCreateChannel", "Get or create a channel", True,
     ("channel", "members", "messages"), ()),
    ("post", CH, "chat", "UpdateChannel", "Update a channel, add or remove members", True,
     ("channel", "members"), ()),
    ("patch", CH, "chat", "UpdateChannelPartial", "Partially update a channel", True,
     ("channel", "members"), ()),
    ("delete", CH, "chat", "DeleteChannel", "Delete a channel", False, ("channel",),
     ("hard_delete",)),
    ("post", f"{CH}/truncate", "chat", "TruncateChannel", "Truncate a channel", True,
     ("channel",), ()),
    ("post", f"{CH}/hide", "chat", "HideChannel", "Hide a channel for a member", True, (), ()),
    ("post", f"{CH}/show", "chat", "ShowChannel", "Show a hidden channel", True, (), ()),
    ("patch", f"{CH}/member", "chat", "UpdateMemberPartial", "Partially update a member",
     True, ("channel_member",), ("user_id",)),
    ("patch", f"{CH}/member/{{user_id}}", "chat", "UpdateMemberPartialByPath",
     "Partially update a member (stream-chat's path)", True, ("channel_member",), ()),
    ("post", f"{CH}/read", "chat", "MarkRead", "Mark a channel read", True, (), ()),
    ("post", f"{CH}/unread", "chat", "MarkUnread", "Mark a channel unread from a message",
     True, (), ()),
    ("post", "/moderation/mute/channel", "chat", "MuteChannel", "Mute channels", True, (), ()),
    ("post", "/moderation/unmute/channel", "chat", "UnmuteChannel", "Unmute channels", True,
     (), ()),
    ("post", f"{CH}/message", "chat", "SendMessage", "Send a message (or a reply)", True,
     ("message",), ()),
    ("get", "/messages/{message_id}", "chat", "GetMessage", "Get a message", False,
     ("message",), ()),
    ("post", "/messages/{message_id}", "chat", "UpdateMessage", "Update a message", True,
     ("message",), ()),
    ("put", "/messages/{message_id}", "chat", "UpdateMessagePartial",
     "Partially update a message", True, ("message",), ()),
    ("delete", "/messages/{message_id}", "chat", "DeleteMessage", "Delete a message", False,
     ("message",), ("hard",)),
    ("post", "/messages/{message_id}/reaction", "chat", "SendReaction", "Send a reaction",
     True, ("message", "reaction"), ()),
    ("delete", "/messages/{message_id}/reaction/{reaction_type}", "chat", "DeleteReaction",
     "Delete a reaction", False, ("message", "reaction"), ("user_id",)),
]
V2_PREFIX = {"users": "/api/v2", "chat": "/api/v2/chat"}


def _operation(row: Row, path: str, suffix: str) -> dict[str, Any]:
    method, _, _, op_id, summary, body, fields, query = row
    status = "201" if method == "post" else "200"
    params = [_string(name, "path") for name in _path_names(path)]
    params += [_string(name) for name in query]
    op: dict[str, Any] = {
        "operationId": f"{op_id}{suffix}", "tags": ["Chat API"], "summary": summary,
        "responses": {status: ok("Done", _answer(*fields)),
                      **error_refs(BODY_ERRORS, AUTH_ERRORS, NOT_FOUND)},
    }
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = {"required": False, "content": json_content(OBJ)}
    return op


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def chat_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for row in ROWS:
        for prefix, suffix in (("", ""), (V2_PREFIX[row[2]], "V2")):
            path = prefix + row[1]
            paths.setdefault(path, {})[row[0]] = _operation(row, path, suffix)
    return paths
