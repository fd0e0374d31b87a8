"""Reads Stream Chat events from an SQS queue and keeps a message count per channel.

SQS delivers at least once, so every handler is idempotent: a message counts once however
often `message.new` arrives, and a `message.deleted` for a message already deleted (or never
seen) changes nothing.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def decode_body(body: str) -> dict[str, Any]:
    """Plain JSON, base64(JSON), or base64(gzip(JSON)) when the Stream app compresses hook
    payloads (every form of stream_wire_variant)."""
    text = body.strip()
    if text.startswith("{"):
        return json.loads(text)
    raw = base64.b64decode(text)
    return json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)


def event_time(value: str | int) -> datetime:
    """Stream's docs show RFC 3339 text; the getstream SDK models read Unix nanoseconds."""
    if isinstance(value, int):
        return datetime.fromtimestamp(value / 1e9, tz=timezone.utc)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class ChannelCounts:
    per_channel: Counter = field(default_factory=Counter)
    live: dict[str, str] = field(default_factory=dict)  # message id → cid
    deleted: set[str] = field(default_factory=set)
    ignored: Counter = field(default_factory=Counter)  # event types we do not count
    last_message_at: dict[str, datetime] = field(default_factory=dict)  # cid → newest

    def handle(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        message = event.get("message") or {}
        message_id = message.get("id")
        if kind == "message.new" and message_id:
            if message_id not in self.live and message_id not in self.deleted:
                self.live[message_id] = event["cid"]
                self.per_channel[event["cid"]] += 1
                at = event_time(event["created_at"])
                self.last_message_at[event["cid"]] = max(
                    at, self.last_message_at.get(event["cid"], at))
        elif kind == "message.deleted" and message_id:
            cid = self.live.pop(message_id, None)
            self.deleted.add(message_id)
            if cid is not None:
                self.per_channel[cid] -= 1
        else:
            self.ignored[kind] += 1


def poll(sqs: Any, queue_url: str, counts: ChannelCounts, max_batches: int = 10) -> int:
    """Receive, handle and delete what is waiting; returns how many messages were handled."""
    handled = 0
    for _ in range(max_batches):
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            break
        for message in messages:
            counts.handle(decode_body(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handled += 1
    return handled
