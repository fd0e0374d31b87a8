"""One chat call in progress: the store, the renderer of the call's dialect, the call's time and
the events it causes (in the order Stream sends them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..events.entities import User
from .render import ChatRenderer
from .store import ChatStore

Event = dict[str, Any]


@dataclass
class Call:
    store: ChatStore
    r: ChatRenderer
    now: int
    events: list[Event] = field(default_factory=list)

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def ts(self, us: int | None) -> Any:
        return None if us is None else self.r.ts(us)

    def known_user(self, user_id: str, field_name: str) -> User:
        """A user a body refers to: unknown → input error naming the field (code 4)."""
        user = self.store.users.get(user_id)
        if user is None or user.deleted is not None:
            raise InputError(f"{field_name}: user {user_id!r} does not exist; "
                             "create it first (upsert_user)")
        return user
