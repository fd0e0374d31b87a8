"""``MessageStore``: what a sped-up ``Queue._messages`` holds instead of a plain list.

It keeps moto's list semantics that matter (insertion order, append, remove, iteration,
``len``) on an ``OrderedDict`` (O(1) removal anywhere; its linked list keeps iteration from the
head O(1) after many removals, unlike a plain dict) and adds the indexes moto lacks:
receipt handle -> messages, deduplication id -> messages, and three ``ThresholdCounter``s for
the Approximate* counts. Callers that mutate it hold the queue's ``_messages_lock``.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from moto.sqs import models as sqs_models

from .tracker import ThresholdCounter

Message = Any  # moto.sqs.models.Message; kept loose so the store never imports it eagerly


def now_ms() -> float:
    # Looked up on the module at call time, like moto's own Message.visible does, so a test that
    # patches ``moto.sqs.models.unix_time_millis`` moves moto and our counters together.
    return sqs_models.unix_time_millis()


class MessageStore:
    """Ordered messages of one queue plus the indexes that make per-message work O(1)-ish."""

    def __init__(self, messages: Iterable[Message] = ()) -> None:
        self._order: OrderedDict[Message, int] = OrderedDict()  # message -> position
        self._pos = itertools.count()
        # key -> {message: None}; dicts so removal is O(1) even for a key many messages share
        self._by_handle: dict[str, dict[Message, None]] = {}
        # None included: moto compares dedup ids with ==, so None matches None (a standard
        # queue's messages redriven into a content-deduplicating FIFO DLQ).
        self._by_dedup: dict[Any, dict[Message, None]] = {}
        self._reset_counters(now_ms())
        for message in messages:
            self.append(message)

    # -- list protocol (what moto's own code and any other reader of _messages uses) ----------
    def __iter__(self) -> Iterator[Message]:
        # A snapshot, like iterating a list another thread appends to never raises.
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, message: object) -> bool:
        return message in self._order

    def __getitem__(self, index: Any) -> Any:
        return list(self._order)[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, MessageStore)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like list

    def __repr__(self) -> str:
        return f"MessageStore({list(self._order)!r})"

    def append(self, message: Message) -> None:
        if message in self._order:  # a list would hold it twice; moto never does that
            self.remove(message)
        self._order[message] = next(self._pos)
        for handle in message.all_receipt_handles:
            self._index_handle(handle, message)
        self._by_dedup.setdefault(message.deduplication_id, {})[message] = None
        if message.visible_at or message.delayed_until:
            self.track(message)
        # else (a message just sent without delay): both thresholds are 0.0, past for every
        # clock reading, which is what registering them would find; a clock that went back is
        # caught by the next count or track as ever.

    def extend(self, messages: Iterable[Message]) -> None:
        for message in messages:
            self.append(message)

    def remove(self, message: Message) -> None:
        if message not in self._order:
            raise ValueError("MessageStore.remove(x): x not in store")
        del self._order[message]
        for handle in set(message.all_receipt_handles):
            self._unindex(self._by_handle, handle, message)
        self._unindex(self._by_dedup, message.deduplication_id, message)
        for counter in self._counters():
            counter.discard(message)

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    # -- indexes ---------------------------------------------------------------------------
    def _index_handle(self, handle: str | None, message: Message) -> None:
        if handle is None:  # moto keeps the initial None among the old handles
            return
        self._by_handle.setdefault(handle, {})[message] = None

    @staticmethod
    def _unindex(index: dict[Any, dict[Message, None]], key: Any, message: Message) -> None:
        holders = index.get(key)
        if holders is None:
            return
        holders.pop(message, None)
        if not holders:
            del index[key]

    def note_received(self, message: Message) -> None:
        """``mark_received`` gave ``message`` a new handle and visibility: index both."""
        self._index_handle(message.receipt_handle, message)
        self.track(message)

    def holders(self, receipt_handle: str) -> list[Message]:
        """Messages that ever had this handle, in queue order (moto scans in that order)."""
        found = self._by_handle.get(receipt_handle, ())
        return sorted(found, key=self._order.__getitem__)

    def has_recent_duplicate(self, message: Message, window_s: float) -> bool:
        """moto's FIFO dedup rule: same dedup id sent less than ``window_s`` before."""
        for other in self._by_dedup.get(message.deduplication_id, ()):
            if (message.sent_timestamp - other.sent_timestamp) / 1000 < window_s:
                return True
        return False

    # -- visibility / delay ------------------------------------------------------------------
    def _reset_counters(self, now: float) -> None:
        self.invisible = ThresholdCounter(now)  # pending iff now <= visible_at
        self.delayed = ThresholdCounter(now)  # pending iff now < delayed_until
        self.unavailable = ThresholdCounter(now)  # pending iff either of the two

    def _counters(self) -> tuple[ThresholdCounter, ...]:
        return (self.invisible, self.delayed, self.unavailable)

    def track(self, message: Message) -> None:
        """(Re-)register the message's thresholds after any change of its timestamps."""
        # First catch up with a clock that went back: the counters drop thresholds that are
        # past at their latest time, which must not be later than now.
        self._at(now_ms())
        self._register(message)

    def _register(self, message: Message) -> None:
        invisible = (float(message.visible_at), 1)
        delayed = (float(message.delayed_until), 0)
        self.invisible.set(message, invisible)
        self.delayed.set(message, delayed)
        self.unavailable.set(message, max(invisible, delayed))

    def _at(self, t: float) -> float:
        if t < self.invisible.last_t or t < self.delayed.last_t or t < self.unavailable.last_t:
            # The clock went backwards: messages we dropped as "past" may be pending again.
            # Rare (NTP step, a test moving a fake clock back); an exact O(n) rebuild.
            self._reset_counters(t)
            for message in self._order:
                self._register(message)
        return t

    def count_not_visible(self) -> int:
        t = self._at(now_ms())  # first: a rebuild replaces the counter objects
        return self.invisible.count(t)

    def count_delayed(self) -> int:
        t = self._at(now_ms())
        return self.delayed.count(t)

    def count_available(self) -> int:
        t = self._at(now_ms())
        return len(self._order) - self.unavailable.count(t)

    def iter_available(self) -> Iterator[Message]:
        """Messages in queue order that moto's ``Queue.messages`` would list right now.

        Evaluated lazily (moto builds the whole list first), so a receive stops after the
        messages it needs. Costs O(in-flight or delayed messages ahead of them), not O(depth).
        The caller holds the queue lock: the OrderedDict must not change while we walk it.
        """
        for message in self._order:
            if message.visible and not message.delayed:
                yield message

    def has_available(self) -> bool:
        return next(self.iter_available(), None) is not None
