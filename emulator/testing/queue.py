"""The queue handle the pytest fixtures give: receive / peek / purge / depth, with failures
that say what the emulator's delivery ledger recorded for the queue."""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from .errors import StreamFailure
from .sqs import QueueOps


def decode_body(body: str) -> dict[str, Any]:
    """An SQS body as the official SDK parsers read it: plain JSON, or base64(gzip(JSON))
    when the app has `enable_hook_payload_compression` (getstream-go `DecodeSqsPayload`)."""
    text = body.strip()
    try:
        if text.startswith("{"):
            return json.loads(text)
        raw = base64.b64decode(text, validate=True)
        if raw[:2] == b"\x1f\x8b":  # gzip magic number
            raw = gzip.decompress(raw)
        return json.loads(raw)
    except (ValueError, binascii.Error, OSError) as exc:
        raise StreamFailure(
            f"SQS message body is neither JSON nor base64(gzip(JSON)) ({exc}): {body[:120]!r}"
        ) from None


@dataclass(frozen=True)
class QueueServices:
    """What a queue handle needs from the emulator it came from, and nothing more: an SQS
    client, the queue operations (create/delete/peek) and the delivery ledger."""

    sqs_client: Callable[[], Any]
    queue_ops: QueueOps
    deliveries: Callable[..., list[dict[str, Any]]]  # filters: target, limit, …
    region: str


@dataclass
class QueueHandle:
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
        sqs = self.services.sqs_client()
        deadline = time.monotonic() + timeout
        events: list[dict[str, Any]] = []
        while len(events) < count:
            remaining = deadline - time.monotonic()
            wait = int(min(remaining, 20)) if remaining >= 1 else 0  # long poll when we can
            answer = sqs.receive_message(
                QueueUrl=self.url, MaxNumberOfMessages=min(10, count - len(events)),
                WaitTimeSeconds=wait,
            )
            messages = answer.get("Messages", [])
            if messages:
                sqs.delete_message_batch(QueueUrl=self.url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(messages)
                ])
                events.extend(decode_body(m["Body"]) for m in messages)
            elif remaining <= 0:
                raise StreamFailure(self._shortfall(count, timeout, len(events)))
            elif not wait:
                time.sleep(min(0.02, max(remaining, 0)))
        return events

    def peek(self) -> list[dict[str, Any]]:
        """The decoded events waiting in the queue, left in place and visible."""
        return [decode_body(body) for body in self.services.queue_ops.peek(self.url)]

    def purge(self) -> None:
        self.services.sqs_client().purge_queue(QueueUrl=self.url)

    def depth(self) -> int:
        """Messages not yet deleted: visible + in flight + delayed."""
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                 "ApproximateNumberOfMessagesDelayed"]
        attrs = self.services.sqs_client().get_queue_attributes(
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
