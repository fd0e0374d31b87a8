"""The SQS endpoint dies in the middle of a burst: the emulator stays up, records `failed`
with the reason, check_sqs reports the outage, and delivery resumes when SQS is back."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from stream_chat import StreamChat

from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.server import EmulatorServer


@pytest.fixture(scope="module")
def own_server():
    # Its own server: this test stops the embedded SQS, which must not hit other tests.
    with EmulatorServer(Settings(port=0, sqs_port=0, retry_backoff_ms=1)) as server:
        yield server


def test_embedded_sqs_killed_mid_burst_then_back(own_server):
    server = own_server
    queue = server.engine.create_queue("outage")
    control = ControlClient.for_settings(server.base_url, server.settings)
    chat = StreamChat("emulator-key", "emulator-secret-for-local-use-only", base_url=server.base_url)
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
    sqs = server.engine.client("sqs")
    control.post("/_emulator/events", {"type": "message.new"})  # warm up the generator
    sqs.purge_queue(QueueUrl=queue["url"])
    # Slow sends a little so the burst is still running when SQS goes away.
    control.post("/_emulator/faults", {"sqs": {"mode": "latency", "latency_ms": 2}})
    answer: dict = {}
    burst = threading.Thread(target=lambda: answer.update(control.post(
        "/_emulator/events", {"type": "message.new", "count": 600})))
    burst.start()
    deadline = time.monotonic() + 30
    while depth(sqs, queue["url"]) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.engine.stop()
    burst.join(timeout=120)
    statuses = [r["status"] for r in answer["deliveries"]]
    assert statuses[0] == "delivered" and statuses[-1] == "failed"
    assert set(statuses) == {"delivered", "failed"}
    failed = next(r for r in answer["deliveries"] if r["status"] == "failed")
    assert "unreachable" in failed["reason"]

    assert requests.get(server.base_url + "/_emulator/health", timeout=5).ok  # still up
    check = chat.check_sqs(sqs_key="k", sqs_secret="s", sqs_url=queue["url"])
    assert check["status"] == "error" and "unreachable" in check["error"]

    server.engine.start()  # same port: queues and messages are still in moto's memory
    control.request("DELETE", "/_emulator/faults")
    [record] = control.post("/_emulator/events", {"type": "message.new"})["deliveries"]
    assert record["status"] == "delivered"
    assert chat.check_sqs(sqs_key="k", sqs_secret="s", sqs_url=queue["url"])["status"] == "ok"
    delivered = statuses.count("delivered") + 2  # + the event and the check message
    assert depth(sqs, queue["url"]) == delivered


def depth(sqs, url: str) -> int:
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attrs["Attributes"]["ApproximateNumberOfMessages"])
