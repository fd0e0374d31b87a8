"""SendMessageBatch to an external SQS endpoint (a `moto_server` process): batches, each
entry's own outcome, retries, per-hook order, an exact ledger, and the SendMessage switch."""

from __future__ import annotations

import json
import re
import threading
import urllib.request

import pytest

from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.events.generator import Generator
from emulator.server import EmulatorServer
from tests.helpers import free_port, start_moto, stop_moto


@pytest.fixture(scope="module")
def moto_url(tmp_path_factory):
    port = free_port()
    recording = tmp_path_factory.mktemp("moto") / "recording"
    proc = start_moto(port, {"MOTO_RECORDER_FILEPATH": str(recording)})
    yield f"http://127.0.0.1:{port}"
    stop_moto(proc)


def emulator(moto_url, **settings):
    return EmulatorServer(Settings.from_env({"STREAM_EMULATOR_SQS_ENDPOINT": moto_url}, port=0,
                                            retry_backoff_ms=1, **settings))


@pytest.fixture(scope="module")
def batching(moto_url):
    with emulator(moto_url) as server:
        yield server


@pytest.fixture(scope="module")
def in_order(moto_url):
    with emulator(moto_url, send_concurrency=1) as server:
        yield server


_names = iter(range(10**6))


def hooked_queue(server, **attributes):
    """A fresh queue on the external endpoint and the app's one SQS hook pointing at it."""
    name = f"batch-{next(_names)}"
    sqs = server.engine.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    server.backend.reset()
    server.backend.update_app({"event_hooks": [{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": url, "sqs_region": "us-east-1",
        "sqs_auth_type": "keys", "sqs_key": "k", "sqs_secret": "s"}]})
    return url


def payloads(count, seed=5):
    generator = Generator(seed=seed, dialect="v1")
    return [generator.make("message.new") for _ in range(count)]


def drain(server, url):
    """Every message, in the order the queue hands them out (moto: arrival order)."""
    sqs, bodies = server.engine.client("sqs"), []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        bodies += [json.loads(m["Body"]) for m in batch]
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
    return bodies


def control(server):
    return ControlClient.for_settings(server.base_url, server.settings)


def test_one_hook_keeps_the_event_order_with_one_send_in_flight(in_order):
    url = hooked_queue(in_order)
    events = payloads(35)
    answer = control(in_order).deliver_many(events)
    assert [r["status"] for r in answer.deliveries] == ["delivered"] * 35
    ids = [e["message"]["id"] for e in drain(in_order, url)]
    assert ids == [e["message"]["id"] for e in events]


def test_concurrent_batches_keep_the_order_within_each_batch_and_the_ledger_exact(batching):
    url = hooked_queue(batching)
    events = payloads(60, seed=6)
    answer = control(batching).deliver_many(events)
    records = answer.deliveries
    assert [r["status"] for r in records] == ["delivered"] * 60
    assert len({r["message_id"] for r in records}) == 60  # each entry its own MessageId
    position = {e["message"]["id"]: i for i, e in enumerate(drain(batching, url))}
    assert len(position) == 60
    for start in range(0, 60, 10):  # batches of 10 entries, in event order inside each
        placed = [position[e["message"]["id"]] for e in events[start:start + 10]]
        assert placed == sorted(placed)
    assert batching.backend.totals()["delivered"] == 60


def test_a_partly_failing_batch_records_each_entry_on_its_own(batching):
    # The queue's own limit (8 KiB) rejects one entry; Stream's 256 KB rule drops another
    # before anything is sent; the rest of the same batch is delivered.
    url = hooked_queue(batching, MaximumMessageSize="8192")
    events = payloads(6, seed=7)
    events[2]["message"]["text"] = "x" * 10_000
    events[4]["message"]["text"] = "y" * 300_000
    records = control(batching).deliver_many(events).deliveries
    assert [r["status"] for r in records] == [
        "delivered", "delivered", "failed", "delivered", "dropped_oversize", "delivered"]
    assert "InvalidParameterValue" in records[2]["reason"] and "8192" in records[2]["reason"]
    assert records[2]["message_id"] is None and "256 KB" in records[4]["reason"]
    delivered = [e["message"]["id"] for i, e in enumerate(events) if i in (0, 1, 3, 5)]
    assert [e["message"]["id"] for e in drain(batching, url)] == delivered


def test_a_throttled_batch_is_retried_then_failed_with_sqs_code(batching):
    url = hooked_queue(batching)
    client = control(batching)
    client.post("/_emulator/faults", {"sqs": {"mode": "throttle"}})
    try:
        records = client.deliver_many(payloads(12, seed=8)).deliveries
    finally:
        client.request("DELETE", "/_emulator/faults")
    assert [r["status"] for r in records] == ["failed"] * 12
    assert all("RequestThrottled" in r["reason"] and "gave up after 3 attempt(s)" in r["reason"]
               for r in records)
    assert drain(batching, url) == []


def test_sometimes_throttled_batches_leave_an_exact_ledger(batching):
    url = hooked_queue(batching)
    client = control(batching)
    client.post("/_emulator/faults", {"sqs": {"mode": "throttle", "probability": 0.5}})
    try:
        records = client.deliver_many(payloads(80, seed=9)).deliveries
    finally:
        client.request("DELETE", "/_emulator/faults")
    totals = batching.backend.totals()
    assert totals["delivered"] + totals["failed"] == 80 == len(records)
    received = drain(batching, url)
    assert len(received) == totals["delivered"] > 0  # no entry lost, none sent twice
    assert len({e["message"]["id"] for e in received}) == len(received)


@pytest.mark.parametrize("mode", ["batch", "single"])
def test_a_missing_queue_is_named_by_the_send_itself(moto_url, mode):
    # No look-up before sending to an external endpoint: SQS's answer names the queue.
    with emulator(moto_url, sqs_send=mode) as server:
        url = hooked_queue(server)
        server.engine.client("sqs").delete_queue(QueueUrl=url)
        records = control(server).deliver_many(payloads(12, seed=11)).deliveries
    name = url.rsplit("/", 1)[1]
    assert [r["status"] for r in records] == ["failed"] * 12
    assert all(r["reason"] == f"queue {name} does not exist in account 123456789012, region "
               "us-east-1 (QueueDoesNotExist)" for r in records)


def test_a_denied_key_on_a_missing_queue_is_failed_not_denied(moto_url):
    with emulator(moto_url, strict_iam=True) as server:
        hooked_queue(server)  # key "k": unknown to IAM, so strict mode denies it
        records = control(server).deliver_many(payloads(2, seed=12)).deliveries
        assert [r["status"] for r in records] == ["denied"] * 2
        url = hooked_queue(server)
        server.engine.client("sqs").delete_queue(QueueUrl=url)
        records = control(server).deliver_many(payloads(2, seed=13)).deliveries
    assert [r["status"] for r in records] == ["failed"] * 2
    assert "does not exist" in records[0]["reason"]


def sending_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("sqs-send")}


def test_hooks_configured_anew_reuse_the_sending_threads(moto_url):
    # One shared pool (8 lanes x 1 batch in flight here): 30 new hooks start at most 8 threads
    # (a pool per hook used to start one each and keep them).
    before = sending_threads()
    with emulator(moto_url, send_concurrency=1) as server:
        for seed in range(30):
            url = hooked_queue(server)
            records = server.backend.deliver_many(payloads(1, seed=seed)).records
            assert [str(r.status) for r in records] == ["delivered"]
            assert len(drain(server, url)) == 1
        assert 1 <= len(sending_threads() - before) <= 8


_SPACE = re.compile(r"\s*")


def recorded_actions(moto_url):
    """The X-Amz-Target of every recorded request.

    moto's recorder writes an entry and its newline in two writes, so concurrent sends can leave
    two entries on one line: decode the recording as a stream of JSON values, not line by line."""
    with urllib.request.urlopen(f"{moto_url}/moto-api/recorder/download-recording") as answer:
        text = answer.read().decode()
    decoder, targets = json.JSONDecoder(), []
    position = _SPACE.match(text).end()
    while position < len(text):
        entry, position = decoder.raw_decode(text, position)
        targets.append(entry["headers"].get("X-Amz-Target", ""))
        position = _SPACE.match(text, position).end()
    return targets


@pytest.mark.parametrize("mode, action, calls", [
    ("batch", "AmazonSQS.SendMessageBatch", 3), ("single", "AmazonSQS.SendMessage", 25)])
def test_the_send_switch(moto_url, mode, action, calls):
    def post(route):
        urllib.request.urlopen(urllib.request.Request(
            f"{moto_url}/moto-api/recorder/{route}", method="POST"))

    with emulator(moto_url, sqs_send=mode) as server:
        url = hooked_queue(server)
        post("reset-recording")
        post("start-recording")
        try:
            records = control(server).deliver_many(payloads(25, seed=10)).deliveries
        finally:
            post("stop-recording")
        actions = recorded_actions(moto_url)
        sends = [a for a in actions if a.startswith("AmazonSQS.Send")]
        assert sends == [action] * calls
        # Nothing looked up per delivery: no GetQueueAttributes/GetQueueUrl, no IAM (query
        # protocol: no X-Amz-Target) calls.
        assert sorted(set(actions)) == [action]
        assert [r["status"] for r in records] == ["delivered"] * 25
        assert len(drain(server, url)) == 25
