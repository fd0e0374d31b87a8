"""Failure messages explain themselves: what the ledger shows, which JSON path is wrong."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

FAILING = '''
import json

def test_oversize(stream_emulator, stream_sqs_queue):
    text = "x" * 300_000  # a message.new with > 256 KB of text
    stream_emulator.trigger("message.new", overrides={"message": {"text": text}})
    stream_sqs_queue.receive(timeout=0.2)

def test_resource_policy_without_stream(stream_emulator):
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "sqs:SendMessage", "Resource": "*"}]}
    queue = stream_emulator.create_queue(policy=policy)
    stream_emulator.connect_queue(queue, auth_type="resource")
    stream_emulator.trigger("message.new")
    queue.receive(timeout=0.2)

def test_iam_user_without_send(stream_emulator, stream_sqs_queue):
    iam = stream_emulator.aws_client("iam")
    iam.create_user(UserName="reader")
    iam.put_user_policy(UserName="reader", PolicyName="read-only", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    stream_emulator.connect_queue(stream_sqs_queue, key=key["AccessKeyId"],
                                  secret=key["SecretAccessKey"])
    stream_emulator.trigger("message.new")
    stream_sqs_queue.receive(timeout=0.2)

def test_no_hook(stream_emulator):
    queue = stream_emulator.create_queue()
    stream_emulator.trigger("message.new")
    queue.receive(timeout=0.1)

def test_fewer_than_asked(stream_emulator, stream_sqs_queue):
    stream_emulator.trigger("message.new", count=2)
    stream_sqs_queue.receive(count=3, timeout=0.2)

def test_schema_violation(stream_events, stream_schemas):
    event = stream_events.make("message.new")
    event["message"]["user"] = 5
    event["message"]["text"] = ["not", "text"]
    stream_schemas.validate(event)

def test_overrides_breaking_the_schema(stream_events):
    stream_events.make("message.new", overrides={"message": {"id": 42}})

def test_unknown_type(stream_emulator):
    stream_emulator.trigger("message.nwe")

def test_sqs_unavailable(stream_emulator, stream_sqs_queue):
    with stream_emulator.faults("unavailable") as fault:
        assert fault["mode"] == "unavailable"
        stream_emulator.trigger("message.new")
    assert stream_emulator.trigger("message.new").deliveries[0]["status"] == "delivered"
    stream_sqs_queue.receive(count=2, timeout=0.2)
'''


def failure_messages(pytester: pytest.Pytester, source: str, *args: str) -> dict[str, str]:
    """Run `source` once; the failure message of each failing test, from the JUnit report."""
    pytester.makepyfile(test_inner=source)
    pytester.runpytest("-p", "no:cacheprovider", "--junitxml=report.xml", *args)
    tree = ElementTree.parse(pytester.path / "report.xml")
    return {case.get("name"): (case.find("failure").get("message") or "")
            for case in tree.iter("testcase") if case.find("failure") is not None}


def test_failure_messages_explain_themselves(pytester: pytest.Pytester) -> None:
    got = failure_messages(pytester, FAILING)
    assert set(got) == {
        "test_oversize", "test_resource_policy_without_stream", "test_iam_user_without_send",
        "test_no_hook", "test_fewer_than_asked", "test_schema_violation",
        "test_overrides_breaking_the_schema", "test_unknown_type", "test_sqs_unavailable"}
    assert re.search(r"expected 1 message within 0\.2 s on queue stream-main-\w+, got 0; "
                     r"the emulator recorded 1 dropped_oversize: message body is 30\d,\d{3} "
                     r"bytes > 262,144", got["test_oversize"])
    assert "1 denied: queue policy has no statement allowing principal " \
           "arn:aws:iam::185583345998:root to sqs:SendMessage" in \
           got["test_resource_policy_without_stream"]
    assert re.search(r'got 0; the emulator recorded 1 denied: IAM user "reader" .* has no '
                     r"policy allowing sqs:SendMessage", got["test_iam_user_without_send"])
    assert "the emulator recorded no delivery to this queue (is an enabled SQS hook" in \
        got["test_no_hook"]
    assert re.search(r"expected 3 messages within 0\.2 s on queue \S+, got 2; the emulator "
                     r"recorded 2 delivered$", got["test_fewer_than_asked"])
    schema = got["test_schema_violation"]
    assert "message.new event (v1) breaks its schema at 2 place(s)" in schema
    assert '$.message.text: expected string, received array ["not", "text"]' in schema
    assert "$.message.user: expected object, received integer 5" in schema
    assert "$.message.id" in got["test_overrides_breaking_the_schema"]
    assert "received integer 42" in got["test_overrides_breaking_the_schema"]
    assert "POST /_emulator/events was refused: HTTP 400" in got["test_unknown_type"]
    assert "did you mean message.new" in got["test_unknown_type"]
    # inside faults(): failed after retries; after the block SQS works again
    assert re.search(r"got 1; the emulator recorded 1 failed: SQS endpoint unavailable "
                     r"\(injected fault\); gave up after 3 attempt\(s\); 1 delivered",
                     got["test_sqs_unavailable"])


def test_unreachable_external_emulator(pytester: pytest.Pytester) -> None:
    source = "def test_needs_it(stream_emulator):\n    pass\n"
    pytester.makepyfile(test_inner=source)
    result = pytester.runpytest("-p", "no:cacheprovider",
                                "--stream-emulator-url", "http://127.0.0.1:9")
    result.assert_outcomes(errors=1)
    expected = ("*cannot use the emulator at http://127.0.0.1:9 "
                "(--stream-emulator-url / STREAM_EMULATOR_URL): nothing answers there "
                "(connection refused); start it with `stream-sqs-emulator run`, or leave both "
                "unset to have one started per test session")
    result.stdout.fnmatch_lines([expected])
    # the client's own hint names STREAM_CHAT_URL, which the plugin does not read
    assert "STREAM_CHAT_URL" not in result.stdout.str()
