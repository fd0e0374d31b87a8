"""``send_direct``: SendMessage into the in-process moto backend, without HTTP or boto3.

It runs the same two steps moto's HTTP handler (``SQSResponse.send_message``) runs after
parsing the request -- ``validate_message_attributes`` then ``SQSBackend.send_message`` -- and
builds the same result fields, so a consumer cannot tell the two apart (MessageId, MD5s,
SentTimestamp, SenderId, FIFO sequence numbers and dedup all come from moto's own code).
Thread safety: moto's ``send_message`` only builds a new ``Message`` and hands it to
``Queue.add_message``, which appends under the queue's ``_messages_lock`` (and, with the
speed-ups installed, also does the FIFO dedup check under it).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from moto.sqs import models as m
from moto.sqs import utils as sqs_utils
from moto.sqs.exceptions import QueueDoesNotExist, SQSException

from .errors import FastInvalidMessage, FastMessageTooLarge, FastQueueMissing, FastSQSError

DEFAULT_ACCOUNT = "123456789012"


class SentMessage(NamedTuple):
    """What SendMessage answers (``sequence_number`` only for FIFO queues with a dedup id)."""

    message_id: str
    md5_of_body: str
    sequence_number: str | None = None
    md5_of_message_attributes: str | None = None


def queue_name_from_url(queue_url: str) -> str:
    # moto's SQSResponse._get_queue_name: the last path segment, or the name itself.
    return queue_url.rstrip("/").split("/")[-1]


def send_direct(
    queue_url: str,
    body: str,
    *,
    region: str,
    account_id: str = DEFAULT_ACCOUNT,
    message_attributes: dict[str, dict[str, Any]] | None = None,
    delay_seconds: int | None = None,
    group_id: str | None = None,
    dedup_id: str | None = None,
) -> SentMessage:
    """Deliver ``body`` to the queue as SendMessage would; raise a ``FastSQSError`` if not.

    ``message_attributes`` use boto3's shape: ``{"name": {"DataType": "String",
    "StringValue": "v"}}`` (``BinaryValue`` as bytes). ``delay_seconds=None`` (default) is
    SendMessage without DelaySeconds, so the queue's own DelaySeconds applies -- what Stream's
    sends get; an int is an explicit per-message delay (0 overrides the queue's).
    """
    backend = m.sqs_backends[account_id][region]
    name = queue_name_from_url(queue_url)
    try:
        sqs_utils.validate_message_attributes(message_attributes or {})
        queue = backend.get_queue(name)
        message = backend.send_message(
            name,
            body,
            message_attributes=message_attributes or {},
            delay_seconds=delay_seconds,
            deduplication_id=dedup_id,
            group_id=group_id,
        )
    except QueueDoesNotExist as err:
        raise FastQueueMissing(err.code, f"queue {name!r} does not exist in {account_id}/"
                               f"{region}") from err  # fmt: skip
    except SQSException as err:
        raise _translate(err) from err
    return SentMessage(
        message_id=message.id,
        md5_of_body=message.body_md5,
        sequence_number=message.sequence_number if queue.fifo_queue else None,
        md5_of_message_attributes=message.attribute_md5 if message.message_attributes else None,
    )


def queue_exists(queue_url: str, *, region: str, account_id: str = DEFAULT_ACCOUNT) -> bool:
    """What GetQueueAttributes would tell (the queue is there), without HTTP or boto3."""
    try:
        m.sqs_backends[account_id][region].get_queue(queue_name_from_url(queue_url))
    except QueueDoesNotExist:
        return False
    return True


def _translate(err: SQSException) -> FastSQSError:
    text = getattr(err, "message", str(err))
    if "Message must be shorter than" in text:
        return FastMessageTooLarge(err.code, text)
    return FastInvalidMessage(err.code, text)
