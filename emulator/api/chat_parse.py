"""Request bodies of the chat calls → the chat operations' typed inputs (emulator/chat/inputs).

Every rejection is Stream's input error (400, code 4) naming the JSON path, the expected and
the received value; nothing is changed by a rejected call.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from ..chat.inputs import (
    USER_FIELDS,
    USER_RESERVED,
    PartialUpdate,
    Query,
    UserData,
)
from ..errors import InputError

MAX_TEXT = 5000  # Stream's default maximum message length
MAX_ID = 255
MAX_BATCH = 100  # users per upsert / partial update (Stream's documented batch size)


class MessageTooLongError(InputError):
    code = 20


def kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{path}: expected object, received {kind(value)}")
    return value


def opt_obj(body: dict[str, Any], name: str, path: str = "") -> dict[str, Any] | None:
    value = body.get(name)
    return None if value is None else obj(value, f"{path}{name}")


def string(body: dict[str, Any], name: str, path: str = "", required: bool = True,
           ) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise InputError(f"{path}{name}: is a required field")
        return None
    if not isinstance(value, str):
        raise InputError(f"{path}{name}: expected string, received {kind(value)}")
    return value


def ident(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise InputError(f"{path}: expected a non-empty string, received {kind(value)}")
    if len(value) > MAX_ID or any(c in value for c in " ,*/%"):
        raise InputError(f"{path}: {value[:40]!r} is not a valid id (at most {MAX_ID} "
                         "characters, no spaces, commas, '*', '/' or '%')")
    return value


def boolean(body: dict[str, Any], name: str, path: str = "") -> bool:
    value = body.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InputError(f"{path}{name}: expected boolean, received {kind(value)}")
    return value


def integer(body: dict[str, Any], name: str, path: str = "", low: int = 0,
            high: int = 2**31) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(f"{path}{name}: expected an integer from {low} to {high}, "
                         f"received {value!r}")
    return value


_FRACTION = re.compile(r"(\.\d{6})\d+")


def timestamp_us(body: dict[str, Any], name: str) -> int | None:
    """A time in a body as µs since the epoch: RFC 3339 (stream-chat, getstream's datetimes)
    or integer Unix nanoseconds (the v2 wire form)."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value // 1000
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(_FRACTION.sub(r"\1", value))
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                return int(moment.timestamp()) * 1_000_000 + moment.microsecond
    raise InputError(f"{name}: expected an RFC 3339 time with its offset or Unix "
                     f"nanoseconds, received {str(value)[:40]!r}")


def str_list(value: Any, path: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{path}: expected array, received {kind(value)}")
    return [ident(item, f"{path}[{i}]") for i, item in enumerate(value)]


def arg_flag(args: Any, name: str) -> bool:
    """A boolean query parameter as the SDKs send it (`true`/`false`, `True`, `1`)."""
    value = args.get(name)
    if value is None or value == "":
        return False
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise InputError(f"{name}: expected true or false, received {value[:40]!r}")


def user_ref(body: dict[str, Any], path: str = "", *names: str) -> str | None:
    """A user named by `user_id`, or `user: {id}` (what the SDKs send)."""
    for name in names or ("user_id",):
        if body.get(name) is not None:
            return ident(body[name], f"{path}{name}")
    user = body.get("user")
    if user is not None:
        return ident(obj(user, f"{path}user").get("id"), f"{path}user.id")
    return None


def required_user(body: dict[str, Any], *names: str) -> str:
    """The acting user of a moderation call: `user_id` (or `user: {id}`), required."""
    user_id = user_ref(body, "", *names)
    if user_id is None:
        raise InputError("user_id: is a required field")
    return user_id


# users --------------------------------------------------------------------------------------
def _check_user_values(values: dict[str, Any], path: str) -> None:
    for name in ("name", "image", "role", "language"):
        if values.get(name) is not None and not isinstance(values[name], str):
            raise InputError(f"{path}{name}: expected string, received {kind(values[name])}")
    if values.get("teams") is not None:
        str_list(values["teams"], f"{path}teams")
    roles = values.get("teams_role")
    if roles is not None and not (isinstance(roles, dict)
                                  and all(isinstance(r, str) for r in roles.values())):
        raise InputError(f"{path}teams_role: expected an object of team → role strings, "
                         f"received {kind(roles)}")
    if values.get("privacy_settings") is not None:
        obj(values["privacy_settings"], f"{path}privacy_settings")


def user_data(value: Any, path: str) -> UserData:
    body = obj(value, path)
    user_id = ident(body.get("id"), f"{path}.id")
    _check_user_values(body, f"{path}.")
    fields = {k: body[k] for k in USER_FIELDS if body.get(k) is not None}
    return UserData(user_id, fields, custom_data(body, USER_RESERVED | set(USER_FIELDS)))


def custom_data(body: dict[str, Any], reserved: frozenset[str] | set[str]) -> dict[str, Any]:
    """Custom fields: inline (stream-chat) or in a `custom` map (getstream); names the
    emulator writes itself are left out."""
    merged = {k: v for k, v in body.items() if k != "custom"}
    if isinstance(body.get("custom"), dict):
        merged.update(body["custom"])
    return {k: v for k, v in merged.items() if k not in reserved}


def check_set(update: PartialUpdate, reserved: frozenset[str], path: str) -> PartialUpdate:
    for name in [*update.set, *update.unset]:
        if name in reserved:
            raise InputError(f"{path}.set.{name}: {name} cannot be set by a partial update")
    return update


def upsert_users(body: dict[str, Any]) -> list[UserData]:
    users = body.get("users")
    if isinstance(users, dict):  # stream-chat and getstream send {id: user}
        items = [(f"users.{key}", value) for key, value in users.items()]
    elif isinstance(users, list):
        items = [(f"users[{i}]", value) for i, value in enumerate(users)]
    else:
        raise InputError(f"users: expected object keyed by user id, received {kind(users)}")
    if not items or len(items) > MAX_BATCH:
        raise InputError(f"users: expected 1 to {MAX_BATCH} users, received {len(items)}")
    parsed = [user_data(value, path) for path, value in items]
    if isinstance(users, dict):
        for (key, _), data in zip(users.items(), parsed, strict=True):
            if key != data.id:
                raise InputError(f"users.{key}.id: expected {key!r} (its key), "
                                 f"received {data.id!r}")
    return parsed


def partial(value: Any, path: str, id_field: str | None = "id") -> PartialUpdate:
    body = obj(value, path)
    target = ident(body.get(id_field), f"{path}.{id_field}") if id_field else ""
    to_set = obj(body.get("set") or {}, f"{path}.set")
    unset = body.get("unset") or []
    if not isinstance(unset, list) or not all(isinstance(u, str) for u in unset):
        raise InputError(f"{path}.unset: expected an array of field names")
    if "id" in to_set or "id" in unset:
        raise InputError(f"{path}.set: id cannot be changed")
    return PartialUpdate(target, dict(to_set), list(unset))


def users_partial(body: dict[str, Any]) -> list[PartialUpdate]:
    users = body.get("users")
    if not isinstance(users, list) or not 1 <= len(users) <= MAX_BATCH:
        raise InputError(f"users: expected an array of 1 to {MAX_BATCH} updates, "
                         f"received {kind(users)}")
    updates = [check_set(partial(u, f"users[{i}]"), USER_RESERVED, f"users[{i}]")
               for i, u in enumerate(users)]
    for i, update in enumerate(updates):
        _check_user_values(update.set, f"users[{i}].set.")
    return updates


def query(payload: Any, default_limit: int, filter_name: str = "filter_conditions") -> Query:
    body = obj(payload, "payload")
    conditions = obj(body.get(filter_name) or {}, filter_name)
    sort = []
    raw_sort = body.get("sort") or []
    if not isinstance(raw_sort, list):
        raise InputError(f"sort: expected array, received {kind(raw_sort)}")
    for i, item in enumerate(raw_sort):
        item = obj(item, f"sort[{i}]")
        direction = item.get("direction", 1)
        if direction not in (1, -1):
            raise InputError(f"sort[{i}].direction: expected 1 or -1, received {direction!r}")
        sort.append((string(item, "field", f"sort[{i}]."), direction))
    limit = integer(body, "limit", low=0, high=10_000)
    offset = integer(body, "offset", low=0, high=10_000) or 0
    return Query(conditions, sort, default_limit if limit is None else limit, offset)


def query_payload(args: Any) -> Any:
    """GET queries carry their JSON in `?payload=` (stream-chat, getstream)."""
    raw = args.get("payload")
    if raw is None:
        return {}
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise InputError(f"payload: invalid JSON ({exc})") from None


def cid_of(value: Any, path: str) -> str:
    if not isinstance(value, str) or ":" not in value:
        raise InputError(f"{path}: expected a channel cid like messaging:general, "
                         f"received {str(value)[:40]!r}")
    return value
