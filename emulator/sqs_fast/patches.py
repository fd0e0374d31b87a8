"""Replacements for the O(depth) parts of moto's SQS ``Queue`` / ``SQSBackend`` (moto 5.2.x).

Each replacement is moto's own code with one change: where moto scans ``queue._messages``
(a list) we ask the queue's ``MessageStore`` index instead. Statement order, exceptions,
quirks (e.g. a message that fails the retention check is still marked received) are kept
as in moto, so observable behaviour is the same; the differential test
(tests/integration/test_sqs_fast_differential.py) checks that. ``install.py`` fingerprints
the moto functions these replace and refuses to install over any other version of them.

Locking: moto itself only locks the append + notify in ``add_message`` (``_messages_lock``, a
``Condition`` over an ``RLock``) and serves each HTTP request on its own werkzeug thread. The
store's OrderedDict must not change while a receive walks it, so every replacement that
reads or mutates the store holds the same ``_messages_lock``; it is re-entrant, so the
nested attribute reads of the receive path are fine. No two queue locks are ever held at
once (DLQ moves happen after the source lock is released), so there is no lock ordering.
"""

from __future__ import annotations

import functools
from copy import deepcopy
from typing import Any

from moto.sqs import models as m

from . import tracking
from .store import MessageStore

ORIGINALS: dict[str, Any] = {}  # filled by install.py: "Queue.add_message" -> moto's function

# Queue.attributes converts 14 attribute names on every send (~0.4 ms); the function is pure,
# so caching it changes nothing but the cost.
cached_camelcase_to_underscores = functools.lru_cache(maxsize=4096)(m.camelcase_to_underscores)


# -- Queue._messages: a data descriptor, so it wins over the instance __dict__ entry ----------
def _get_messages(self: Any) -> MessageStore:
    store = self.__dict__.get("_messages")
    if isinstance(store, MessageStore):
        return store
    # A queue created before install (or a list assigned behind our back): index it once.
    with self.__dict__["_messages_lock"]:
        store = self.__dict__.get("_messages")
        if not isinstance(store, MessageStore):
            store = MessageStore(store or ())
            self.__dict__["_messages"] = store
    return store


def _set_messages(self: Any, value: Any) -> None:
    # moto assigns plain lists: [] in __init__ and purge_queue, a filtered list elsewhere.
    self.__dict__["_messages"] = value if isinstance(value, MessageStore) else MessageStore(value)


messages_property = property(_get_messages, _set_messages)


# -- Approximate* counts: moto recounts every message on every read (send reads them too) ----
def _count(queue: Any, how: str) -> int:
    with queue._messages_lock:  # counting advances the store's heaps
        return getattr(queue._messages, how)()


approximate_number_of_messages = property(lambda self: _count(self, "count_available"))
approximate_number_of_messages_delayed = property(lambda self: _count(self, "count_delayed"))
approximate_number_of_messages_not_visible = property(
    lambda self: _count(self, "count_not_visible")
)


# -- Queue methods -----------------------------------------------------------------------------
def add_message(self: Any, message: Any) -> None:
    if self.lambda_event_source_mappings:
        # Lambda event source mappings are rare here and drive receives from inside
        # add_message: keep moto's own code for them (it works on the store as on a list).
        return ORIGINALS["Queue.add_message"](self, message)
    dedupe = self.fifo_queue and (
        self.attributes.get("ContentBasedDeduplication") == "true" or message.deduplication_id
    )
    with self._messages_lock:
        # moto: any message with the same dedup id sent < 5 min before -> silently dropped.
        if dedupe and self._messages.has_recent_duplicate(message, m.DEDUPLICATION_TIME_IN_SECONDS):
            return
        self._messages.append(message)
        # Only a long poll waits: Condition.notify_all costs ~1 µs even with no one to wake.
        # (_waiters is the Condition's list of waiters, read under the lock they register in.)
        if getattr(self._messages_lock, "_waiters", True):
            self._messages_lock.notify_all()
    tracking.note_activity()


def delete_message(self: Any, receipt_handle: str) -> None:
    if receipt_handle in self.deleted_messages:
        return  # moto: deleting again is fine
    with self._messages_lock:
        store = self._messages
        victims = store.holders(receipt_handle)  # moto: every message that ever had it
        if not victims:
            raise m.ReceiptHandleIsInvalid()
        for message in victims:
            self.pending_messages.discard(message)
            self.deleted_messages.update(message.all_receipt_handles)
            store.remove(message)


def wait_for_messages(self: Any, timeout: int) -> None:
    # moto's predicate is ``self.messages`` (a full list); only its truthiness is used.
    with self._messages_lock:
        self._messages_lock.wait_for(lambda: self._messages.has_available(), timeout=timeout)


# -- SQSBackend methods ------------------------------------------------------------------------
def receive_message(
    self: Any,
    queue_name: str,
    count: int,
    wait_seconds_timeout: int,
    visibility_timeout: int,
    message_attribute_names: list[str] | None = None,
) -> list[Any]:
    # moto's loop, verbatim but for the pass itself (_receive_pass) and the DLQ move.
    if message_attribute_names is None:
        message_attribute_names = []
    queue = self.get_queue(queue_name)
    result: list[Any] = []
    previous_result_count = len(result)

    polling_end = m.unix_time() + wait_seconds_timeout
    pending_groups = deepcopy(queue.pending_message_groups)

    while True:
        if result or (wait_seconds_timeout and m.unix_time() > polling_end):
            break
        with queue._messages_lock:
            to_dlq, pending_groups = _receive_pass(
                self, queue, queue_name, count, visibility_timeout,
                message_attribute_names, result, pending_groups,
            )  # fmt: skip
        _move_to_dlq(queue, to_dlq)

        if previous_result_count == len(result):
            if wait_seconds_timeout == 0:
                break
            queue.wait_for_messages(1)
            continue
        previous_result_count = len(result)
    tracking.note_activity()  # each received message left a tracked copy behind
    return result


def delete_queue(self: Any, queue_name: str) -> None:
    queue = self.queues.get(queue_name)
    ORIGINALS["SQSBackend.delete_queue"](self, queue_name)
    if queue is not None:
        tracking.release_messages(queue)


def _receive_pass(
    backend: Any,
    queue: Any,
    queue_name: str,
    count: int,
    visibility_timeout: int,
    attribute_names: list[str],
    result: list[Any],
    pending_groups: set[str],
) -> tuple[list[Any], set[str]]:
    """One pass of moto's ``for message in queue.messages`` loop; appends to ``result``."""
    to_dlq: list[Any] = []
    store: MessageStore = queue._messages
    for message in store.iter_available():  # moto: the full list ``queue.messages``
        if not message.visible:
            continue
        if message in queue.pending_messages:
            # Visible again although pending: the consumer timed out (moto's comment).
            queue.pending_messages.remove(message)
            pending_groups = deepcopy(queue.pending_message_groups)
        if message.group_id and queue.fifo_queue and message.group_id in pending_groups:
            continue
        if _due_for_dlq(queue, message):
            to_dlq.append(message)
            continue
        queue.pending_messages.add(message)
        message.mark_received(visibility_timeout=visibility_timeout)
        store.note_received(message)  # the one addition: index the new handle and visibility
        message_copy = deepcopy(message)
        m._filter_message_attributes(message_copy, attribute_names)
        if not backend.is_message_valid_based_on_retention_period(queue_name, message):
            break
        result.append(message_copy)
        if len(result) >= count:
            break
    return to_dlq, pending_groups


def _due_for_dlq(queue: Any, message: Any) -> bool:
    return bool(
        queue.dead_letter_queue is not None
        and queue.redrive_policy
        and message.approximate_receive_count >= queue.redrive_policy["maxReceiveCount"]
    )


def _move_to_dlq(queue: Any, messages: list[Any]) -> None:
    for message in messages:
        with queue._messages_lock:
            queue._messages.remove(message)
        # Outside the source lock: the DLQ takes its own, and we never hold two at once.
        queue.dead_letter_queue.add_message(message)


def change_message_visibility(
    self: Any, queue_name: str, receipt_handle: str, visibility_timeout: int
) -> None:
    queue = self.get_queue(queue_name)
    with queue._messages_lock:
        holders = queue._messages.holders(receipt_handle)  # moto: first in queue order
        if not holders:
            raise m.ReceiptHandleIsInvalid
        message = holders[0]
        visibility_timeout_msec = int(visibility_timeout) * 1000
        given_visibility_timeout = m.unix_time_millis() + visibility_timeout_msec
        if given_visibility_timeout - message.sent_timestamp > 43200 * 1000:
            raise m.InvalidParameterValue(
                f"Value {visibility_timeout} for parameter VisibilityTimeout is invalid. "
                "Reason: Total VisibilityTimeout for the message is beyond the limit "
                "[43200 seconds]"
            )
        message.change_visibility(visibility_timeout)
        queue._messages.track(message)
        if message.visible and message in queue.pending_messages:
            queue.pending_messages.remove(message)
