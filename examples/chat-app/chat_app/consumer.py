"""The worker: reads Stream's events from SQS and keeps an index of messages and members."""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass, field
from typing import Any


def decode(body: str) -> dict[str, Any]:
    """Plain JSON, or base64(gzip(JSON)) when the app compresses hook payloads."""
    text = body.strip()
    if text.startswith("{"):
        return json.loads(text)
    raw = base64.b64decode(text)
    return json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)


@dataclass
class IndexedMessage:
    cid: str
    author: str
    text: str
    parent_id: str | None
    reactions: dict[str, int] = field(default_factory=dict)


@dataclass
class Index:
    messages: dict[str, IndexedMessage] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)  # cid → user ids
    channel_names: dict[str, str] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)  # event types, in arrival order

    def apply(self, event: dict[str, Any]) -> None:
        self.seen.append(event["type"])
        kind, cid = event["type"], event.get("cid", "")
        if kind == "channel.created":
            self.channel_names[cid] = event["channel"].get("name", "")
            self.members.setdefault(cid, [])
        elif kind == "member.added":
            users = self.members.setdefault(cid, [])
            if event["member"]["user_id"] not in users:
                users.append(event["member"]["user_id"])
        elif kind == "member.removed":
            self.members.get(cid, []).remove(event["user"]["id"])
        elif kind in ("message.new", "message.updated"):
            m = event["message"]
            self.messages[m["id"]] = IndexedMessage(cid, m["user"]["id"], m["text"],
                                                    m.get("parent_id"),
                                                    dict(m.get("reaction_counts") or {}))
        elif kind.startswith("reaction.") and event["message"]["id"] in self.messages:
            counts = event["message"].get("reaction_counts") or {}
            self.messages[event["message"]["id"]].reactions = dict(counts)


class Consumer:
    def __init__(self, sqs: Any, queue_url: str, index: Index | None = None) -> None:
        self.sqs, self.queue_url = sqs, queue_url
        self.index = index or Index()

    def poll(self, wait_seconds: int = 1) -> int:
        """One receive; applies and deletes what arrived; returns how many events."""
        answer = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10,
                                          WaitTimeSeconds=wait_seconds)
        messages = answer.get("Messages", [])
        for message in messages:
            self.index.apply(decode(message["Body"]))
            self.sqs.delete_message(QueueUrl=self.queue_url,
                                    ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def drain(self, expected: int, rounds: int = 20) -> None:
        got = 0
        for _ in range(rounds):
            got += self.poll()
            if got >= expected:
                return
        raise AssertionError(f"expected {expected} events, the queue gave {got}")
