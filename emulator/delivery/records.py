"""Delivery records: one per (event, hook), immutable, serialized only at the edge.

`status` is a `Status`; `to_wire()` gives the control API's JSON object with plain strings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from typing import Any, NamedTuple


class Status(str, Enum):
    DELIVERED = "delivered"
    DROPPED_OVERSIZE = "dropped_oversize"  # over 256 KB: Stream drops it
    DENIED = "denied"  # the hook's credentials or the queue policy do not allow the send
    FAILED = "failed"  # bad URL, missing queue, endpoint down after the retries

    def __str__(self) -> str:  # Python 3.10's str(Enum) would give "Status.DELIVERED"
        return self.value


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
HOOK_TYPES: tuple[str, ...] = ("sqs", "sns", "webhook")  # hook types that deliver


class Outcome(NamedTuple):
    """What a sender reports for one event: the dispatcher turns it into a record.
    (Immutable; a NamedTuple for the same reason as DeliveryRecord.)"""

    status: Status
    reason: str = ""  # a human sentence for every status but delivered
    size_bytes: int = 0
    message_id: str | None = None
    attempts: int = 0  # sends tried; 0 when nothing was sent

    @classmethod
    def delivered(cls, size: int, message_id: str | None, attempts: int) -> Outcome:
        return cls(Status.DELIVERED, "", size, message_id, attempts)


class DeliveryRecord(NamedTuple):
    """Immutable. A NamedTuple, not a frozen dataclass: one is made per (event, hook), and a
    frozen dataclass's __init__ (one object.__setattr__ per field) cost ~3x as much."""

    id: str
    event_type: str
    hook_id: str
    hook_type: str
    target: str  # queue URL, topic ARN or webhook URL
    status: Status
    reason: str
    size_bytes: int
    message_id: str | None
    attempts: int
    at: str  # RFC 3339

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id, "event_type": self.event_type, "hook_id": self.hook_id,
            "hook_type": self.hook_type, "target": self.target, "status": self.status.value,
            "reason": self.reason, "size_bytes": self.size_bytes,
            "message_id": self.message_id, "attempts": self.attempts, "at": self.at,
        }


# uuid4's fixed bits, set on every 16th byte at C speed: version 4 in byte 6, variant 10xx
# in byte 8.
_VERSION_4 = bytes((b & 0x0F) | 0x40 for b in range(256))
_VARIANT = bytes((b & 0x3F) | 0x80 for b in range(256))


def new_record_ids(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as text, as `str(uuid.uuid4())` makes them, from one
    `os.urandom` call: several times cheaper than one uuid4() each."""
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = raw[6::16].translate(_VERSION_4)
    raw[8::16] = raw[8::16].translate(_VARIANT)
    h = raw.hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * count, 32)]


_id_pool: list[str] = []  # made 256 at a time; list.pop and extend are atomic under the GIL
os.register_at_fork(after_in_child=_id_pool.clear)  # a forked child draws ids of its own


def new_record_id() -> str:
    """One id of `new_record_ids`, from a pool refilled a batch at a time."""
    while True:
        try:
            return _id_pool.pop()
        except IndexError:
            _id_pool.extend(new_record_ids(256))


@dataclass(frozen=True, slots=True)
class PendingDelivery:
    """A delivery still being tried when a control API answer was sent (a webhook whose
    attempts had not ended): its record reaches the ledger when they end, with the id
    `record_id` (given out with the event, so a client can ask for exactly that record)."""

    event_type: str
    hook_id: str
    hook_type: str
    target: str
    record_id: str

    def to_wire(self) -> dict[str, Any]:
        return {"event_type": self.event_type, "hook_id": self.hook_id,
                "hook_type": self.hook_type, "target": self.target,
                "record_id": self.record_id}


@dataclass(frozen=True)
class DeliveryFilter:
    """`GET /_emulator/deliveries` filters; None = any. `limit` keeps the newest ones;
    `ids`: only the records with these ids (a `pending` answer's `record_id`s)."""

    event_type: str | None = None
    status: Status | None = None
    hook_id: str | None = None
    hook_type: str | None = None
    target: str | None = None
    limit: int | None = None
    ids: frozenset[str] | None = None

    def matches(self, record: DeliveryRecord) -> bool:
        return ((self.ids is None or record.id in self.ids)
                and (self.event_type is None or record.event_type == self.event_type)
                and (self.status is None or record.status is self.status)
                and (self.hook_id is None or record.hook_id == self.hook_id)
                and (self.hook_type is None or record.hook_type == self.hook_type)
                and (self.target is None or record.target == self.target))
