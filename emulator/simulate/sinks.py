"""Where simulated events go: the in-process backend (standalone) or a running emulator."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from ..catalog.batch import MAX_EVENTS_PER_REQUEST
from ..cli.client import ControlClient, EmulatorError
from ..config import MAX_BODY_BYTES
from .pacing import MAX_BATCH

if TYPE_CHECKING:  # the backend pulls in boto3 and the generator: only for the type
    from ..backend import Backend

# Deliveries to an external SQS/SNS endpoint (sent on background threads, as webhooks) a
# standalone run may have in flight: past this it waits, so it cannot outrun the endpoint
# (unbounded, the sends piled up in memory and the end's webhook bound left most unsent).
QUEUED_AHEAD = MAX_BATCH  # one full batch queued behind the sends in flight
# What one request's events may add up to, in bytes of their JSON (UTF-8): the body limit
# less room for the wrapper.
REQUEST_BUDGET = MAX_BODY_BYTES - 1024


class SendError(RuntimeError):
    """A send that failed part-way: `events` and `records` are the part that went through."""

    def __init__(self, cause: BaseException, events: list[dict], records: list[dict]):
        super().__init__(str(cause))
        self.events = events
        self.records = records


class Sink(Protocol):
    """A sink may also have `settle(timeout=None) -> (records, pending)`: records that ended
    after their batch (BackendSink's webhooks and external sends), collected by the runner
    at the end; and `wait_room()`, called before each batch (BackendSink's backpressure)."""

    def send(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Deliver the events in order; returns one delivery record per (event, hook) that
        ended by then."""

    def ledger_totals(self) -> dict[str, int]: ...


class LateRecords:
    """Webhook records that end after their batch was sent: counted in as they come."""

    def __init__(self) -> None:
        self._arrived = threading.Condition()
        self._expected = 0
        self._records: list[dict[str, Any]] = []
        # Of those, SQS/SNS sends (not webhooks). A reset's dropped deliveries count against
        # it whatever their type: it may fall below the truth (less waiting), never above it.
        self._queued = 0

    def expect(self, count: int, queued: int = 0) -> None:
        with self._arrived:
            self._expected += count
            self._queued += queued

    def __call__(self, records: list[Any], dropped: int = 0) -> None:
        """DeliveryRecords, from a worker thread; `dropped`: deliveries that ended after a
        reset, whose records the ledger dropped: none comes, and none is pending any more."""
        with self._arrived:
            self._records += [record.to_wire() for record in records]
            self._expected -= dropped
            self._queued -= dropped + sum(r.hook_type != "webhook" for r in records)
            self._arrived.notify_all()

    def wait_queued(self, limit: int, timeout: float | None = None) -> bool:
        """Wait until at most `limit` SQS/SNS sends are still going (False: not within
        `timeout`). Webhooks are never waited for here: a hanging receiver holds no queue."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self._queued <= limit, timeout)

    def collect(self, timeout: float) -> tuple[list[dict[str, Any]], int]:
        """What came, once all did or `timeout` s passed; and how many are still to come."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self._records) >= self._expected, timeout)
            records, self._records = self._records, []
            self._expected -= len(records)
            return records, max(self._expected, 0)


class BackendSink:
    """Standalone: the events are already schema-checked by the generator, so the backend
    delivers them as they are, a batch at a time (one lock, one target lookup per batch).
    As with chat calls, nothing waits for a webhook: its records come here as its attempts
    end, and `settle` hands them to the runner when the run ends."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._late = LateRecords()

    def send(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        delivered = self.backend.deliver_many(events, checked=True, on_late=self._late)
        queued = sum(p.hook_type != "webhook" for p in delivered.pending)
        self._late.expect(len(delivered.pending), queued)
        return [record.to_wire() for record in delivered.records]

    def wait_room(self) -> None:
        """Before the next batch: wait while QUEUED_AHEAD sends to an external endpoint are
        in flight (the runner calls this where Ctrl-C may stop it)."""
        self._late.wait_queued(QUEUED_AHEAD)

    def settle(self, timeout: float | None = None) -> tuple[list[dict[str, Any]], int]:
        """The records that ended after their batch: by default every SQS/SNS send to an
        external endpoint (they end, with their retries; Ctrl-C stops the wait), then the
        webhooks up to the answer bound (Settings.webhook_answer_wait_ms); else up to
        `timeout` s in all. And how many are still being tried then."""
        if timeout is None:
            self._late.wait_queued(0)
            timeout = self.backend.settings.webhook_answer_wait_s
        return self._late.collect(timeout)

    def ledger_totals(self) -> dict[str, int]:
        return self.backend.totals()


class HttpSink:
    """A running emulator: each batch of the schedule goes out as few
    `POST /_emulator/events {"events": [...]}` requests as the limits allow (at most
    MAX_EVENTS_PER_REQUEST payloads and REQUEST_BUDGET bytes each), one after the other, so the
    emulator delivers them in order (parallel requests could reorder them, and a consumer would
    see a reaction before its message). The emulator checks each payload's schema again, and
    answers with the records alone (`"echo": false`): the events are ours already."""

    overlaps = True  # the runner draws the next batch while this one is in flight

    def __init__(self, client: ControlClient, dialect: str, late_wait_s: float = 16.0) -> None:
        self.client = client
        self.dialect = dialect
        self.late_wait_s = late_wait_s  # how long `settle` waits for the answers' `pending`
        self._late = LateWebhooks(client)

    def prepare(self, events: list[dict[str, Any]]) -> Callable[[], list[dict[str, Any]]]:
        """Encode the events and size the requests now (the runner calls this while the
        batch before is in flight); the call returned sends them."""
        return functools.partial(self._send, events, request_chunks([orjson.dumps(e)
                                                                     for e in events]))

    def send(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.prepare(events)()

    def _send(self, events: list[dict[str, Any]],
              chunks: list[list[bytes]]) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        done = 0
        for chunk in chunks:
            try:
                sent = self.client.deliver_many_json(chunk, self.dialect, echo=False)
            except EmulatorError as exc:  # keep what went through before it
                raise SendError(exc, events[:done], records) from exc
            records += sent.deliveries
            self._late.note(sent.pending)
            done += len(chunk)
        return records

    def settle(self, timeout: float | None = None) -> tuple[list[dict[str, Any]], int]:
        """The webhook records the answers listed as `pending`, read from the emulator's
        ledger once their attempts ended (up to `timeout` s, default `late_wait_s`); and how
        many are still being tried then."""
        return self._late.collect(self.late_wait_s if timeout is None else timeout)

    def ledger_totals(self) -> dict[str, int]:
        return self.client.totals()


class LateWebhooks:
    """A running emulator's webhook deliveries that its answers listed as `pending`: each
    entry names the id its record will have (`record_id`), so exactly those records are read
    from `GET /_emulator/deliveries?ids=…` once their attempts end, whatever else the same
    hooks deliver meanwhile. (An entry without `record_id`, from an older emulator, cannot be
    found: it stays pending.) Records a reset dropped never come: they stay pending too."""

    POLL_S = 0.1

    def __init__(self, client: ControlClient) -> None:
        self.client = client
        self._ids: list[str] = []  # the records still to come, in the answers' order
        self._order: dict[str, int] = {}  # record id → its place among the answers' pending
        self._unnamed = 0  # pending entries without a record id
        self._came: list[dict[str, Any]] = []  # read, not handed to the runner yet

    def note(self, pending: list[dict[str, Any]]) -> None:
        for entry in pending:
            if "record_id" in entry:
                self._order.setdefault(entry["record_id"], len(self._order))
                self._ids.append(entry["record_id"])
            else:
                self._unnamed += 1

    def collect(self, timeout: float) -> tuple[list[dict[str, Any]], int]:
        """The records that came within `timeout` s (in the answers' order); and how many
        are still to come then."""
        deadline = time.monotonic() + timeout
        while self._ids:
            found, _ = self.client.ledger(ids=self._ids)
            if found:  # kept here at once: after a Ctrl-C, collect(0) returns them too
                self._came += found
                came = {record["id"] for record in found}
                self._ids = [i for i in self._ids if i not in came]
            if not self._ids or time.monotonic() >= deadline:
                break
            time.sleep(self.POLL_S)
        late, self._came = sorted(self._came, key=lambda r: self._order[r["id"]]), []
        return late, len(self._ids) + self._unnamed


def request_chunks(texts: list[bytes]) -> list[list[bytes]]:
    """Consecutive runs of encoded events that each fit one request; an event too big for any
    request goes alone (the emulator answers 413 for it, which stops the run and says so)."""
    chunks: list[list[bytes]] = []
    current: list[bytes] = []
    size = 0
    for text in texts:
        if current and (len(current) >= MAX_EVENTS_PER_REQUEST
                        or size + len(text) > REQUEST_BUDGET):
            chunks.append(current)
            current, size = [], 0
        current.append(text)
        size += len(text) + 1
    if current:
        chunks.append(current)
    return chunks
