"""The queue handle the pytest fixtures give: receive / peek / purge / depth, with failures
that say what the emulator's delivery ledger recorded for the queue."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import urlparse

from .. import consumer
from .errors import StreamFailure
from .lambda_batch import LambdaBatches
from .sqs import QueueOps


def decode_event(body: str) -> dict[str, Any]:
    """`emulator.consumer.decode_body`, failing the test (StreamFailure) on a body it cannot read."""
    __tracebackhide__ = True
    try:
        return consumer.decode_body(body)
    except consumer.UndecodableBody as exc:
        raise StreamFailure(f"SQS message {exc}") from None


@dataclass(frozen=True)
class QueueServices:
    """What a queue handle needs from the emulator it came from, and nothing more: an SQS
    client, the queue operations (create/delete/peek) and the delivery ledger."""

    sqs_client: Callable[[], Any]
    queue_ops: QueueOps
    deliveries: Callable[..., list[dict[str, Any]]]  # filters: target, limit, …
    region: str


@dataclass
class QueueHandle(LambdaBatches):
    """A queue (+ DLQ) on the emulator's SQS endpoint."""

    url: str
    arn: str
    name: str
    dlq_url: str | None
    dlq_arn: str | None
    services: QueueServices = field(repr=False)

    def receive(self, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """`count` decoded events, deleted from the queue; fails the test when fewer arrive
        within `timeout` seconds, saying what the emulator's ledger shows for this queue."""
        __tracebackhide__ = True
        return [decode_event(m["Body"]) for m in self._take(count, count, timeout)]

    def receive_raw(self, count: int = 1, timeout: float = 5.0) -> list[str]:
        """Like `receive`, but the bodies exactly as sent (plain JSON, base64 or base64 gzip)."""
        __tracebackhide__ = True
        return [m["Body"] for m in self._take(count, count, timeout)]

    def _take(self, at_least: int, at_most: int, timeout: float, *, delete: bool = True,
              **receive_args: Any) -> list[dict[str, Any]]:
        """boto3 messages: waits up to `timeout` s for `at_least`, then takes what is waiting
        up to `at_most`; deleted unless `delete=False`."""
        __tracebackhide__ = True
        sqs = self._sqs()
        deadline = time.monotonic() + timeout
        taken: list[dict[str, Any]] = []
        while len(taken) < at_most:
            remaining = deadline - time.monotonic()
            enough = len(taken) >= at_least
            wait = int(min(remaining, 20)) if remaining >= 1 and not enough else 0  # long poll
            messages = sqs.receive_message(
                QueueUrl=self.url, MaxNumberOfMessages=min(10, at_most - len(taken)),
                WaitTimeSeconds=wait, **receive_args,
            ).get("Messages", [])
            if messages and delete:
                self._delete([m["ReceiptHandle"] for m in messages])
            taken.extend(messages)
            if messages:
                continue
            if enough:
                break
            if remaining <= 0:
                raise StreamFailure(self._shortfall(at_least, timeout, len(taken)))
            if not wait:
                time.sleep(min(0.02, max(remaining, 0)))
        return taken

    def _delete(self, receipt_handles: list[str]) -> list[str]:
        """Deletes in batches of 10 (SQS's limit); returns SQS's reasons for any it refused."""
        refused = []
        for start in range(0, len(receipt_handles), 10):
            chunk = receipt_handles[start:start + 10]
            answer = self._sqs().delete_message_batch(QueueUrl=self.url, Entries=[
                {"Id": str(i), "ReceiptHandle": handle} for i, handle in enumerate(chunk)])
            refused += [f"{f.get('Code')}: {f.get('Message')}" for f in answer.get("Failed", [])]
        return refused

    def _sqs(self) -> Any:
        return self.services.sqs_client()

    def _region(self) -> str:
        return self.services.region

    def _fail(self, message: str) -> NoReturn:
        __tracebackhide__ = True
        raise StreamFailure(message)

    def _decode(self, body: str) -> dict[str, Any]:
        __tracebackhide__ = True
        return decode_event(body)

    def peek(self) -> list[dict[str, Any]]:
        """The decoded events waiting in the queue, left in place and visible."""
        return [decode_event(body) for body in self.services.queue_ops.peek(self.url)]

    def purge(self) -> None:
        self._sqs().purge_queue(QueueUrl=self.url)

    def depth(self) -> int:
        """Messages not yet deleted: visible + in flight + delayed."""
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                 "ApproximateNumberOfMessagesDelayed"]
        attrs = self._sqs().get_queue_attributes(
            QueueUrl=self.url, AttributeNames=names)["Attributes"]
        return sum(int(attrs.get(name, 0)) for name in names)

    def deliveries(self) -> list[dict[str, Any]]:
        """The ledger records of deliveries to this queue, oldest first."""
        records = self.services.deliveries(target=self.url)
        if records:
            return records
        # A hook may name the queue by another URL (AWS-style host): match account + name.
        suffix = urlparse(self.url).path.rstrip("/")
        return [r for r in self.services.deliveries(limit=10_000)
                if urlparse(r["target"]).path.rstrip("/") == suffix]

    def _shortfall(self, count: int, timeout: float, got: int) -> str:
        noun = "message" if count == 1 else "messages"
        head = f"expected {count} {noun} within {timeout} s on queue {self.name}, got {got}"
        return f"{head}; {explain_ledger(self.deliveries(), got)}"


def explain_ledger(records: list[dict[str, Any]], received: int) -> str:
    """What the ledger recorded for a queue, in one sentence with the first reason per status."""
    if not records:
        return ("the emulator recorded no delivery to this queue (is an enabled SQS hook "
                "pointing at it? queues from stream_emulator.create_queue() get none until "
                "stream_emulator.connect_queue())")
    counts = Counter(r["status"] for r in records)
    reasons = {}
    for record in records:
        reasons.setdefault(record["status"], record.get("reason") or "")
    parts = []
    for status, n in counts.items():
        reason = f": {reasons[status]}" if reasons[status] else ""
        parts.append(f"{n} {status}{reason}")
    text = "the emulator recorded " + "; ".join(parts)
    if counts.get("delivered", 0) > received:
        text += (" (delivered messages not received here were already received, deleted, "
                 "purged or moved to the DLQ)")
    return text
