"""The queue handle's AWS Lambda side: batches as Lambda's SQS trigger hands them to a
function, and the delete-on-success step Lambda does with a partial batch response."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, NamedTuple

from .. import consumer

# What Lambda's SQS event source mapping asks for: every system and message attribute.
_ALL_ATTRIBUTES = {"AttributeNames": ["All"], "MessageAttributeNames": ["All"]}


class Completion(NamedTuple):
    """What `complete` did, by message id."""

    deleted: list[str]
    failed: list[str]  # left in the queue: visible again after the visibility timeout


class LambdaBatches:
    """Mixed into QueueHandle, which provides the attributes below, `_take`, `_delete`,
    `_sqs`, `_region`, `_fail` (raises the test failure) and `_decode` (a body → the event)."""

    url: str
    arn: str
    name: str
    dlq_url: str | None

    def receive_lambda_event(self, max_messages: int = 10, timeout: float = 5.0) -> dict[str, Any]:
        """The event Lambda would invoke an SQS-triggered function with: waits up to `timeout`
        s for a first message, then takes what is waiting, up to `max_messages`. The messages
        stay in flight (the queue's visibility timeout) until `complete` deletes them."""
        __tracebackhide__ = True
        if max_messages < 1:
            raise ValueError(f"max_messages must be at least 1, got {max_messages}")
        messages = self._take(1, max_messages, timeout, delete=False, **_ALL_ATTRIBUTES)
        return consumer.lambda_event(messages, queue_arn=self.arn, region=self._region())

    def complete(self, lambda_event: Mapping[str, Any],
                 batch_item_failures: Any = ()) -> Completion:
        """What Lambda does when the function returns: deletes every record of the batch that
        `batch_item_failures` (the function's `{"batchItemFailures": [...]}` or its list) does
        not name; the failed ones come back after the visibility timeout and, once received
        maxReceiveCount times, SQS moves them to the DLQ. As Lambda does, a response naming
        an id that is not in the batch (or an empty one) fails the whole batch."""
        __tracebackhide__ = True
        records = list(lambda_event.get("Records", []))
        failed = consumer.batch_failures(lambda_event, batch_item_failures)
        if failed is None:
            failed = {record["messageId"] for record in records}
        done = [record for record in records if record["messageId"] not in failed]
        refused = self._delete([record["receiptHandle"] for record in done])
        if refused:
            self._fail(
                f"SQS refused to delete {len(refused)} of {len(done)} completed messages on "
                f"queue {self.name} ({refused[0]}); did the visibility timeout pass before "
                "complete()?"
            )
        return Completion([r["messageId"] for r in done],
                          [r["messageId"] for r in records if r["messageId"] in failed])

    def dead_letters(self, count: int = 1, timeout: float = 5.0, *,
                     raw: bool = False) -> list[Any]:
        """`count` decoded events from the DLQ (bodies as sent with `raw=True`), deleted there.

        SQS moves a message to the DLQ only when a receive finds it received maxReceiveCount
        times, so this also receives from the queue, as Lambda's poller would; a message that
        comes back from there was not dead yet and fails the test (hand it to the function
        and `complete` it first)."""
        __tracebackhide__ = True
        if not self.dlq_url:
            self._fail(f"queue {self.name} has no dead-letter queue")
        deadline = time.monotonic() + timeout
        events: list[Any] = []
        while len(events) < count:
            bodies = [m["Body"] for m in self._dlq_take(count - len(events))]
            events += bodies if raw else [self._decode(body) for body in bodies]
            if len(events) >= count:
                break
            self._poll_source()
            if time.monotonic() > deadline:
                self._fail(
                    f"expected {count} dead letters within {timeout} s in {self.name}'s DLQ, "
                    f"got {len(events)}"
                )
            time.sleep(0.05)
        return events

    def _dlq_take(self, count: int) -> list[dict[str, Any]]:
        sqs = self._sqs()
        messages = sqs.receive_message(QueueUrl=self.dlq_url, MaxNumberOfMessages=min(count, 10),
                                       WaitTimeSeconds=0).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=self.dlq_url, ReceiptHandle=message["ReceiptHandle"])
        return messages

    def _poll_source(self) -> None:
        __tracebackhide__ = True
        live = self._sqs().receive_message(QueueUrl=self.url, MaxNumberOfMessages=10,
                                           VisibilityTimeout=0, WaitTimeSeconds=0)
        if live.get("Messages"):
            self._fail(
                f"queue {self.name} still hands out {len(live['Messages'])} message(s) that "
                "are not dead yet: receive_lambda_event() and complete() them until SQS moves "
                "them to the DLQ (after maxReceiveCount receives)"
            )

