"""Soak: 100,000 events with SQS faults switched on and off, then check nothing went missing.

    .venv/bin/python scripts/soak_faults.py [--events 100000]

Invariant (issue 7 §2): events × matching hooks == delivered + dropped_oversize + denied +
failed, exactly; and the set of `delivered` MessageIds equals what a boto3 consumer receives.
Exits 1 when either does not hold. tests/integration/test_faults.py runs a short version.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.delivery.records import DeliveryFilter, Status
from emulator.server import EmulatorServer

FAULTS = [None, {"mode": "unavailable", "probability": 0.3},
          {"mode": "throttle", "probability": 0.5}, {"mode": "latency", "latency_ms": 1,
                                                     "probability": 0.05}]
MIX = [("message.new", 3), ("reaction.new", 2), ("message.updated", 1)]


def hooks(url: str) -> list[dict]:
    base = {"hook_type": "sqs", "enabled": True, "sqs_queue_url": url,
            "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}
    return [dict(base, id="all"), dict(base, id="messages", event_types=["message.new"])]


def drain(sqs, url: str) -> set[str]:
    received: set[str] = set()
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                    VisibilityTimeout=600).get("Messages", [])
        if not batch:
            return received
        received |= {m["MessageId"] for m in batch}
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    settings = Settings(port=0, sqs_port=0, seed=1, retry_backoff_ms=1,
                        ledger_size=args.events * 3)
    with EmulatorServer(settings) as server:
        queue = server.engine.create_queue("soak", dlq=False)
        control = ControlClient.for_settings(server.base_url, settings)
        control.update_app(event_hooks=hooks(queue["url"]))
        expected, sent, started = 0, 0, time.perf_counter()
        faults = itertools.cycle(FAULTS)
        types = itertools.cycle(t for t, weight in MIX for _ in range(weight))
        while sent < args.events:
            fault = next(faults)
            if fault:
                control.set_fault(**fault)
            else:
                control.clear_faults()
            event_type, count = next(types), min(args.batch, args.events - sent)
            control.trigger(event_type, count)
            expected += count * (2 if event_type == "message.new" else 1)
            sent += count
        totals = server.backend.totals()
        delivered = {r.message_id for r in server.backend.deliveries(
            DeliveryFilter(status=Status.DELIVERED))}
        received = drain(server.engine.client("sqs"), queue["url"])
    print(f"{sent:,} events in {time.perf_counter() - started:.0f} s; expected {expected:,} "
          f"outcomes; totals {totals}")
    exact = sum(totals.values()) == expected
    matched = received == delivered and len(delivered) == totals["delivered"]
    print(f"events × matching hooks == sum of totals: {exact}")
    print(f"delivered records == received messages ({len(received):,}): {matched}")
    return 0 if exact and matched else 1


if __name__ == "__main__":
    sys.exit(main())
