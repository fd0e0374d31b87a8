"""A queue and its DLQ, as Stream's docs recommend: the one recipe, whatever creates them.

Free of boto3 (the pytest helpers import it at session start); the caller hands in how one
queue is created on its endpoint: `create(name, attributes) -> (url, arn)`.
"""

from __future__ import annotations

import json
from collections.abc import Callable

DLQ_MAX_RECEIVE_COUNT = 5
DEFAULT_MAX_MESSAGE_SIZE = 262_144  # bytes: Stream drops bigger messages anyway

CreateOne = Callable[[str, dict[str, str]], tuple[str, str]]


def queue_attributes(dlq_arn: str | None, policy: dict | None, max_size: int, *,
                     visibility_timeout: int | None = None,
                     max_receive_count: int = DLQ_MAX_RECEIVE_COUNT) -> dict[str, str]:
    """The attributes Stream's docs recommend: size limit, DLQ redrive, optional policy;
    `visibility_timeout` (s) when not SQS's 30."""
    attributes = {"MaximumMessageSize": str(max_size)}
    if visibility_timeout is not None:
        attributes["VisibilityTimeout"] = str(visibility_timeout)
    if dlq_arn:
        attributes["RedrivePolicy"] = json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receive_count)}
        )
    if policy is not None:
        attributes["Policy"] = json.dumps(policy)
    return attributes


def create_queue_pair(create: CreateOne, name: str, *, dlq: bool = True,
                      policy: dict | None = None,
                      max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
                      **timing: int | None) -> dict[str, str | None]:
    """The queue (+ `<name>-dlq` with a RedrivePolicy to it): name, url, arn, dlq_url, dlq_arn
    (the DLQ ones None without a DLQ); `timing`: visibility_timeout, max_receive_count."""
    result: dict[str, str | None] = {"name": name, "dlq_url": None, "dlq_arn": None}
    if dlq:
        result["dlq_url"], result["dlq_arn"] = create(f"{name}-dlq", {})
    attributes = queue_attributes(result["dlq_arn"], policy, max_message_size, **timing)
    result["url"], result["arn"] = create(name, attributes)
    return result
