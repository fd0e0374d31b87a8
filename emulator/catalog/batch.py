"""Many payloads of the caller's, checked as a whole before any is delivered.

`POST /_emulator/events {"events": [...]}` is all or nothing: the first bad payload rejects
the request, and the error names its index and the JSON path inside the request body.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..fields import json_type
from .registry import EventValidationError, get_registry

# One request carries at most this many events (and at most the 1 MiB body limit): enough for
# a simulator batch, small enough that one request never holds the dispatcher for long.
MAX_EVENTS_PER_REQUEST = 1000


class BatchEventError(InputError):
    """A payload of a batch is not valid; `index` says which one."""

    def __init__(self, index: int, detail: str):
        super().__init__(f"events[{index}]: {detail}")
        self.index = index


def check_events(events: Any, dialect: str) -> list[dict[str, Any]]:
    """The list itself, once every item is a schema-valid payload; else BatchEventError."""
    if not isinstance(events, list):
        raise InputError(f"events must be an array of event payloads, got {json_type(events)}")
    if not 1 <= len(events) <= MAX_EVENTS_PER_REQUEST:
        raise InputError(f"events must hold 1 to {MAX_EVENTS_PER_REQUEST} payloads, "
                         f"got {len(events)}")
    registry = get_registry()
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise BatchEventError(index, f"expected an event object at $.events[{index}], "
                                         f"got {json_type(event)}")
        try:
            registry.validate(event, dialect)
        except EventValidationError as exc:
            first = exc.violations[0]
            where = f"$.events[{index}]{first.path.removeprefix('$')}"
            more = f" (and {len(exc.violations) - 1} more)" if len(exc.violations) > 1 else ""
            raise BatchEventError(index, f"{exc.event_type} event ({dialect}) is invalid at "
                                         f"{where}: {first.message}{more}") from None
        except InputError as exc:  # an unknown event type
            raise BatchEventError(index, exc.detail) from None
    return events
