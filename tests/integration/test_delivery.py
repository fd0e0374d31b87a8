"""End to end: the stream-chat SDK configures hooks, the control API triggers events, a boto3
consumer reads the queue, and both official SDK parsers decode what arrives."""

from __future__ import annotations

import json

import getstream.webhook
import pytest
import stream_chat.webhook

from emulator.catalog.types import event_types
from emulator.events.generator import Generator
from tests.helpers import boto_sqs, make_iam_user, send_policy

STREAM_PRINCIPAL = "arn:aws:iam::185583345998:root"


def sqs_hook(queue_url, **extra):
    hook = {"hook_type": "sqs", "enabled": True, "sqs_queue_url": queue_url,
            "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": "AKIAANYKEY",
            "sqs_secret": "any-secret"}
    hook.update(extra)
    return hook


def receive_all(sqs, url, expected, rounds=20):
    messages = []
    for _ in range(rounds):
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                    WaitTimeSeconds=0).get("Messages", [])
        for m in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        messages += batch
        if len(messages) >= expected:
            break
    return messages


def trigger(control, event_type, **body):
    return control.post("/_emulator/events", {"type": event_type, **body})


@pytest.fixture
def queue(fresh):
    return fresh.engine.create_queue("deliveries")


def test_every_event_type_reaches_the_queue_and_both_parsers_decode_it(chat, control, fresh,
                                                                       queue):
    chat.update_app_settings(event_hooks=[sqs_hook(queue["url"])])
    sqs = boto_sqs(fresh)
    for dialect in ("v1", "v2"):
        types = event_types(dialect)  # v1: 64, v2: 77 (the moderation types too)
        sent = [trigger(control, t, dialect=dialect, seed=7) for t in types]
        assert all(a["deliveries"][0]["status"] == "delivered" for a in sent)
        messages = receive_all(sqs, queue["url"], len(types))
        assert len(messages) == len(types)
        by_id = {m["MessageId"]: m for m in messages}
        for answer in sent:
            [record] = answer["deliveries"]
            body = by_id[record["message_id"]]["Body"]
            assert json.loads(body) == answer["events"][0]
            assert len(body.encode()) == record["size_bytes"]
            if dialect == "v2":  # getstream's typed models decode Unix-ns timestamps
                event = getstream.webhook.parse_sqs(body)
                cls = getstream.webhook._get_event_class(record["event_type"])
                assert type(event) is cls, record["event_type"]


def test_compressed_bodies_decode_with_both_official_parsers(chat, control, fresh, queue):
    chat.update_app_settings(event_hooks=[sqs_hook(queue["url"])],
                             enable_hook_payload_compression=True)
    answer = trigger(control, "message.new", dialect="v2")
    [message] = receive_all(boto_sqs(fresh), queue["url"], 1)
    body = message["Body"]
    assert not body.startswith("{")  # base64(gzip(json))
    assert stream_chat.webhook.parse_sqs(body) == answer["events"][0]
    typed = getstream.webhook.parse_sqs(body)
    assert typed.message.id == answer["events"][0]["message"]["id"]


def exact_size_event(size: int, char: str = "a") -> dict:
    """A message.new whose JSON body is exactly `size` UTF-8 bytes."""
    from emulator.delivery.encoding import body_size, event_json

    event = Generator(seed=3).make("message.new")
    event["message"]["text"] = ""
    event["message"]["html"] = ""
    missing = size - body_size(event_json(event))
    width = len(char.encode())
    event["message"]["text"] = char * (missing // width) + "a" * (missing % width)
    return event


@pytest.mark.parametrize("size, status", [(262_143, "delivered"), (262_144, "delivered"),
                                          (262_145, "dropped_oversize")])
@pytest.mark.parametrize("char", ["a", "é", "日"])
def test_size_boundary_in_utf8_bytes(chat, control, fresh, queue, size, status, char):
    chat.update_app_settings(event_hooks=[sqs_hook(queue["url"])])
    answer = control.post("/_emulator/events", {"event": exact_size_event(size, char)})
    [record] = answer["deliveries"]
    assert (record["status"], record["size_bytes"]) == (status, size)
    messages = receive_all(boto_sqs(fresh), queue["url"], 1, rounds=2)
    if status == "delivered":
        assert len(messages[0]["Body"].encode("utf-8")) == size
    else:
        assert messages == []
        assert f"{size:,} bytes > 262,144" in record["reason"]


def test_keys_allowed_and_denied_by_iam_user_policies(chat, control, fresh, iam, queue):
    good = make_iam_user(iam, "good", send_policy(queue["arn"]))
    bad = make_iam_user(iam, "bad", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"}]})
    chat.update_app_settings(event_hooks=[
        sqs_hook(queue["url"], id="good", sqs_key=good[0], sqs_secret=good[1]),
        sqs_hook(queue["url"], id="bad", sqs_key=bad[0], sqs_secret=bad[1])])
    records = {r["hook_id"]: r for r in trigger(control, "message.new")["deliveries"]}
    assert records["good"]["status"] == "delivered"
    assert records["bad"]["status"] == "denied"
    assert "sqs:SendMessage" in records["bad"]["reason"] and "bad" in records["bad"]["reason"]
    assert len(receive_all(boto_sqs(fresh), queue["url"], 2, rounds=2)) == 1


@pytest.mark.parametrize("policy_name, status, words", [
    ("allow-stream", "delivered", ""),
    ("missing-principal", "denied", "185583345998"),
    ("explicit-deny", "denied", "explicitly denied"),
    ("wrong-resource", "denied", "SendMessage"),
])
def test_resource_policies(chat, control, fresh, policy_name, status, words):
    from emulator.delivery.policy_examples import load_policy

    name = f"res-{policy_name}"
    arn = f"arn:aws:sqs:us-east-1:123456789012:{name}"
    queue = fresh.engine.create_queue(name, policy=load_policy(policy_name, arn))
    chat.update_app_settings(event_hooks=[sqs_hook(queue["url"], sqs_auth_type="resource",
                                                   sqs_key="", sqs_secret="")])
    [record] = trigger(control, "message.new")["deliveries"]
    assert record["status"] == status, record["reason"]
    assert words in record["reason"]


def test_missing_queue_and_region_mismatch_fail_and_the_emulator_keeps_going(chat, control,
                                                                            fresh, queue):
    aws_style = "https://sqs.us-east-1.amazonaws.com/123456789012/deliveries"
    chat.update_app_settings(event_hooks=[
        sqs_hook(f"{fresh.engine.endpoint_url}/123456789012/gone", id="missing"),
        sqs_hook(aws_style, id="wrong-region", sqs_region="eu-west-1"),
        sqs_hook(aws_style, id="aws-style")])
    records = {r["hook_id"]: r for r in trigger(control, "message.new")["deliveries"]}
    assert records["missing"]["status"] == "failed"
    assert "gone does not exist" in records["missing"]["reason"]
    assert records["wrong-region"]["status"] == "failed"
    assert "eu-west-1" in records["wrong-region"]["reason"]
    assert records["aws-style"]["status"] == "delivered"  # routed to the emulated queue
    assert trigger(control, "user.banned")["deliveries"]  # still accepting events


def test_event_types_filter_disabled_hooks_and_legacy_sqs_url(chat, control, fresh, queue):
    other = fresh.engine.create_queue("legacy", dlq=False)
    chat.update_app_settings(
        event_hooks=[sqs_hook(queue["url"], id="only-reactions", event_types=["reaction.new"]),
                     sqs_hook(queue["url"], id="off", enabled=False)],
        sqs_url=other["url"], sqs_key="AKIALEGACY", sqs_secret="s",
        webhook_events=["message.new"])
    new = {r["hook_id"]: r["status"] for r in trigger(control, "message.new")["deliveries"]}
    assert new == {"legacy-sqs-url": "delivered"}
    reaction = trigger(control, "reaction.new")["deliveries"]
    assert [r["hook_id"] for r in reaction] == ["only-reactions"]
    assert len(receive_all(boto_sqs(fresh), other["url"], 1)) == 1


def test_consumer_that_never_deletes_sees_the_message_moved_to_the_dlq(chat, control, fresh,
                                                                       queue):
    chat.update_app_settings(event_hooks=[sqs_hook(queue["url"])])
    event = trigger(control, "message.new")["events"][0]
    sqs = boto_sqs(fresh)
    for _ in range(5):  # maxReceiveCount = 5
        got = sqs.receive_message(QueueUrl=queue["url"], VisibilityTimeout=0)["Messages"]
        assert len(got) == 1
    assert sqs.receive_message(QueueUrl=queue["url"]).get("Messages", []) == []
    [dead] = sqs.receive_message(QueueUrl=queue["dlq_url"])["Messages"]
    assert json.loads(dead["Body"]) == event


def test_ledger_totals_equal_events_times_matching_hooks(chat, control, fresh, queue, iam):
    bad = make_iam_user(iam, "nobody", None)
    chat.update_app_settings(event_hooks=[
        sqs_hook(queue["url"], id="all"),
        sqs_hook(queue["url"], id="messages", event_types=["message.new", "message.updated"]),
        sqs_hook(queue["url"], id="denied", sqs_key=bad[0], sqs_secret=bad[1]),
        sqs_hook(f"{fresh.engine.endpoint_url}/123456789012/nope", id="failed")])
    counts = {"message.new": 30, "reaction.new": 20, "message.updated": 10}
    for event_type, count in counts.items():
        trigger(control, event_type, count=count)
    control.post("/_emulator/events", {"event": exact_size_event(300_000)})
    answer = control.get("/_emulator/deliveries")
    totals = answer["totals"]
    events = sum(counts.values()) + 1
    matching = events * 3 + counts["message.new"] + counts["message.updated"] + 1
    assert sum(totals.values()) == matching == len(answer["deliveries"])
    assert totals["denied"] == events - 1 and totals["failed"] == events - 1
    assert totals["dropped_oversize"] == 4
    assert totals["delivered"] == matching - 2 * (events - 1) - 4
    only_denied = control.get("/_emulator/deliveries", status="denied", hook_id="denied",
                              limit=5)["deliveries"]
    assert len(only_denied) == 5 and {r["hook_id"] for r in only_denied} == {"denied"}


def test_ledger_is_bounded_but_totals_stay_exact():
    from emulator.delivery.ledger import Ledger
    from emulator.delivery.records import DeliveryRecord, Status

    ledger = Ledger(max_records=10)
    ledger.add_many(DeliveryRecord(str(i), "x", "h", "sqs", "t", Status.DELIVERED, "", 1, None,
                                   1, "2026-12-01T00:00:00Z") for i in range(25))
    assert len(ledger.query()) == 10 and ledger.totals()["delivered"] == 25
    assert [r.id for r in ledger.query()] == [str(i) for i in range(15, 25)]


def test_base64_switch_lets_stream_chat_parse_uncompressed_bodies():
    from emulator.cli.client import ControlClient
    from emulator.config import Settings
    from emulator.server import EmulatorServer

    settings = Settings(port=0, sqs_port=0, sqs_body_base64=True)
    with EmulatorServer(settings) as server:
        queue = server.engine.create_queue("b64", dlq=False)
        control = ControlClient.for_settings(server.base_url, settings)
        control.patch("/app", {"event_hooks": [sqs_hook(queue["url"])]})
        event = trigger(control, "reaction.new", dialect="v2")["events"][0]
        [message] = receive_all(boto_sqs(server), queue["url"], 1)
        assert stream_chat.webhook.parse_sqs(message["Body"]) == event
        typed = getstream.webhook.parse_sqs(message["Body"])  # v2: typed model, ns timestamps
        assert typed.reaction.message_id == event["reaction"]["message_id"]
