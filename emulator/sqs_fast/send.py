"""``SQSBackend.send_message`` without the full ``Queue.attributes`` rebuild (moto 5.2.x).

moto's send reads ``queue.attributes.get("ContentBasedDeduplication")``, which builds every
attribute of the queue -- the three Approximate* counts included -- to look at one flag that
only FIFO queues have (~40% of an in-process send). This is moto's function, statement for
statement and in the same order (so moto's seeded random draws the same ids), but for that
line -- the flag is read the way ``Queue.attributes`` would render it -- and the message id,
the same text drawn the same way without a UUID object (``message_id``). install.py checks
the fingerprint of moto's original before putting this in its place.
"""

from __future__ import annotations

import hashlib
import inspect
import string
from typing import Any

from moto.moto_api._internal import mock_random as random
from moto.sqs import models as m

# moto's MotoRandom.uuid4 as message_id() mirrors it (sha256[:16] of its source, moto 5.2.5).
_UUID4_SOURCE = "7968a33b3bf2d180"
_MOTO_UUID4 = type(random).uuid4
_MIRRORS_UUID4 = hashlib.sha256(inspect.getsource(_MOTO_UUID4).encode()).hexdigest()[:16] == (
    _UUID4_SOURCE
)


def message_id() -> str:
    """``str(random.uuid4())``: the same draw from moto's (seedable) random, formatted without
    building a UUID object (~3x cheaper). moto's own call while it is patched or changed."""
    if not _MIRRORS_UUID4 or type(random).uuid4 is not _MOTO_UUID4 or "uuid4" in vars(random):
        return str(random.uuid4())
    n = random.getrandbits(128)  # UUID(int=n, version=4): the variant and version bits
    n = (n & ~(0xC000 << 48) | (0x8000 << 48)) & ~(0xF000 << 64) | (4 << 76)
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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
    self: Any, queue_name: str, message_body: str,
    message_attributes: dict[str, Any] | None = None, delay_seconds: int | None = None,
    deduplication_id: str | None = None, group_id: str | None = None,
    system_attributes: dict[str, Any] | None = None, validate_group_id: bool = True,
) -> Any:
    queue = self.get_queue(queue_name)
    self._validate_message(
        queue, message_body=message_body, delay_seconds=int(delay_seconds or 0),
        deduplication_id=deduplication_id, group_id=group_id,
        validate_group_id=validate_group_id,
    )  # fmt: skip
    delay_seconds = queue.delay_seconds if delay_seconds is None else int(delay_seconds)
    message = m.Message(message_id(), message_body, system_attributes)
    _set_group_and_dedup(queue, message, message_body, deduplication_id, group_id)
    if message_attributes:
        message.message_attributes = message_attributes
    if delay_seconds > m.MAXIMUM_MESSAGE_DELAY:
        raise m.InvalidParameterValue(
            f"Value {delay_seconds} for parameter DelaySeconds is invalid. "
            "Reason: DelaySeconds must be >= 0 and <= 900."
        )
    message.mark_sent(delay_seconds=delay_seconds)
    queue.add_message(message)
    return message


def _set_group_and_dedup(queue: Any, message: Any, body: str, deduplication_id: str | None,
                         group_id: str | None) -> None:
    if content_based_deduplication(queue):  # the one change (see the module docstring)
        message.deduplication_id = hashlib.sha256(body.encode("utf-8")).hexdigest()
    if deduplication_id is not None:
        message.deduplication_id = deduplication_id
        message.sequence_number = "".join(random.choice(string.digits) for _ in range(20))
    if group_id is not None:
        message.group_id = group_id
