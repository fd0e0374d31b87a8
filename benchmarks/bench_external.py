"""Delivery to an external SQS endpoint vs plain boto3 SendMessage to it (issue 15 P8, ≥ 5×).

    python -m benchmarks.bench_external [--rounds 40] [--per-queue 20] [--deep 200] [--concurrency N]

Endpoint: a `moto_server` process started here on a free loopback port (unmodified moto, as a
user's would be). Each round makes three fresh queues and sends the same `--per-queue` events:
 - baseline: plain boto3, one `SendMessage` per message (one reused client), bodies encoded
   beforehand (so the baseline pays no emulator work at all);
 - emulator: an in-process emulator with STREAM_EMULATOR_SQS_ENDPOINT = that server, its SQS
   hook pointed at the round's queue, `deliver_many(events)`: encode, 256 KB rule, gate,
   SendMessageBatch with STREAM_EMULATOR_SEND_CONCURRENCY batches in flight, ledger;
 - the ceiling (reported): bare boto3 SendMessageBatch of the encoded bodies, as many in flight.
Fresh queues per round and side, because moto's send cost grows with the queue's depth
(~16 µs per message already queued, moto-notes trap 4): both sides see the same depths. The
target figure keeps queues shallow (20 messages each: a consumer that keeps up); a second
figure with 200 per queue shows how moto's depth cost, the same on both sides, then
dominates and shrinks the ratio (reported, not a target).
The queue count is checked against the ledger on the emulator side. The first
WARM_UP_ROUNDS rounds are not counted, and each round's queues are deleted when it ends,
so later rounds do not pay for the earlier ones' state (without both, the early rounds of a
still-warming moto favoured the emulator: 25 rounds read ~5.0×, 100 rounds ~4.85×).

Where the time goes (py-spy on both processes and CPU time per message, December 2026; both
sides speak SQS's JSON protocol): moto_server is the bottleneck. Per message, plain boto3 costs
~1.1 ms of client CPU and ~2.3 ms of moto CPU (a request each: a new connection, werkzeug,
Flask, moto's dispatch); the emulator ~0.25 ms and ~0.5 ms, of which moto's `Queue.attributes`,
recounting the whole queue for every message sent, is about half (request parsing ~3%). The
emulator makes no request but the sends (no GetQueueAttributes, GetQueueUrl or IAM call per
new queue), so what is left on its side is encoding the bodies and botocore building the
first batch before moto has work.

LocalStack: set STREAM_BENCH_LOCALSTACK=http://127.0.0.1:4566 to run the same comparison
against it (else the bench says "not run"). Its SQS provider runs without Docker and without
network access; localstack-core 2026.3 needs Python ≥ 3.13 (it imports warnings.deprecated)
and, as resolved in December 2026, older cbor2 and pyOpenSSL than pip picks:

    python3.13 -m venv /tmp/ls && /tmp/ls/bin/pip install "localstack-core[base-runtime]" \\
        "cbor2<5.8" "pyopenssl<24.3"
    GATEWAY_SERVER=hypercorn GATEWAY_LISTEN=127.0.0.1:4566 SERVICES=sqs \\
        /tmp/ls/bin/python -m localstack.runtime.main

It is not a dependency of this project.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config

from benchmarks.report import emit, note
from emulator.config import DEFAULT_SEND_CONCURRENCY, Settings
from emulator.delivery.encoding import encode_body
from emulator.events.generator import Generator
from emulator.server import EmulatorServer
from tests.helpers import free_port, start_moto, stop_moto

TARGET = 5.0
WARM_UP_ROUNDS = 5


@contextmanager
def moto_endpoint() -> Iterator[str]:
    port = free_port()
    proc = start_moto(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_moto(proc)


class Side:
    """One endpoint: a plain boto3 client and an emulator that delivers to it."""

    def __init__(self, endpoint: str, concurrency: int) -> None:
        self.client = boto3.session.Session().client(
            "sqs", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="testing",
            aws_secret_access_key="testing", config=Config(retries={"max_attempts": 1}))
        settings = Settings(port=0, sqs_endpoint=endpoint, seed=1, send_concurrency=concurrency)
        self.server = EmulatorServer(settings).start()
        self.queues = 0
        self.made: list[str] = []  # this round's queues, deleted when it ends
        self.pool = ThreadPoolExecutor(concurrency)

    def fresh_queue(self) -> str:
        self.queues += 1
        name = f"bench-{os.getpid()}-{time.monotonic_ns()}-{self.queues}"
        self.made.append(self.client.create_queue(QueueName=name)["QueueUrl"])
        return self.made[-1]

    def clean_up(self) -> None:
        """Delete the round's queues: the endpoint's state stays that of one round, so later
        rounds do not pay for the earlier ones' messages (heap, garbage collection)."""
        for url in self.made:
            self.client.delete_queue(QueueUrl=url)
        self.made.clear()

    def plain(self, bodies: list[str]) -> float:
        url = self.fresh_queue()
        started = time.perf_counter()
        for body in bodies:
            self.client.send_message(QueueUrl=url, MessageBody=body)
        return time.perf_counter() - started

    def batched(self, bodies: list[str]) -> float:
        """The ceiling: boto3 SendMessageBatch of bodies encoded beforehand, as many batches in
        flight as the emulator's pool, no ledger, gate or encoding."""
        url = self.fresh_queue()
        batches = [[{"Id": str(i), "MessageBody": body} for i, body in
                    enumerate(bodies[start:start + 10])] for start in range(0, len(bodies), 10)]
        started = time.perf_counter()
        list(self.pool.map(lambda entries: self.client.send_message_batch(
            QueueUrl=url, Entries=entries), batches))
        return time.perf_counter() - started

    def emulator(self, events: list[dict[str, Any]]) -> float:
        url = self.fresh_queue()
        backend = self.server.backend
        backend.update_app({"event_hooks": [{
            "hook_type": "sqs", "enabled": True, "event_types": [], "sqs_queue_url": url,
            "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": "testing",
            "sqs_secret": "testing"}]})
        started = time.perf_counter()
        records = backend.deliver_many(events, checked=True).records
        elapsed = time.perf_counter() - started
        depth = int(self.client.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]["ApproximateNumberOfMessages"])
        delivered = sum(str(r.status) == "delivered" for r in records)
        if delivered != len(events) or depth != delivered:
            raise SystemExit(f"ledger says {delivered} delivered, queue holds {depth}, "
                             f"{len(events)} sent")
        return elapsed

    def close(self) -> None:
        self.pool.shutdown()
        self.server.stop()


def compare(endpoint: str, rounds: int, per_queue: int, concurrency: int
            ) -> tuple[float, float, float, float]:
    """(plain boto3 messages/s, emulator messages/s, median of the rounds' ratios, and the
    same median for bare boto3 SendMessageBatch: the ceiling the endpoint allows).

    Each round times both sides on the same events, one right after the other (which goes
    first alternates), so a burst of load from other processes falls on one round, not on one
    side: the median of the paired ratios is the figure, the rates are over all rounds."""
    generator = Generator(seed=7, dialect="v1")
    side = Side(endpoint, concurrency)
    try:
        plain, emulator, batched = [], [], []
        # The first rounds are not counted: both processes are still warming up (moto's
        # first requests of each kind cost more), which favoured whichever side went second.
        for round_ in range(WARM_UP_ROUNDS + rounds):
            if round_ == WARM_UP_ROUNDS:
                plain, emulator, batched = [], [], []
            events = [generator.make("message.new") for _ in range(per_queue)]
            bodies = [encode_body(e, False) for e in events]
            if round_ % 2:
                emulator.append(side.emulator(events))
            plain.append(side.plain(bodies))
            batched.append(side.batched(bodies))
            if not round_ % 2:
                emulator.append(side.emulator(events))
            side.clean_up()
    finally:
        side.close()
    sent = rounds * per_queue
    ratio = statistics.median(p / e for p, e in zip(plain, emulator, strict=True))
    ceiling = statistics.median(p / b for p, b in zip(plain, batched, strict=True))
    return sent / sum(plain), sent / sum(emulator), ratio, ceiling


def report(where: str, rates: tuple[float, float, float], per_queue: int,
           concurrency: int) -> None:
    plain, emulator, ratio, ceiling = rates
    emit(f"delivery to {where} vs plain boto3 SendMessage", ratio, f"≥ {TARGET:g}×",
         f"{emulator:,.0f}/s vs {plain:,.0f}/s ({per_queue} messages per fresh queue, "
         f"{concurrency} batches in flight; median of the rounds' ratios)", ratio >= TARGET)
    # Reported, not a target: what the endpoint itself allows a batching sender.
    emit(f"{where}: bare boto3 SendMessageBatch (encoded beforehand) vs SendMessage, the ceiling",
         ceiling, "reported", f"the emulator reaches {ratio / ceiling:.0%} of it", True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--per-queue", type=int, default=20)
    parser.add_argument("--deep", type=int, default=200,
                        help="messages per queue of the second, depth-bound figure (0: skip)")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_SEND_CONCURRENCY)
    args = parser.parse_args()
    with moto_endpoint() as endpoint:
        rates = compare(endpoint, args.rounds, args.per_queue, args.concurrency)
        print(f"moto_server: plain boto3 {rates[0]:,.0f}/s, emulator {rates[1]:,.0f}/s")
        report("an external moto_server", rates, args.per_queue, args.concurrency)
        if args.deep:
            deep_plain, deep_emulator, ratio, _ = compare(endpoint, 3, args.deep,
                                                          args.concurrency)
    if args.deep:
        # Reported, not a target: here moto's own per-message depth cost is most of both sides.
        emit("delivery to an external moto_server, deep queues (moto-bound)", ratio,
             "reported (≥ 1×)", f"{deep_emulator:,.0f}/s vs {deep_plain:,.0f}/s "
             f"({args.deep} messages per fresh queue)", ratio >= 1)
    localstack = os.environ.get("STREAM_BENCH_LOCALSTACK")
    if not localstack:
        note("LocalStack: not run (set STREAM_BENCH_LOCALSTACK=http://127.0.0.1:4566; the "
             "recipe is in benchmarks/bench_external.py)")
        return
    rates = compare(localstack, args.rounds, args.per_queue, args.concurrency)
    print(f"LocalStack: plain boto3 {rates[0]:,.0f}/s, emulator {rates[1]:,.0f}/s")
    report(f"LocalStack at {localstack}", rates, args.per_queue, args.concurrency)

if __name__ == "__main__":
    main()
