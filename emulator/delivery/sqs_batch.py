"""SendMessageBatch to an external SQS endpoint, with each entry's own outcome.

The events of one hook go out in batches of at most 10 entries whose bodies add up to at most
BATCH_BYTES, in event order; up to `concurrency` batches per hook are in flight at once (a
lane per hook over one shared pool of threads; clients and threads built once and reused,
also for hooks configured anew). Nothing is looked up per batch: no GetQueueUrl, no
GetQueueAttributes (sqs_targets.gate_for). Each entry ends with its own
outcome: delivered (SQS's MessageId), or failed with SQS's code. Entries SQS reports in
`Failed` with `SenderFault: false` (a server-side hiccup), and whole batches that were
throttled or did not reach the endpoint, are retried with the retry policy's backoff. When
SQS rejects a whole batch for what one entry holds (InvalidParameterValue: an entry over the
queue's own MaximumMessageSize), each entry of it is sent alone, so only that one fails.

Order: within a batch SQS appends the entries in order; batches of one hook in flight at the
same time may land in either order (STREAM_EMULATOR_SEND_CONCURRENCY=1 keeps the whole order).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..sqs_engine import SqsEngine
from .encoding import body_size, oversize_reason
from .faults import FaultInjector
from .records import Outcome, Status
from .retry import Circuit, TransientSendError
from .sqs_targets import Gate, SqsTarget, aws_error_reason

MAX_ENTRIES = 10  # SQS: at most 10 entries per SendMessageBatch
# The batch's total: 256 KiB, what every SQS implementation accepts (AWS since 2025: 1 MiB;
# LocalStack, ElasticMQ and older endpoints: 256 KiB). Each entry is under Stream's 256 KB.
BATCH_BYTES = 262_144
# Errors for one entry's content that SQS reports for the whole batch: retry entry by entry.
_ENTRY_ERRORS = ("InvalidParameterValue", "InvalidMessageContents", "MessageTooLong")
# Threads of the shared pool: this many hooks can have `concurrency` batches in flight at once
# (threads start only when needed); more wait their turn in submission order.
_LANES_AT_FULL_SPEED = 8


@dataclass
class _Lane:
    """One hook's batches not started yet, and how many of its batches are in flight."""

    waiting: deque[tuple[Callable[[], list[EntryOutcome]], Future]] = field(
        default_factory=deque)
    running: int = 0


@dataclass
class EntryOutcome:
    message_id: str | None = None
    error: str = ""  # "" = delivered
    attempts: int = 0


def plan_batches(sizes: Sequence[int]) -> list[list[int]]:
    """Indexes of consecutive entries, grouped into batches SQS accepts."""
    batches: list[list[int]] = []
    current: list[int] = []
    total = 0
    for index, size in enumerate(sizes):
        if current and (len(current) == MAX_ENTRIES or total + size > BATCH_BYTES):
            batches.append(current)
            current, total = [], 0
        current.append(index)
        total += size
    if current:
        batches.append(current)
    return batches


def error_text(code: str, message: str) -> str:
    return f"SQS error {code}: {message}"


class BatchSender:
    """Sends one hook's bodies; shared by every deliver() call. Each hook has a lane: its
    batches start in submission order, at most `concurrency` in flight. All lanes share one
    pool of threads (built lazily, reused across hooks and deliveries: a hook configured
    anew costs no thread start-up, and hooks that are gone leave no idle threads)."""

    def __init__(self, faults: FaultInjector, concurrency: int):
        self.faults, self.concurrency = faults, concurrency
        self._executor: ThreadPoolExecutor | None = None
        self._lanes: dict[str, _Lane] = {}
        self._lock = threading.Lock()

    def submit(self, hook_id: str, client: Any, queue_url: str, bodies: Sequence[str],
               sizes: Sequence[int], circuit: Circuit,
               reason: Callable[[ClientError], str]) -> list[tuple[list[int], Future]]:
        """Start sending; returns (entry indexes, future of their outcomes) per batch. With
        one batch in flight per hook the order holds across requests too."""
        parts = []
        for batch in plan_batches(sizes):
            job = functools.partial(self._send_batch, client, queue_url,
                                    [bodies[i] for i in batch], circuit, reason)
            parts.append((batch, self._enqueue(hook_id, job)))
        return parts

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    # -- lanes ---------------------------------------------------------------------------
    def _enqueue(self, hook_id: str, job: Callable[[], list[EntryOutcome]]) -> Future:
        future: Future = Future()
        with self._lock:
            self._lanes.setdefault(hook_id, _Lane()).waiting.append((job, future))
        self._pump(hook_id)
        return future

    def _pump(self, hook_id: str) -> None:
        """Start the lane's next batches while it has room; forget the lane once idle."""
        with self._lock:
            lane, starts = self._lanes.get(hook_id), []
            if lane is None:  # another batch of the lane finished and found it idle
                return
            while lane.waiting and lane.running < self.concurrency:
                lane.running += 1
                starts.append(lane.waiting.popleft())
            if not lane.running:
                del self._lanes[hook_id]
            if self._executor is None and starts:
                self._executor = ThreadPoolExecutor(self.concurrency * _LANES_AT_FULL_SPEED,
                                                    thread_name_prefix="sqs-send")
            executor = self._executor
        for job, future in starts:
            executor.submit(self._run, hook_id, job, future)

    def _run(self, hook_id: str, job: Callable[[], list[EntryOutcome]], future: Future) -> None:
        try:
            future.set_result(job())
        except BaseException as exc:  # a bug in a worker: the dispatcher's wait re-raises it
            future.set_exception(exc)
        finally:
            with self._lock:
                self._lanes[hook_id].running -= 1
            self._pump(hook_id)

    # -- one batch, with retries -----------------------------------------------------------
    def _send_batch(self, client: Any, queue_url: str, bodies: list[str],
                    circuit: Circuit, reason: Callable[[ClientError], str]
                    ) -> list[EntryOutcome]:
        outcomes = [EntryOutcome() for _ in bodies]
        pending = list(range(len(bodies)))  # entries not settled yet
        # Circuit breaker: once this hook gave up in this delivery, one attempt per batch.
        delays = circuit.delays()
        for attempt in range(len(delays) + 1):
            for i in pending:
                outcomes[i].attempts += 1
            try:
                self.faults.before_send()
                pending = self._attempt(client, queue_url, bodies, pending, outcomes, reason)
            except TransientSendError as exc:
                for i in pending:
                    outcomes[i].error = str(exc)
            if not pending:
                circuit.tripped = False
                return outcomes
            if attempt < len(delays):
                time.sleep(delays[attempt])
        circuit.tripped = True
        for i in pending:
            outcomes[i].error += f"; gave up after {outcomes[i].attempts} attempt(s)"
        return outcomes

    def _attempt(self, client: Any, queue_url: str, bodies: list[str], pending: list[int],
                 outcomes: list[EntryOutcome], reason: Callable[[ClientError], str]
                 ) -> list[int]:
        """One SendMessageBatch of the pending entries; returns those to try again."""
        entries = [{"Id": str(i), "MessageBody": bodies[i]} for i in pending]
        try:
            answer = client.send_message_batch(QueueUrl=queue_url, Entries=entries)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if "Throttl" in code:
                raise TransientSendError(f"SQS answered {code}") from None
            if len(pending) > 1 and any(c in code for c in _ENTRY_ERRORS):
                return self._one_by_one(client, queue_url, bodies, pending, outcomes, reason)
            for i in pending:
                outcomes[i].error = reason(exc)
            return []
        except BotoCoreError as exc:
            raise TransientSendError(f"SQS endpoint unreachable: {exc}") from None
        return settle(answer, outcomes)

    def _one_by_one(self, client: Any, queue_url: str, bodies: list[str], pending: list[int],
                    outcomes: list[EntryOutcome], reason: Callable[[ClientError], str]
                    ) -> list[int]:
        again: list[int] = []
        for i in pending:
            try:
                again += self._attempt(client, queue_url, bodies, [i], outcomes, reason)
            except TransientSendError as exc:  # only this entry is unsettled
                outcomes[i].error = str(exc)
                again.append(i)
        return again


def settle(answer: dict[str, Any], outcomes: list[EntryOutcome]) -> list[int]:
    """Apply a SendMessageBatch answer; returns the entries worth another attempt."""
    for ok in answer.get("Successful", []):
        outcome = outcomes[int(ok["Id"])]
        outcome.message_id, outcome.error = ok["MessageId"], ""
    retry = []
    for failed in answer.get("Failed", []):
        index = int(failed["Id"])
        outcomes[index].error = error_text(failed.get("Code", "?"), failed.get("Message", ""))
        if not failed.get("SenderFault", True):
            retry.append(index)  # SQS's side failed: the same entry may go through later
    return sorted(retry)


def send_batched(batcher: BatchSender, engine: SqsEngine, target: SqsTarget, gate: Gate,
                 bodies: Sequence[str], circuit: Circuit) -> Future:
    """One hook's share of a delivery: the 256 KB rule and the gate decide per event, the rest
    goes out in batches; a Future of one Outcome per event, done when the last batch is."""
    sizes = [body_size(body) for body in bodies]
    outcomes, sendable = _settled_before_sending(gate, sizes)
    if gate.ref is None or not sendable:
        done: Future = Future()
        done.set_result(outcomes)
        return done
    ref = gate.ref
    parts = batcher.submit(
        target.hook_id, engine.client("sqs", target.region, target.key, target.secret),
        engine.local_url(ref), [bodies[i] for i in sendable], [sizes[i] for i in sendable],
        circuit, lambda exc: aws_error_reason(exc, ref, target.region))
    return _joined(parts, outcomes, sendable, sizes)


def _settled_before_sending(gate: Gate, sizes: Sequence[int]
                            ) -> tuple[list[Outcome | None], list[int]]:
    """Outcomes decided without sending (oversize, a closed gate); the indexes left to send."""
    outcomes: list[Outcome | None] = [None] * len(sizes)
    sendable = []
    for index, size in enumerate(sizes):
        too_big = oversize_reason(size)
        if too_big:
            outcomes[index] = Outcome(Status.DROPPED_OVERSIZE, too_big, size)
        elif gate.status is not None or gate.ref is None:
            outcomes[index] = Outcome(gate.status or Status.FAILED, gate.reason, size)
        else:
            sendable.append(index)
    return outcomes, sendable


def _joined(parts: list[tuple[list[int], Future]], outcomes: list[Outcome | None],
            sendable: list[int], sizes: Sequence[int]) -> Future:
    """A Future of all outcomes, the batches' entries filled in once the last batch is done."""
    done: Future = Future()
    left, lock = [len(parts)], threading.Lock()

    def finished(_: Future) -> None:
        with lock:
            left[0] -= 1
            if left[0]:
                return
        try:
            for indexes, part in parts:
                for position, entry in zip(indexes, part.result(), strict=True):
                    index = sendable[position]
                    outcomes[index] = _outcome(entry, sizes[index])
            done.set_result(outcomes)
        except BaseException as exc:  # a bug in a worker: the dispatcher's wait re-raises it
            done.set_exception(exc)

    for _, part in parts:
        part.add_done_callback(finished)
    return done


def _outcome(entry: EntryOutcome, size: int) -> Outcome:
    if entry.error:
        return Outcome(Status.FAILED, entry.error, size, None, entry.attempts)
    return Outcome.delivered(size, entry.message_id, entry.attempts)
