"""SendMessageBatch to an external SQS endpoint, with each entry's own outcome.

The events of one hook go out in batches of at most 10 entries whose bodies add up to at most
BATCH_BYTES, in event order; up to `concurrency` batches per hook are in flight at once (a
pool of connections per hook, threads and clients built once). Each entry ends with its own
outcome: delivered (SQS's MessageId), or failed with SQS's code. Entries SQS reports in
`Failed` with `SenderFault: false` (a server-side hiccup), and whole batches that were
throttled or did not reach the endpoint, are retried with the retry policy's backoff. When
SQS rejects a whole batch for what one entry holds (InvalidParameterValue: an entry over the
queue's own MaximumMessageSize), each entry of it is sent alone, so only that one fails.

Order: within a batch SQS appends the entries in order; batches of one hook in flight at the
same time may land in either order (STREAM_EMULATOR_SEND_CONCURRENCY=1 keeps the whole order).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
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
    """Sends one hook's bodies; shared by every deliver() call, one pool per hook id."""

    def __init__(self, faults: FaultInjector, concurrency: int):
        self.faults, self.concurrency = faults, concurrency
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()

    def pool(self, hook_id: str) -> ThreadPoolExecutor:
        with self._lock:
            pool = self._pools.get(hook_id)
            if pool is None:
                pool = self._pools[hook_id] = ThreadPoolExecutor(
                    self.concurrency, thread_name_prefix=f"sqs-send-{hook_id[:8]}")
            return pool

    def submit(self, hook_id: str, client: Any, queue_url: str, bodies: Sequence[str],
               sizes: Sequence[int], circuit: Circuit,
               reason: Callable[[ClientError], str]) -> list[tuple[list[int], Future]]:
        """Start sending; returns (entry indexes, future of their outcomes) per batch. A
        hook's pool runs its batches in submission order, so with one connection per hook
        the order holds across requests too."""
        pool = self.pool(hook_id)
        return [
            (batch, pool.submit(self._send_batch, client, queue_url,
                                [bodies[i] for i in batch], circuit, reason))
            for batch in plan_batches(sizes)
        ]

    def shutdown(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.shutdown(wait=True)

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
    outcomes: list[Outcome | None] = [None] * len(bodies)
    sendable = []
    for index, size in enumerate(sizes):
        too_big = oversize_reason(size)
        if too_big:
            outcomes[index] = Outcome(Status.DROPPED_OVERSIZE, too_big, size)
        elif gate.status is not None or gate.ref is None:
            outcomes[index] = Outcome(gate.status or Status.FAILED, gate.reason, size)
        else:
            sendable.append(index)
    done: Future = Future()
    if not sendable:
        done.set_result(outcomes)
        return done
    ref = gate.ref
    client = engine.client("sqs", target.region, target.key, target.secret)
    parts = batcher.submit(
        target.hook_id, client, engine.local_url(ref), [bodies[i] for i in sendable],
        [sizes[i] for i in sendable], circuit,
        lambda exc: aws_error_reason(exc, ref, target.region))
    left = [len(parts)]
    lock = threading.Lock()

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
