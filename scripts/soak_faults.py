"""Soak: 100,000 events to SQS, SNS and webhook hooks with faults on, then check nothing went missing.

    .venv/bin/python scripts/soak_faults.py [--events 100000]

Faults: SQS/SNS endpoint faults switched on and off (`/_emulator/faults`), and a webhook
receiver on loopback that answers 503/429/404 or drops the connection on a random share of
requests. Invariant (issue 7 §2, issue 14): events × matching hooks == delivered +
dropped_oversize + denied + failed, exactly; per hook type, the `delivered` records are
exactly what arrived: SQS MessageIds a boto3 consumer receives, SNS MessageIds in the
envelopes of the queue subscribed to the topic, X-Webhook-Ids the receiver accepted.
Exits 1 when any does not hold. tests/integration/test_soak.py runs a short version.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time

from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.delivery.records import DeliveryFilter, Status
from emulator.server import EmulatorServer
from emulator.webhook_receiver import WebhookReceiver

FAULTS = [None, {"mode": "unavailable", "probability": 0.3},
          {"mode": "throttle", "probability": 0.5}, {"mode": "latency", "latency_ms": 1,
                                                     "probability": 0.05}]
MIX = [("message.new", 3), ("reaction.new", 2), ("message.updated", 1)]
# What the receiver answers, by share of requests (None = a normal, verified 200).
WEBHOOK_FAULTS = [(None, 80), (503, 8), (429, 4), ("reset", 4), (404, 4)]


def hooks(queue_url: str, topic_arn: str, webhook_url: str) -> list[dict]:
    base = {"hook_type": "sqs", "enabled": True, "sqs_queue_url": queue_url,
            "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}
    return [dict(base, id="all"), dict(base, id="messages", event_types=["message.new"]),
            {"id": "sns", "hook_type": "sns", "enabled": True, "sns_topic_arn": topic_arn,
             "sns_region": "us-east-1", "sns_key": "k", "sns_secret": "s"},
            {"id": "webhook", "hook_type": "webhook", "enabled": True,
             "webhook_url": webhook_url}]


def receiver_script(requests: int, seed: int) -> list:
    rng = random.Random(seed)
    answers, weights = zip(*WEBHOOK_FAULTS, strict=True)
    return rng.choices(answers, weights, k=requests)


def drain(sqs, url: str) -> list[dict]:
    received: list[dict] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                    VisibilityTimeout=600).get("Messages", [])
        if not batch:
            return received
        received += batch
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])


def topic_with_queue(server: EmulatorServer) -> tuple[str, str]:
    sns = server.engine.client("sns")
    arn = sns.create_topic(Name="soak-topic")["TopicArn"]
    queue = server.engine.create_queue("soak-sns", dlq=False)
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue["arn"])
    return arn, queue["url"]


def send_all(control: ControlClient, events: int, batch: int) -> int:
    """Trigger `events` events in batches with SQS/SNS faults cycling; expected outcomes."""
    expected, sent = 0, 0
    faults = itertools.cycle(FAULTS)
    types = itertools.cycle(t for t, weight in MIX for _ in range(weight))
    while sent < events:
        fault = next(faults)
        if fault:
            control.set_fault(**fault)
        else:
            control.clear_faults()
        event_type, count = next(types), min(batch, events - sent)
        control.trigger(event_type, count)
        # all + sns + webhook, and the messages-only SQS hook for message.new
        expected += count * (4 if event_type == "message.new" else 3)
        sent += count
    control.clear_faults()
    return expected


def settled_totals(server: EmulatorServer, expected: int, limit_s: float = 120.0) -> dict:
    """The ledger totals once `expected` records are in: a trigger answer waits for webhook
    deliveries only up to a bound, and the rest reach the ledger when their attempts end."""
    deadline = time.monotonic() + limit_s
    totals = server.backend.totals()
    while sum(totals.values()) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
        totals = server.backend.totals()
    return totals


def delivered_ids(server: EmulatorServer, hook_type: str) -> set[str]:
    records = server.backend.deliveries(DeliveryFilter(status=Status.DELIVERED,
                                                       hook_type=hook_type))
    return {r.message_id for r in records}


def run(events: int, batch: int) -> dict[str, bool]:
    settings = Settings(port=0, sqs_port=0, seed=1, retry_backoff_ms=1, webhook_backoff_ms=1,
                        webhook_timeout_ms=2000, ledger_size=events * 5)
    with EmulatorServer(settings) as server, WebhookReceiver(
            settings.api_secret, script=receiver_script(events * 3, seed=7)) as receiver:
        queue = server.engine.create_queue("soak", dlq=False)
        topic_arn, sns_queue = topic_with_queue(server)
        control = ControlClient.for_settings(server.base_url, settings)
        control.update_app(event_hooks=hooks(queue["url"], topic_arn, receiver.url))
        started = time.perf_counter()
        expected = send_all(control, events, batch)
        totals = settled_totals(server, expected)
        sqs = server.engine.client("sqs")
        got_sqs = {m["MessageId"] for m in drain(sqs, queue["url"])}
        got_sns = {json.loads(m["Body"])["MessageId"] for m in drain(sqs, sns_queue)}
        checks = {
            "events × matching hooks == sum of totals": sum(totals.values()) == expected,
            "delivered SQS records == messages received": got_sqs == delivered_ids(server, "sqs"),
            "delivered SNS records == notifications received":
                got_sns == delivered_ids(server, "sns"),
            "delivered webhook records == events the receiver accepted":
                receiver.ids == delivered_ids(server, "webhook"),
        }
        print(f"{events:,} events in {time.perf_counter() - started:.0f} s; expected "
              f"{expected:,} outcomes; totals {totals}; receiver {receiver.stats()}")
    for name, ok in checks.items():
        print(f"{name}: {ok}")
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    return 0 if all(run(args.events, args.batch).values()) else 1


if __name__ == "__main__":
    sys.exit(main())
