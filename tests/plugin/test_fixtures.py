"""Every fixture's behaviour, run in-process by pytester (one inner session per test here)."""

from __future__ import annotations

import pytest

PASSING = '''
import base64, gzip, json

def test_receive_triggered_message_new(stream_emulator, stream_sqs_queue):
    triggered = stream_emulator.trigger("message.new")
    assert [d["status"] for d in triggered.deliveries] == ["delivered"]
    assert triggered.deliveries[0]["target"] == stream_sqs_queue.url
    received = stream_sqs_queue.receive()
    assert received == triggered.events
    assert received[0]["type"] == "message.new"
    assert stream_sqs_queue.depth() == 0

def test_compressed_payloads_are_decoded(stream_emulator, stream_sqs_queue):
    stream_emulator.update_app(enable_hook_payload_compression=True)
    events, _ = stream_emulator.trigger("reaction.new", count=2)
    raw = stream_emulator.sqs_client().receive_message(
        QueueUrl=stream_sqs_queue.url, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"]
    body = raw[0]["Body"]
    assert not body.startswith("{")
    assert json.loads(gzip.decompress(base64.b64decode(body))) == events[0]
    assert stream_sqs_queue.receive(2) == events

def test_peek_does_not_consume(stream_emulator, stream_sqs_queue):
    events, _ = stream_emulator.trigger("message.updated", count=3)
    assert stream_sqs_queue.peek() == events
    assert stream_sqs_queue.peek() == events
    assert stream_sqs_queue.depth() == 3
    assert stream_sqs_queue.receive(3) == events
    assert stream_sqs_queue.peek() == []

def test_purge_and_depth(stream_emulator, stream_sqs_queue):
    assert stream_sqs_queue.depth() == 0
    stream_emulator.trigger("message.new", count=4)
    assert stream_sqs_queue.depth() == 4
    stream_sqs_queue.purge()
    assert stream_sqs_queue.depth() == 0

def test_queue_handle_shape(stream_emulator, stream_sqs_queue):
    sqs = stream_emulator.sqs_client()
    attrs = sqs.get_queue_attributes(QueueUrl=stream_sqs_queue.url, AttributeNames=["All"])
    redrive = json.loads(attrs["Attributes"]["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"].endswith(stream_sqs_queue.name + "-dlq")
    assert stream_sqs_queue.dlq_url.endswith("/" + stream_sqs_queue.name + "-dlq")
    assert stream_sqs_queue.arn.endswith(":" + stream_sqs_queue.name)
    assert attrs["Attributes"]["MaximumMessageSize"] == "262144"
    assert stream_sqs_queue.url.startswith(stream_emulator.sqs_endpoint_url)
    assert stream_emulator.base_url.startswith("http://127.0.0.1:")
    assert (stream_emulator.api_key, stream_emulator.api_secret) == (
        "emulator-key", "emulator-secret-for-local-use-only")
    assert stream_emulator.region == "us-east-1"

def test_deliver_and_deliveries(stream_emulator, stream_sqs_queue, stream_events):
    event = stream_events.make("channel.created")
    stream_emulator.deliver(event)
    assert stream_sqs_queue.receive() == [event]
    records = stream_emulator.deliveries(type="channel.created", status="delivered")
    assert len(records) == 1 and records[0]["target"] == stream_sqs_queue.url

def test_reset_empties_the_ledger(stream_emulator, stream_sqs_queue):
    stream_emulator.trigger("message.new")
    stream_emulator.reset()
    assert stream_emulator.deliveries() == []
    stream_emulator.trigger("message.new")  # no hook after the reset
    assert stream_emulator.deliveries() == []

def test_create_queue_has_no_hook(stream_emulator, stream_sqs_queue):
    other = stream_emulator.create_queue(name="plain-queue", dlq=False, max_message_size=1024)
    assert other.name == "plain-queue" and other.dlq_url is None
    stream_emulator.trigger("message.new")
    assert other.depth() == 0 and stream_sqs_queue.depth() == 1
    stream_emulator.connect_queue(other)
    _, records = stream_emulator.trigger("message.new")  # bigger than the queue's 1,024 bytes
    assert records[0]["status"] == "failed" and "1024 bytes" in records[0]["reason"]
    assert other.depth() == 0

def test_connect_queue_with_a_role_stream_may_assume(stream_emulator):
    queue = stream_emulator.create_queue(name="role-queue", dlq=False)
    iam = stream_emulator.aws_client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"AWS": "arn:aws:iam::185583345998:root"}}]}
    role = iam.create_role(RoleName="stream-sender", AssumeRolePolicyDocument=json.dumps(trust))
    stream_emulator.connect_queue(queue, auth_type="role", role_arn=role["Role"]["Arn"])
    _, records = stream_emulator.trigger("message.new")
    assert records[0]["status"] == "denied"  # the role may not send yet
    assert "has no policy allowing sqs:SendMessage" in records[0]["reason"]
    iam.put_role_policy(RoleName="stream-sender", PolicyName="send", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue.arn}]}))
    events, _ = stream_emulator.trigger("message.new")
    assert queue.receive() == events

def test_each_test_gets_a_fresh_queue_1(stream_emulator, stream_sqs_queue):
    stream_emulator.trigger("message.new")  # left in the queue on purpose

def test_each_test_gets_a_fresh_queue_2(stream_emulator, stream_sqs_queue):
    assert stream_sqs_queue.depth() == 0
    assert stream_emulator.deliveries() == []
    names = stream_emulator.sqs_client().list_queues().get("QueueUrls", [])
    assert not any("fresh_queue_1" in n for n in names)

def test_stream_events_and_schemas(stream_events, stream_schemas):
    event = stream_events.make("message.new", overrides={"message": {"text": "hi"}})
    assert event["message"]["text"] == "hi"
    stream_schemas.validate(event)
    assert stream_events.make("user.updated", seed=3) == stream_events.make("user.updated", seed=3)
    assert "message.new" in stream_schemas.types() and len(stream_schemas.types()) >= 60
    assert stream_schemas.is_valid(event)
    big = stream_events.oversize(kilobytes=300)
    assert len(json.dumps(big, ensure_ascii=False, separators=(",", ":")).encode()) > 262144
    stream_schemas.validate(big)
'''


def test_passing_fixture_behaviours(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inner=PASSING)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=12)


def test_fixtures_are_listed_with_docs(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--fixtures")
    lines = result.stdout.lines
    for name, scope in [("stream_emulator", " [session scope]"), ("stream_sqs_queue", ""),
                        ("stream_events", " [session scope]"),
                        ("stream_schemas", " [session scope]")]:
        assert any(line.startswith(f"{name}{scope} -- ") for line in lines), name
