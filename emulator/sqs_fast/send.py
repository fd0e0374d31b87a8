"""``SQSBackend.send_message`` without the full ``Queue.attributes`` rebuild (moto 5.2.x).

moto's send reads ``queue.attributes.get("ContentBasedDeduplication")``, which builds every
attribute of the queue -- the three Approximate* counts included -- to look at one flag that
only FIFO queues have (~40% of an in-process send). This is moto's function verbatim but for
that line: the flag is read the way ``Queue.attributes`` would render it. install.py checks
the fingerprint of moto's original before putting this in its place.
"""

from __future__ import annotations

import hashlib
import string
from typing import Any

from moto.moto_api._internal import mock_random as random
from moto.sqs import models as m


def content_based_deduplication(queue: Any) -> bool:
    """What ``queue.attributes.get("ContentBasedDeduplication") == "true"`` answers: the
    attribute exists for FIFO queues only, and ``attributes`` renders booleans lower-case."""
    if not queue.fifo_queue:
        return False
    value = queue.content_based_deduplication
    if isinstance(value, bool):
        value = str(value).lower()
    return value == "true"


def send_message(
    self: Any,
    queue_name: str,
    message_body: str,
    message_attributes: dict[str, Any] | None = None,
    delay_seconds: int | None = None,
    deduplication_id: str | None = None,
    group_id: str | None = None,
    system_attributes: dict[str, Any] | None = None,
    validate_group_id: bool = True,
) -> Any:
    queue = self.get_queue(queue_name)

    self._validate_message(
        queue,
        message_body=message_body,
        delay_seconds=int(delay_seconds or 0),
        deduplication_id=deduplication_id,
        group_id=group_id,
        validate_group_id=validate_group_id,
    )

    if delay_seconds is not None:
        delay_seconds = int(delay_seconds)
    else:
        delay_seconds = queue.delay_seconds

    message_id = str(random.uuid4())
    message = m.Message(message_id, message_body, system_attributes)

    if content_based_deduplication(queue):  # the one change (see the module docstring)
        sha256 = hashlib.sha256()
        sha256.update(message_body.encode("utf-8"))
        message.deduplication_id = sha256.hexdigest()

    if deduplication_id is not None:
        message.deduplication_id = deduplication_id
        message.sequence_number = "".join(random.choice(string.digits) for _ in range(20))

    if group_id is not None:
        message.group_id = group_id

    if message_attributes:
        message.message_attributes = message_attributes

    if delay_seconds > m.MAXIMUM_MESSAGE_DELAY:
        msg = (
            f"Value {delay_seconds} for parameter DelaySeconds is invalid. "
            "Reason: DelaySeconds must be >= 0 and <= 900."
        )
        raise m.InvalidParameterValue(msg)

    message.mark_sent(delay_seconds=delay_seconds)

    queue.add_message(message)

    return message
