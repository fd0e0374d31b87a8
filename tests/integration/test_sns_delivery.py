"""SNS hooks end to end: the stream-chat SDK configures them, the control API triggers events,
moto's SNS fans them out to a subscribed queue, boto3 reads it and getstream.webhook.parse_sns
decodes the envelope. Permission and oversize scenarios as for SQS."""

from __future__ import annotations

import json

import getstream.webhook
import pytest
import stream_chat.webhook

from emulator.delivery.policy_examples import load_policy
from tests.helpers import boto_sqs, make_iam_user

from .test_delivery import exact_size_event, receive_all, sqs_hook, trigger

ACCOUNT = "123456789012"


def sns_hook(topic_arn: str, **extra) -> dict:
    hook = {"hook_type": "sns", "enabled": True, "sns_topic_arn": topic_arn,
            "sns_region": "us-east-1", "sns_auth_type": "keys", "sns_key": "AKIAANYKEY",
            "sns_secret": "any-secret"}
    hook.update(extra)
    return {k: v for k, v in hook.items() if v is not None}


class Fanout:
    """A topic with one queue subscribed: what a user of SNS hooks sets up."""

    def __init__(self, fresh, name: str, raw: bool = False, policy: str | None = None):
        sns = fresh.engine.client("sns")
        self.arn = sns.create_topic(Name=name)["TopicArn"]
        if policy:
            document = json.dumps(load_policy(policy, self.arn))
            sns.set_topic_attributes(TopicArn=self.arn, AttributeName="Policy",
                                     AttributeValue=document)
        self.queue = fresh.engine.create_queue(f"{name}-sub", dlq=False)
        attributes = {"RawMessageDelivery": "true"} if raw else {}
        sns.subscribe(TopicArn=self.arn, Protocol="sqs", Endpoint=self.queue["arn"],
                      Attributes=attributes)
        self.sqs = boto_sqs(fresh)

    def bodies(self, expected: int, rounds: int = 20) -> list[str]:
        messages = receive_all(self.sqs, self.queue["url"], expected, rounds=rounds)
        return [m["Body"] for m in messages]


def test_subscribed_queue_gets_the_sns_envelope_parse_sns_decodes(chat, control, fresh):
    fanout = Fanout(fresh, "events-topic")
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn, id="sns-1")])
    answer = trigger(control, "message.new", dialect="v2", count=3)
    records = answer["deliveries"]
    assert [(r["hook_type"], r["hook_id"], r["target"], r["status"], r["attempts"])
            for r in records] == [("sns", "sns-1", fanout.arn, "delivered", 1)] * 3
    envelopes = [json.loads(b) for b in fanout.bodies(3)]
    assert [e["MessageId"] for e in envelopes] == [r["message_id"] for r in records]
    for envelope, event, record in zip(envelopes, answer["events"], records, strict=True):
        assert envelope["Type"] == "Notification" and envelope["TopicArn"] == fanout.arn
        assert json.loads(envelope["Message"]) == event
        assert len(envelope["Message"].encode()) == record["size_bytes"]
        typed = getstream.webhook.parse_sns(json.dumps(envelope))
        assert typed.message.id == event["message"]["id"]


def test_raw_delivery_gives_exactly_the_body_an_sqs_hook_gets(chat, control, fresh):
    fanout = Fanout(fresh, "raw-topic", raw=True)
    queue = fresh.engine.create_queue("raw-beside", dlq=False)
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn), sqs_hook(queue["url"])])
    answer = trigger(control, "reaction.new", seed=11)
    assert sorted(r["hook_type"] for r in answer["deliveries"]) == ["sns", "sqs"]
    [via_sns] = fanout.bodies(1)
    [via_sqs] = receive_all(boto_sqs(fresh), queue["url"], 1)
    assert via_sns == via_sqs["Body"]
    assert json.loads(via_sns) == answer["events"][0]


def test_compressed_message_is_base64_gzip_and_parse_sns_decodes_it(chat, control, fresh):
    fanout = Fanout(fresh, "gzip-topic")
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn)],
                             enable_hook_payload_compression=True)
    answer = trigger(control, "message.new", dialect="v2")
    [body] = fanout.bodies(1)
    message = json.loads(body)["Message"]
    assert not message.startswith("{")  # base64(gzip(json))
    assert answer["deliveries"][0]["size_bytes"] == len(message)
    typed = getstream.webhook.parse_sns(body)
    assert typed.message.id == answer["events"][0]["message"]["id"]
    assert stream_chat.webhook.parse_sns(body) == answer["events"][0]


def test_event_types_filter_and_disabled_hooks(chat, control, fresh):
    fanout = Fanout(fresh, "filtered-topic")
    chat.update_app_settings(event_hooks=[
        sns_hook(fanout.arn, id="only-reactions", event_types=["reaction.new"]),
        sns_hook(fanout.arn, id="off", enabled=False)])
    assert trigger(control, "message.new")["deliveries"] == []
    [record] = trigger(control, "reaction.new")["deliveries"]
    assert record["hook_id"] == "only-reactions"
    assert len(fanout.bodies(2, rounds=3)) == 1


def test_legacy_top_level_topic_delivers(chat, control, fresh):
    fanout = Fanout(fresh, "legacy-topic")
    chat.update_app_settings(sns_topic_arn=fanout.arn, sns_key="AKIALEGACY", sns_secret="s")
    [record] = trigger(control, "message.new")["deliveries"]
    assert (record["hook_id"], record["hook_type"], record["status"]) == \
        ("legacy-sns-topic-arn", "sns", "delivered")
    assert len(fanout.bodies(1)) == 1


@pytest.mark.parametrize("size, status", [(262_144, "delivered"), (262_145, "dropped_oversize")])
def test_size_boundary_in_utf8_bytes(chat, control, fresh, size, status):
    fanout = Fanout(fresh, f"size-{size}", raw=True)
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn)])
    answer = control.post("/_emulator/events", {"event": exact_size_event(size, "é")})
    [record] = answer["deliveries"]
    assert (record["status"], record["size_bytes"]) == (status, size)
    bodies = fanout.bodies(1, rounds=2)
    if status == "delivered":
        assert len(bodies[0].encode()) == size
    else:
        assert bodies == [] and record["attempts"] == 0
        assert "262,145 bytes > 262,144: Stream drops SNS messages" in record["reason"]


def test_missing_topic_region_mismatch_and_bad_arn_fail_naming_what_is_missing(chat, control,
                                                                              fresh):
    fanout = Fanout(fresh, "present-topic")
    missing = f"arn:aws:sns:us-east-1:{ACCOUNT}:absent-topic"
    chat.update_app_settings(event_hooks=[
        sns_hook(missing, id="missing"),
        sns_hook(fanout.arn, id="region", sns_region="eu-west-1"),
        sns_hook("not-an-arn", id="bad")])
    records = {r["hook_id"]: r for r in trigger(control, "message.new")["deliveries"]}
    assert {r["status"] for r in records.values()} == {"failed"}
    assert records["missing"]["reason"] == (
        f"topic absent-topic does not exist in account {ACCOUNT}, region us-east-1 (NotFound)")
    assert records["region"]["reason"].startswith(
        "hook region eu-west-1 differs from the topic ARN's region us-east-1")
    assert records["bad"]["reason"] == "invalid SNS topic ARN 'not-an-arn'"
    assert all(r["attempts"] == 0 for r in records.values())
    assert fanout.bodies(1, rounds=2) == []


def test_keys_allowed_and_denied_by_iam_user_policies(chat, control, fresh, iam):
    fanout = Fanout(fresh, "keys-topic")
    good = make_iam_user(iam, "sns-good", load_policy("identity-allow-publish", fanout.arn))
    reader = make_iam_user(iam, "sns-reader", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sns:Subscribe", "Resource": "*"}]})
    sqs_only = make_iam_user(iam, "sqs-only", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]})
    denied = make_iam_user(iam, "sns-denied", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sns:*", "Resource": "*"},
        load_policy("identity-deny-publish", fanout.arn)["Statement"][0]]})
    users = {"good": good, "reader": reader, "sqs-only": sqs_only, "denied": denied}
    chat.update_app_settings(event_hooks=[
        sns_hook(fanout.arn, id=name, sns_key=key, sns_secret=secret)
        for name, (key, secret) in users.items()])
    records = {r["hook_id"]: r for r in trigger(control, "message.new")["deliveries"]}
    assert records["good"]["status"] == "delivered"
    for name in ("reader", "sqs-only"):
        assert records[name]["status"] == "denied"
        assert f"has no policy allowing sns:Publish on {fanout.arn}" in records[name]["reason"]
    assert records["denied"]["status"] == "denied"
    assert 'explicitly denied by statement "DenyPublish"' in records["denied"]["reason"]
    assert len(fanout.bodies(4, rounds=3)) == 1


def test_keys_through_group_and_attached_policies(chat, control, fresh, iam):
    fanout = Fanout(fresh, "group-topic")
    document = json.dumps(load_policy("identity-allow-publish", fanout.arn))
    policy_arn = iam.create_policy(PolicyName="sns-publish", PolicyDocument=document)
    iam.create_group(GroupName="publishers")
    iam.attach_group_policy(GroupName="publishers", PolicyArn=policy_arn["Policy"]["Arn"])
    key, secret = make_iam_user(iam, "in-group", None)
    iam.add_user_to_group(GroupName="publishers", UserName="in-group")
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn, sns_key=key, sns_secret=secret)])
    [record] = trigger(control, "message.new")["deliveries"]
    assert record["status"] == "delivered", record["reason"]
    iam.remove_user_from_group(GroupName="publishers", UserName="in-group")
    [record] = trigger(control, "message.new")["deliveries"]
    assert record["status"] == "denied" and "it has no policies at all" in record["reason"]


@pytest.mark.parametrize("policy, status, words", [
    ("topic-allow-stream", "delivered", ""),
    (None, "denied", "Condition (StringEquals AWS:SourceOwner) that the emulator does not"),
    ("topic-missing-principal", "denied", "only for arn:aws:iam::111122223333:root"),
    ("topic-explicit-deny", "denied", 'explicitly denied by statement "DenyStream" of the topic'),
    ("topic-wrong-resource", "denied", "only on arn:aws:sns:us-east-1:123456789012:some-other"),
])
def test_resource_auth_needs_the_topic_policy_to_allow_stream(chat, control, fresh, policy,
                                                              status, words):
    fanout = Fanout(fresh, f"res-{policy or 'default'}", policy=policy)
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn, sns_auth_type="resource",
                                                   sns_key=None, sns_secret=None)])
    [record] = trigger(control, "message.new")["deliveries"]
    assert record["status"] == status, record["reason"]
    assert words in record["reason"]
    assert len(fanout.bodies(1, rounds=2)) == (1 if status == "delivered" else 0)


def test_ledger_filters_by_hook_type(chat, control, fresh):
    fanout = Fanout(fresh, "ledger-topic")
    queue = fresh.engine.create_queue("ledger-beside", dlq=False)
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn), sqs_hook(queue["url"])])
    trigger(control, "message.new", count=2)
    answer = control.get("/_emulator/deliveries", hook_type="sns")
    assert [(r["hook_type"], r["target"]) for r in answer["deliveries"]] == \
        [("sns", fanout.arn)] * 2
    sqs_only = control.get("/_emulator/deliveries", hook_type="sqs")["deliveries"]
    assert [r["hook_type"] for r in sqs_only] == ["sqs", "sqs"]
    assert answer["totals"]["delivered"] == 4


def test_an_endpoint_outage_fault_fails_sns_after_the_retries(chat, control, fresh):
    fanout = Fanout(fresh, "outage-topic")
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn)])
    control.post("/_emulator/faults", {"sqs": {"mode": "unavailable"}})
    try:
        first, second = trigger(control, "message.new", count=2)["deliveries"]
    finally:
        control.request("DELETE", "/_emulator/faults")
    retries = fresh.settings.send_retries
    assert (first["status"], first["attempts"]) == ("failed", retries + 1)
    assert second["attempts"] == 1  # the circuit: one attempt once a burst gave up
    assert fanout.bodies(1, rounds=2) == []
    [record] = trigger(control, "message.new")["deliveries"]
    assert record["status"] == "delivered"


@pytest.mark.parametrize("by_event, groups", [(True, ["message.new", "reaction.new"]),
                                              (False, ["stream-events", "stream-events"])])
def test_fifo_topic_gets_a_message_group(chat, control, fresh, by_event, groups):
    sns, sqs = fresh.engine.client("sns"), boto_sqs(fresh)
    name = f"ordered-{by_event}".lower()
    arn = sns.create_topic(Name=f"{name}.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    url = sqs.create_queue(QueueName=f"{name}-sub.fifo",
                           Attributes={"FifoQueue": "true"})["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"],
                  Attributes={"RawMessageDelivery": "true"})
    chat.update_app_settings(event_hooks=[
        sns_hook(arn, sns_event_based_message_group_id_enabled=by_event)])
    for event_type in ("message.new", "reaction.new"):
        assert trigger(control, event_type)["deliveries"][0]["status"] == "delivered"
    seen = []
    for _ in range(2):  # a FIFO group hands out one message at a time
        [message] = sqs.receive_message(QueueUrl=url, AttributeNames=["MessageGroupId"],
                                        MaxNumberOfMessages=1)["Messages"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        seen.append(message["Attributes"]["MessageGroupId"])
    assert seen == groups


def test_invariant_with_sns_and_sqs_hooks_and_faults_on_and_off(chat, control, fresh):
    """events × matching hooks == sum of totals; delivered SNS records are exactly the
    notifications the subscribed queue holds, delivered SQS records the queue's messages."""
    fanout = Fanout(fresh, "invariant-topic")
    queue = fresh.engine.create_queue("invariant-sqs", dlq=False)
    chat.update_app_settings(event_hooks=[
        sns_hook(fanout.arn, id="sns-all"),
        sns_hook(fanout.arn, id="sns-msgs", event_types=["message.new"]),
        sns_hook(fanout.arn, id="sns-denied", sns_auth_type="resource", sns_key=None,
                 sns_secret=None),
        sqs_hook(queue["url"], id="sqs-all")])
    expected = 0
    for fault in (None, {"mode": "unavailable", "probability": 0.6},
                  {"mode": "throttle", "probability": 0.5}, None):
        if fault:
            control.post("/_emulator/faults", {"sqs": fault})
        else:
            control.request("DELETE", "/_emulator/faults")
        for event_type, count in (("message.new", 8), ("reaction.new", 6)):
            trigger(control, event_type, count=count)
            expected += count * (4 if event_type == "message.new" else 3)
    ledger = control.get("/_emulator/deliveries")
    records = ledger["deliveries"]
    assert sum(ledger["totals"].values()) == expected == len(records)
    assert ledger["totals"]["failed"] > 0 and ledger["totals"]["denied"] == 56

    def delivered(hook_type: str) -> set[str]:
        return {r["message_id"] for r in records
                if r["status"] == "delivered" and r["hook_type"] == hook_type}

    notifications = {json.loads(b)["MessageId"] for b in fanout.bodies(10_000, rounds=30)}
    assert notifications == delivered("sns") and len(notifications) > 0
    received = {m["MessageId"] for m in receive_all(boto_sqs(fresh), queue["url"], 10_000,
                                                      rounds=10)}
    assert received == delivered("sqs")


@pytest.mark.parametrize("raw, compress", [(False, False), (False, True), (True, False),
                                           (True, True)])
def test_consumer_decode_body_reads_every_form_an_sns_subscription_gets(chat, control, fresh,
                                                                        raw, compress):
    from emulator.consumer import decode_body

    fanout = Fanout(fresh, f"decode-{raw}-{compress}".lower(), raw=raw)
    chat.update_app_settings(event_hooks=[sns_hook(fanout.arn)],
                             enable_hook_payload_compression=compress)
    answer = trigger(control, "message.new", count=2)
    assert [decode_body(b) for b in fanout.bodies(2)] == answer["events"]
