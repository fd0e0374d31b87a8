"""Fault injection: SQS unavailable, throttled or slow on demand, and nothing unaccounted."""

from __future__ import annotations

import time

import pytest

from emulator.cli.client import EmulatorError
from tests.helpers import boto_sqs, make_iam_user


@pytest.fixture
def hooked(chat, fresh):
    queue = fresh.engine.create_queue("faulty")
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "id": "h", "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
    return queue


def fire(control, count=1, event_type="message.new"):
    return control.post("/_emulator/events", {"type": event_type, "count": count})["deliveries"]


def test_unavailable_fails_after_retries_then_recovers_when_cleared(control, hooked):
    answer = control.post("/_emulator/faults", {"sqs": {"mode": "unavailable"}})
    assert answer["sqs"]["mode"] == "unavailable" and answer["sqs"]["seconds_left"] is None
    [record] = fire(control)
    assert record["status"] == "failed"
    assert "unavailable" in record["reason"] and "after 3 attempt(s)" in record["reason"]
    assert control.get("/_emulator/faults")["sqs"]["mode"] == "unavailable"
    assert control.request("DELETE", "/_emulator/faults")["sqs"] is None
    assert fire(control)[0]["status"] == "delivered"


def test_fault_with_seconds_ends_on_its_own(control, hooked):
    fire(control)  # warm up: the first trigger of a worker loads schemas and Faker pools
    control.post("/_emulator/faults", {"sqs": {"mode": "throttle", "seconds": 1.0}})
    assert "RequestThrottled" in fire(control)[0]["reason"]
    time.sleep(1.05)
    assert control.get("/_emulator/faults")["sqs"] is None
    assert fire(control)[0]["status"] == "delivered"


def test_latency_mode_still_delivers(control, hooked):
    control.post("/_emulator/faults", {"sqs": {"mode": "latency", "latency_ms": 5}})
    assert [r["status"] for r in fire(control, 3)] == ["delivered"] * 3


@pytest.mark.parametrize("body, words", [
    ({}, '{"sqs"'), ({"sqs": {"mode": "explode"}}, "sqs.mode must be one of"),
    ({"sqs": {"mode": "throttle", "probability": 2}}, "between 0 and 1"),
    ({"sqs": {"mode": "latency", "latency_ms": "slow"}}, "latency_ms must be a number"),
    # 0 ms (also 0.5, truncated) would be a latency fault that does nothing
    ({"sqs": {"mode": "latency"}}, "latency_ms must be at least 1 for mode 'latency'"),
    ({"sqs": {"mode": "latency", "latency_ms": 0.5}}, "latency_ms must be at least 1"),
    ({"sqs": {"mode": "unavailable", "seconds": -1}}, "seconds must be positive"),
])
def test_bad_fault_bodies_are_code_4(control, body, words):
    with pytest.raises(EmulatorError) as caught:
        control.post("/_emulator/faults", body)
    assert caught.value.status == 400 and words in caught.value.body["message"]


def test_invariant_with_faults_switched_on_and_off(control, chat, fresh, iam):
    """events × matching hooks == sum of totals; every delivered record is a received message."""
    queue = fresh.engine.create_queue("invariant", dlq=False)
    bad = make_iam_user(iam, "no-send", None)
    chat.update_app_settings(event_hooks=[
        {"hook_type": "sqs", "enabled": True, "id": "all", "sqs_queue_url": queue["url"],
         "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"},
        {"hook_type": "sqs", "enabled": True, "id": "msgs", "sqs_queue_url": queue["url"],
         "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s",
         "event_types": ["message.new"]},
        {"hook_type": "sqs", "enabled": True, "id": "denied", "sqs_queue_url": queue["url"],
         "sqs_region": "us-east-1", "sqs_key": bad[0], "sqs_secret": bad[1]}])
    expected = 0
    faults = [None, {"mode": "unavailable", "probability": 0.7},
              {"mode": "throttle", "probability": 0.5}, None]
    for fault in faults:
        if fault:
            control.post("/_emulator/faults", {"sqs": fault})
        else:
            control.request("DELETE", "/_emulator/faults")
        for event_type, count in (("message.new", 40), ("reaction.new", 30)):
            fire(control, count, event_type)
            expected += count * (3 if event_type == "message.new" else 2)
    ledger = control.get("/_emulator/deliveries")
    assert sum(ledger["totals"].values()) == expected == len(ledger["deliveries"])
    assert ledger["totals"]["failed"] > 0 and ledger["totals"]["denied"] == 280
    delivered = {r["message_id"] for r in ledger["deliveries"] if r["status"] == "delivered"}
    sqs, received = boto_sqs(fresh), set()
    while True:
        batch = sqs.receive_message(QueueUrl=queue["url"], MaxNumberOfMessages=10,
                                    VisibilityTimeout=60).get("Messages", [])
        if not batch:
            break
        received |= {m["MessageId"] for m in batch}
    assert received == delivered and len(delivered) == ledger["totals"]["delivered"]
