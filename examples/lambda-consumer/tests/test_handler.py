"""The Lambda function against stream-sqs-emulator: the plugin's fixtures only, no conftest.

`receive_lambda_event()` is what Lambda's SQS trigger would invoke the function with, and
`complete()` what Lambda does with its answer (delete every record it did not report)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest
from chat_lambda import TALLY, lambda_handler


@pytest.fixture(autouse=True)
def fresh_tally():
    TALLY.clear()
    yield TALLY


def run_lambda(queue, expected: int) -> list[dict]:
    """Invoke the function on batches until `expected` records were handed to it; the
    partial batch responses, in order."""
    responses, seen = [], 0
    while seen < expected:
        event = queue.receive_lambda_event(max_messages=10)
        seen += len(event["Records"])
        response = lambda_handler(event, None)
        queue.complete(event, response["batchItemFailures"])
        responses.append(response)
    return responses


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_every_event_type_is_decoded(stream_emulator, stream_sqs_queue, stream_schemas, dialect):
    types = stream_schemas.types(dialect)  # "*" is Stream's custom events: any type name
    sent = [stream_emulator.trigger(event_type, dialect=dialect).events[0]["type"]
            for event_type in types]
    assert len(sent) >= 64
    responses = run_lambda(stream_sqs_queue, len(sent))
    assert all(r == {"batchItemFailures": []} for r in responses)
    assert TALLY.by_type == Counter(sent)
    assert stream_sqs_queue.depth() == 0


def test_poisoned_record_is_retried_then_dead_lettered(stream_emulator, stream_sqs_queue):
    events, _ = stream_emulator.trigger("message.new", count=2)
    poison = stream_emulator.sqs_client().send_message(
        QueueUrl=stream_sqs_queue.url, MessageBody="not a Stream event")["MessageId"]
    first = stream_sqs_queue.receive_lambda_event()
    assert len(first["Records"]) == 3
    response = lambda_handler(first, None)
    assert response == {"batchItemFailures": [{"itemIdentifier": poison}]}
    done = stream_sqs_queue.complete(first, response["batchItemFailures"])
    assert done.failed == [poison] and len(done.deleted) == 2
    assert TALLY.by_type == Counter({"message.new": 2})
    for receive_count in range(2, 6):  # back after the fixture queue's 1 s visibility timeout
        again = stream_sqs_queue.receive_lambda_event(timeout=5)
        [record] = again["Records"]
        assert record["messageId"] == poison
        assert record["attributes"]["ApproximateReceiveCount"] == str(receive_count)
        stream_sqs_queue.complete(again, lambda_handler(again, None)["batchItemFailures"])
    # fifth failure = the queue's maxReceiveCount: SQS moves it on the next receive
    assert stream_sqs_queue.dead_letters(raw=True) == ["not a Stream event"]
    assert stream_sqs_queue.depth() == 0
    assert TALLY.by_type == Counter({"message.new": 2})  # the good ones counted once


def test_every_wire_variant(stream_emulator, stream_sqs_queue, stream_wire_variant):
    events, _ = stream_emulator.trigger("message.new", count=3)
    [response] = run_lambda(stream_sqs_queue, 3)
    assert response == {"batchItemFailures": []}
    assert TALLY.by_type == Counter({"message.new": 3})
    expected = max(parse_time(e["created_at"]) for e in events)
    assert TALLY.latest == expected


def parse_time(value) -> datetime:
    """v1: RFC 3339 text; v2: integer Unix nanoseconds."""
    if isinstance(value, int):
        return datetime.fromtimestamp(value / 1e9, tz=timezone.utc)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
