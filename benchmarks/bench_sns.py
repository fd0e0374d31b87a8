"""SNS hooks in embedded mode: the emulator's delivery vs plain boto3 Publish over HTTP.

Prints, in one run against one embedded emulator (moto in-process, a topic with one queue
subscribed): events/s of an SNS hook (generate → encode → 256 KB rule → gate → publish via
``sqs_fast.publish_direct``, ledger) for a burst of N events, and the same number of plain boto3
``Publish`` calls of the same bodies to the same topic (the baseline: what a user's own code
would pay). No DESIGN target; the README quotes the figure. Exit 1 when the emulator is
slower than the baseline.

Usage: python -m benchmarks.bench_sns [--events 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

from benchmarks.report import emit
from emulator.config import Settings
from emulator.delivery.encoding import encode_body
from emulator.server import EmulatorServer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000)
    args = parser.parse_args()
    with EmulatorServer(Settings(port=0, sqs_port=0, seed=5)) as server:
        sns = server.engine.client("sns")
        arn = sns.create_topic(Name="bench-topic")["TopicArn"]
        queue = server.engine.create_queue("bench-topic-sub", dlq=False)
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue["arn"])
        backend = server.backend
        backend.update_app({"event_hooks": [{
            "hook_type": "sns", "enabled": True, "sns_topic_arn": arn,
            "sns_region": "us-east-1", "sns_key": "AKIABENCH", "sns_secret": "x"}]})
        events = backend.generate("message.new", count=args.events)
        backend.deliver_many(events[:20], checked=True)  # warm-up: clients, generator
        started = time.perf_counter()
        _, records = backend.deliver_many(events, checked=True)
        ours = args.events / (time.perf_counter() - started)
        assert all(r.status == "delivered" for r in records), records[0].reason
        bodies = [encode_body(e, compress=False) for e in events]
        started = time.perf_counter()
        for body in bodies:
            sns.publish(TopicArn=arn, Message=body)
        plain = args.events / (time.perf_counter() - started)
    print(f"SNS hook delivery: {ours:,.0f} events/s; plain boto3 Publish over HTTP: "
          f"{plain:,.0f}/s ({args.events:,} events each, one queue subscribed)")
    emit("SNS hook delivery vs boto3 Publish (embedded)", ours / plain, "> 1x (no target)",
         f"{ours:,.0f} events/s vs {plain:,.0f}/s", ours > plain)
    return 0 if ours > plain else 1


if __name__ == "__main__":
    sys.exit(main())
