"""Keep moto's instance tracker to what is alive, so memory stays bounded.

moto's ``BaseModel.__new__`` appends every ``Message`` it creates to
``Message.instances_tracked`` -- every message sent and every copy a ReceiveMessage makes --
and only ``/moto-api/data.json`` reads that list, until a moto reset. A long-running emulator
would keep every body ever sent. While the speed-ups are installed, messages that are in no
queue any more (deleted, purged, expired, receive copies) are dropped from the tracker now and
then; ``/moto-api/data.json`` still lists every queue and every message that is in a queue.
Deleted queues stay tracked as moto has them, but give their messages up.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from moto.sqs import models as m

CHECK_EVERY = 1024  # adds/receives between two looks at the tracker's size (O(queues) each)
SLACK = 4096  # dead entries tolerated before a trim (a trim is O(tracked + live))
RECENT = 256  # newest entries never trimmed: a Message being built is not in its queue yet

_calls = itertools.count(1)
_trim_lock = threading.Lock()


def note_activity() -> None:
    """Called by the patched add/receive paths; trims once in a while."""
    if next(_calls) % CHECK_EVERY == 0:
        trim()


def trim(*, force: bool = False, recent: int = RECENT) -> int:
    """Drop tracked messages that are in no queue (when there are enough of them to be worth
    it, or ``force``); returns how many were dropped."""
    if not _trim_lock.acquire(blocking=False):
        return 0  # another thread is trimming
    try:
        tracked: list[Any] = m.Message.instances_tracked
        queues = all_queues()
        if not force and len(tracked) <= 2 * sum(len(_store(q)) for q in queues) + SLACK:
            return 0
        upto = max(0, len(tracked) - recent)
        alive = set()
        for queue in queues:
            with queue._messages_lock:
                alive.update(id(message) for message in _store(queue))
        kept = [message for message in tracked[:upto] if id(message) in alive]
        # One slice assignment: entries appended meanwhile (after `upto`) stay as they are.
        tracked[:upto] = kept
        return upto - len(kept)
    finally:
        _trim_lock.release()


def release_messages(queue: Any) -> None:
    """A deleted queue keeps its tracker entry (as in moto) but not its messages."""
    with queue._messages_lock:
        queue._messages = []
        queue.pending_messages.clear()


def all_queues() -> list[Any]:
    # BackendDict / AccountSpecificBackend are dicts; .values() never creates backends.
    return [
        queue
        for account in list(m.sqs_backends.values())
        for backend in list(account.values())
        for queue in list(backend.queues.values())
    ]


def _store(queue: Any) -> Any:
    return queue.__dict__.get("_messages") or ()
