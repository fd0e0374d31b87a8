"""What a consumer of Stream's events needs.

`decode_body` reads every body form Stream may put on a queue; `lambda_event` turns boto3
`ReceiveMessage` messages into the event AWS Lambda hands an SQS-triggered function, and
`batch_failures` reads a partial batch response the way Lambda does. No boto3 import: a
consumer can use this module inside its Lambda function.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["UndecodableBody", "batch_failures", "decode_body", "lambda_event", "lambda_record"]

_GZIP_MAGIC = b"\x1f\x8b"


class UndecodableBody(ValueError):
    """A body that is none of the forms Stream sends; the message quotes its start."""


def decode_body(body: str) -> dict[str, Any]:
    """An SQS body → the Stream event it carries.

    Accepts plain JSON (Stream's default), base64(JSON) (what stream-chat-js and
    stream-chat-python's parsers expect), base64(gzip(JSON)) (`enable_hook_payload_compression`)
    and an SNS envelope (`{"Type": "Notification", "Message": …}`, a topic subscription without
    raw delivery) whose `Message` is any of those."""
    if not isinstance(body, str):
        raise UndecodableBody(f"an SQS body is a str, got {type(body).__name__}")
    decoded = _decode(body)
    envelope = _sns_message(decoded)
    if envelope is not None:
        decoded = _decode(envelope)
    if not isinstance(decoded, dict):
        raise UndecodableBody(f"the body decodes to a JSON {type(decoded).__name__}, not an "
                              f"event object: {body[:120]!r}")
    return decoded


def _decode(body: str) -> Any:
    text = body.strip()
    try:
        if text.startswith("{"):
            return json.loads(text)
        raw = base64.b64decode(text, validate=True)
        if raw[:2] == _GZIP_MAGIC:
            raw = gzip.decompress(raw)
        return json.loads(raw)
    except (ValueError, binascii.Error, OSError, EOFError, zlib.error) as exc:
        raise UndecodableBody(
            f"body is neither JSON, base64(JSON) nor base64(gzip(JSON)) ({exc}): {body[:120]!r}"
        ) from None


def _sns_message(decoded: Any) -> str | None:
    # Stream's events have a lower-case `type`; SNS envelopes a capitalised `Type`.
    if (isinstance(decoded, dict) and decoded.get("Type") == "Notification"
            and isinstance(decoded.get("Message"), str)):
        return decoded["Message"]
    return None


def lambda_event(messages: Iterable[Mapping[str, Any]], *, queue_arn: str,
                 region: str) -> dict[str, Any]:
    """boto3 `ReceiveMessage` messages (asked with `AttributeNames=["All"]`,
    `MessageAttributeNames=["All"]`) → `{"Records": [...]}` as Lambda's SQS event source
    mapping hands them to the function, in the order given."""
    return {"Records": [lambda_record(m, queue_arn=queue_arn, region=region) for m in messages]}


def lambda_record(message: Mapping[str, Any], *, queue_arn: str, region: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes") or {}),
        "messageAttributes": {
            name: _message_attribute(value)
            for name, value in (message.get("MessageAttributes") or {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
    }
    if message.get("MD5OfMessageAttributes"):  # Lambda sends it only for messages with some
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    record.update(eventSource="aws:sqs", eventSourceARN=queue_arn, awsRegion=region)
    return record


def _message_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    """boto3's `{"StringValue"|"BinaryValue": …, "DataType"}` → Lambda's camel-case form:
    binary values base64 text, both list fields always present."""
    out: dict[str, Any] = {}
    if "StringValue" in value:
        out["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        out["binaryValue"] = _b64(value["BinaryValue"])
    out["stringListValues"] = list(value.get("StringListValues") or [])
    out["binaryListValues"] = [_b64(v) for v in value.get("BinaryListValues") or []]
    out["dataType"] = value["DataType"]
    return out


def _b64(value: bytes | str) -> str:
    return value if isinstance(value, str) else base64.b64encode(value).decode("ascii")


def batch_failures(event: Mapping[str, Any], response: Any) -> set[str] | None:
    """The message ids a partial batch response reports as failed, read as Lambda reads it.

    `response` is the function's return value (`{"batchItemFailures": [...]}`), or just its
    list. None, `{}` and an empty list mean every record succeeded. Returns None when Lambda
    would treat the whole batch as failed: a response that is not that shape, or an
    `itemIdentifier` that is missing, empty or not a message id of this batch."""
    if response is None:
        return set()
    if isinstance(response, Mapping):
        response = response.get("batchItemFailures")
        if response is None:
            return set()
    if not isinstance(response, Sequence) or isinstance(response, (str, bytes)):
        return None
    ids = {record["messageId"] for record in event.get("Records", [])}
    failed: set[str] = set()
    for item in response:
        identifier = item.get("itemIdentifier") if isinstance(item, Mapping) else None
        if not isinstance(identifier, str) or identifier not in ids:
            return None
        failed.add(identifier)
    return failed
