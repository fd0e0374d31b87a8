"""The chat state behind one lock, and the run of one call: state change → events, each
checked against its schema in the call's dialect before anything is delivered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..catalog.registry import get_registry
from .call import Call, Event
from .render import ChatRenderer
from .store import ChatStore

RENDERERS = {"v1": ChatRenderer(v2=False), "v2": ChatRenderer(v2=True)}


class ChatService:
    def __init__(self, lock: threading.RLock | None = None) -> None:
        self.store = ChatStore()
        # The backend's lock, shared with the generator (the world is one store).
        # Re-entrant: a call delivers its events while holding it, so concurrent calls'
        # events reach the hooks in the order their state changes happened.
        self.lock = lock or threading.RLock()

    def run(self, dialect: str, operation: Callable[..., dict[str, Any]], *args: Any,
            ) -> tuple[dict[str, Any], list[Event]]:
        """Call `operation(call, *args)`; the caller holds `lock` until it has delivered."""
        call = Call(self.store, RENDERERS[dialect], self.store.now())
        self.store.expire_pins(call.now)
        body = operation(call, *args)
        registry = get_registry()
        for event in call.events:
            registry.validate(event, dialect, event["type"])
        return body, call.events

    def attach(self, world: Any) -> None:
        with self.lock:
            self.store.attach(world)

    def reset(self) -> None:
        with self.lock:
            self.store.clear()

    def counts(self) -> dict[str, int]:
        with self.lock:
            return self.store.counts()
