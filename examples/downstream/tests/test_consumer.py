"""The consumer against stream-sqs-emulator: fixtures only, no conftest."""

from __future__ import annotations

from collections import Counter

import pytest
from chat_consumer import ChannelCounts, event_time, poll


def test_counts_messages_per_channel(stream_emulator, stream_sqs_queue):
    events, deliveries = stream_emulator.trigger("message.new", count=8)
    assert {d["status"] for d in deliveries} == {"delivered"}
    counts = ChannelCounts()
    assert poll(stream_emulator.sqs_client(), stream_sqs_queue.url, counts) == 8
    assert counts.per_channel == Counter(e["cid"] for e in events)
    assert stream_sqs_queue.depth() == 0


def test_message_deleted_is_idempotent(stream_emulator, stream_sqs_queue, stream_events):
    new = stream_events.make("message.new")
    deleted = stream_events.make("message.deleted", overrides={
        "cid": new["cid"], "channel_id": new["channel_id"], "channel_type": new["channel_type"],
        "message": {"id": new["message"]["id"]},
    })
    for event in (new, new, deleted, deleted):  # SQS may deliver twice
        stream_emulator.deliver(event)
    counts = ChannelCounts()
    poll(stream_emulator.sqs_client(), stream_sqs_queue.url, counts)
    assert counts.per_channel[new["cid"]] == 0
    assert new["message"]["id"] in counts.deleted


def test_compressed_payloads(stream_emulator, stream_sqs_queue):
    stream_emulator.update_app(enable_hook_payload_compression=True)
    stream_emulator.trigger("message.new", count=3)
    raw = stream_emulator.sqs_client().receive_message(
        QueueUrl=stream_sqs_queue.url, MaxNumberOfMessages=1, VisibilityTimeout=0)
    assert not raw["Messages"][0]["Body"].startswith("{")  # base64(gzip(JSON)) on the wire
    counts = ChannelCounts()
    assert poll(stream_emulator.sqs_client(), stream_sqs_queue.url, counts) == 3
    assert sum(counts.per_channel.values()) == 3


def test_other_events_are_ignored_and_valid(stream_emulator, stream_sqs_queue, stream_schemas):
    for kind in ("reaction.new", "channel.created", "user.updated", "message.updated"):
        stream_emulator.trigger(kind)
    received = stream_sqs_queue.receive(4)
    for event in received:
        stream_schemas.validate(event)  # our contract: the payloads we were built against
    counts = ChannelCounts()
    for event in received:
        counts.handle(event)
    assert sum(counts.ignored.values()) == 4 and not counts.per_channel


def test_oversize_message_is_dropped_not_delivered(stream_emulator, stream_sqs_queue,
                                                   stream_events):
    stream_emulator.deliver(stream_events.oversize("message.new", kilobytes=300))
    [record] = stream_emulator.deliveries(status="dropped_oversize")
    assert record["size_bytes"] > 262_144
    with pytest.raises(AssertionError, match=r"1 dropped_oversize: message body is 307,200 "
                                             r"bytes > 262,144"):
        stream_sqs_queue.receive(timeout=0.2)


def test_permission_denied_without_streams_principal(stream_emulator):
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "sqs:SendMessage", "Resource": "*"}]}
    queue = stream_emulator.create_queue(policy=policy)
    stream_emulator.connect_queue(queue, auth_type="resource")
    _, [record] = stream_emulator.trigger("message.new")
    assert record["status"] == "denied"
    assert "arn:aws:iam::185583345998:root" in record["reason"]
    with pytest.raises(AssertionError, match="1 denied: queue policy has no statement"):
        queue.receive(timeout=0.2)


def test_counts_in_every_wire_variant(stream_emulator, stream_sqs_queue, stream_wire_variant):
    """Runs six times ([plain-v1] … [gzip-v2]): each body form and timestamp dialect Stream
    may send reaches the consumer."""
    events = [stream_emulator.trigger("message.new").events[0] for _ in range(3)]
    counts = ChannelCounts()
    assert poll(stream_emulator.sqs_client(), stream_sqs_queue.url, counts) == 3
    assert counts.per_channel == Counter(e["cid"] for e in events)
    stamp = type(events[0]["created_at"])
    assert stamp is (int if stream_wire_variant.dialect == "v2" else str)
    for event in events:
        assert counts.last_message_at[event["cid"]] >= event_time(event["created_at"])
