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

import functools
from typing import Any

from moto.sqs import models as m
from moto.sqs import utils as sqs_utils
from moto.sqs.exceptions import QueueDoesNotExist, SQSException

from .errors import FastInvalidMessage, FastMessageTooLarge, FastQueueMissing, FastSQSError

DEFAULT_ACCOUNT = "123456789012"


class SentMessage:
    """What SendMessage answers (``sequence_number`` only for FIFO queues with a dedup id).

    The MD5s are worked out when read: the emulator's own deliveries only keep the id, and
    an MD5 of a 4 KB body costs more than the rest of the answer."""

    __slots__ = ("_message", "message_id", "sequence_number")

    def __init__(self, message: Any, fifo: bool) -> None:
        self._message = message
        self.message_id: str = message.id
        self.sequence_number: str | None = message.sequence_number if fifo else None

    @property
    def md5_of_body(self) -> str:
        return self._message.body_md5

    @property
    def md5_of_message_attributes(self) -> str | None:
        message = self._message
        return message.attribute_md5 if message.message_attributes else None


@functools.lru_cache(maxsize=1024)
def queue_name_from_url(queue_url: str) -> str:
    # moto's SQSResponse._get_queue_name: the last path segment, or the name itself.
    return queue_url.rstrip("/").split("/")[-1]


def send_direct(
    queue_url: str, body: str, *, region: str, account_id: str = DEFAULT_ACCOUNT,
    message_attributes: dict[str, dict[str, Any]] | None = None,
    delay_seconds: int | None = None, group_id: str | None = None, dedup_id: str | None = None,
) -> SentMessage:
    """Deliver ``body`` to the queue as SendMessage would; raise a ``FastSQSError`` if not.

    ``message_attributes`` use boto3's shape: ``{"name": {"DataType": "String",
    "StringValue": "v"}}`` (``BinaryValue`` as bytes). ``delay_seconds=None`` (default) is
    SendMessage without DelaySeconds, so the queue's own DelaySeconds applies -- what Stream's
    sends get; an int is an explicit per-message delay (0 overrides the queue's).
    """
    name = queue_name_from_url(queue_url)
    try:
        if message_attributes:  # (moto validates {} too, which checks nothing)
            sqs_utils.validate_message_attributes(message_attributes)
        backend = _backend(account_id, region)
        queue = backend.get_queue(name)
        message = backend.send_message(
            name, body, message_attributes=message_attributes or {}, delay_seconds=delay_seconds,
            deduplication_id=dedup_id, group_id=group_id,
        )  # fmt: skip
    except QueueDoesNotExist as err:
        raise FastQueueMissing(err.code, f"queue {name!r} does not exist in {account_id}/"
                               f"{region}") from err  # fmt: skip
    except SQSException as err:
        raise _translate(err) from err
    return SentMessage(message, queue.fifo_queue)


def _backend(account_id: str, region: str) -> Any:
    """``sqs_backends[account_id][region]``; dict.get first: moto's ``__getitem__`` takes a
    lock and checks the region on every call, and is only needed to create a backend."""
    account = dict.get(m.sqs_backends, account_id)
    backend = dict.get(account, region) if account is not None else None
    return backend if backend is not None else m.sqs_backends[account_id][region]


def known_region(region: str, service: str = "sqs") -> bool:
    """Whether moto serves this region for SQS (or SNS): any other name has no backend, and
    ``sqs_backends[account][region]`` would raise KeyError (a 500 from moto's server)."""
    from moto.sns.models import sns_backends

    backends = sns_backends if service == "sns" else m.sqs_backends
    return region in backends[DEFAULT_ACCOUNT]


def queue_exists(queue_url: str, *, region: str, account_id: str = DEFAULT_ACCOUNT) -> bool:
    """What GetQueueAttributes would tell (the queue is there), without HTTP or boto3."""
    try:
        _backend(account_id, region).get_queue(queue_name_from_url(queue_url))
    except QueueDoesNotExist:
        return False
    return True


def _translate(err: SQSException) -> FastSQSError:
    text = getattr(err, "message", str(err))
    if "Message must be shorter than" in text:
        return FastMessageTooLarge(err.code, text)
    return FastInvalidMessage(err.code, text)
