"""The queue handle's consumer helpers through the plugin's fixtures: receive_raw, Lambda's
batches (receive_lambda_event / complete, partial batch responses) and the DLQ."""

from __future__ import annotations

import base64
import gzip
import json

import pytest
from aws_lambda_powertools.utilities.parser.models import SqsModel

from emulator.consumer import decode_body


def test_receive_raw_gives_bodies_as_sent(stream_emulator, stream_sqs_queue):
    stream_emulator.update_app(enable_hook_payload_compression=True)
    events, _ = stream_emulator.trigger("message.new", count=2)
    raws = stream_sqs_queue.receive_raw(2)
    assert [json.loads(gzip.decompress(base64.b64decode(raw))) for raw in raws] == events
    assert stream_sqs_queue.depth() == 0


def test_lambda_event_is_what_lambda_hands_the_function(stream_emulator, stream_sqs_queue):
    events, _ = stream_emulator.trigger("message.new", count=3)
    event = stream_sqs_queue.receive_lambda_event()
    parsed = SqsModel.model_validate(event)  # Powertools' parser accepts it
    assert [decode_body(record.body) for record in parsed.Records] == events
    first = event["Records"][0]
    assert (first["eventSource"], first["eventSourceARN"], first["awsRegion"]) == (
        "aws:sqs", stream_sqs_queue.arn, stream_emulator.region)
    assert first["attributes"]["ApproximateReceiveCount"] == "1"
    assert {"SenderId", "SentTimestamp", "ApproximateFirstReceiveTimestamp"} <= set(
        first["attributes"])
    assert first["messageAttributes"] == {} and len(first["md5OfBody"]) == 32
    assert stream_sqs_queue.depth() == 3  # in flight until complete()
    done = stream_sqs_queue.complete(event)
    assert done.deleted == [r["messageId"] for r in event["Records"]] and done.failed == []
    assert stream_sqs_queue.depth() == 0


def test_max_messages_splits_batches(stream_emulator, stream_sqs_queue):
    stream_emulator.trigger("reaction.new", count=12)
    first = stream_sqs_queue.receive_lambda_event(max_messages=5)
    assert len(first["Records"]) == 5
    stream_sqs_queue.complete(first)
    rest = stream_sqs_queue.receive_lambda_event(max_messages=20)
    assert len(rest["Records"]) == 7  # more than SQS's 10 per call: gathered across calls
    stream_sqs_queue.complete(rest)
    assert stream_sqs_queue.depth() == 0


def test_failed_record_comes_back_then_reaches_the_dlq(stream_emulator):
    queue = stream_emulator.create_queue(visibility_timeout=1, max_receive_count=2)
    stream_emulator.connect_queue(queue)
    events, _ = stream_emulator.trigger("message.new", count=2)
    batch = queue.receive_lambda_event()
    poisoned = batch["Records"][1]["messageId"]
    done = queue.complete(batch, {"batchItemFailures": [{"itemIdentifier": poisoned}]})
    assert (done.deleted, done.failed) == ([batch["Records"][0]["messageId"]], [poisoned])
    again = queue.receive_lambda_event(timeout=5)  # back after the 1 s visibility timeout
    assert [r["messageId"] for r in again["Records"]] == [poisoned]
    assert again["Records"][0]["attributes"]["ApproximateReceiveCount"] == "2"
    queue.complete(again, [{"itemIdentifier": poisoned}])
    assert queue.dead_letters(timeout=5) == [events[1]]  # moved on the next receive
    assert queue.depth() == 0


def test_an_identifier_not_in_the_batch_fails_the_whole_batch(stream_emulator, stream_sqs_queue):
    stream_emulator.trigger("message.new", count=2)
    batch = stream_sqs_queue.receive_lambda_event()
    done = stream_sqs_queue.complete(batch, [{"itemIdentifier": "not-a-message-of-this-batch"}])
    assert done.deleted == [] and len(done.failed) == 2
    assert stream_sqs_queue.depth() == 2
    again = stream_sqs_queue.receive_lambda_event(timeout=5)
    assert sorted(r["messageId"] for r in again["Records"]) == sorted(done.failed)


def test_no_message_fails_saying_what_the_ledger_shows(stream_emulator, stream_sqs_queue):
    with pytest.raises(AssertionError, match="got 0; the emulator recorded no delivery"):
        stream_sqs_queue.receive_lambda_event(timeout=0.2)
    with pytest.raises(ValueError, match="max_messages must be at least 1"):
        stream_sqs_queue.receive_lambda_event(max_messages=0)


def test_dead_letters_refuses_while_a_message_is_still_alive(stream_emulator, stream_sqs_queue):
    stream_emulator.trigger("message.new")
    with pytest.raises(AssertionError, match="still hands out 1 message"):
        stream_sqs_queue.dead_letters(timeout=1)
    plain = stream_emulator.create_queue(dlq=False)
    with pytest.raises(AssertionError, match="has no dead-letter queue"):
        plain.dead_letters()


def test_fixture_queue_has_a_short_visibility_timeout(stream_emulator, stream_sqs_queue):
    attrs = stream_emulator.sqs_client().get_queue_attributes(
        QueueUrl=stream_sqs_queue.url, AttributeNames=["VisibilityTimeout", "RedrivePolicy"])
    assert attrs["Attributes"]["VisibilityTimeout"] == "1"
    assert json.loads(attrs["Attributes"]["RedrivePolicy"])["maxReceiveCount"] in (5, "5")
    with pytest.raises(ValueError, match="max_receive_count must be"):
        stream_emulator.create_queue(max_receive_count=0)
