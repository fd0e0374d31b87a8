"""Embedded SQS at depth: plain moto vs the emulator's fast path (issue 4 §3, moto-notes trap 4).

Prints, in one run against one ThreadedMotoServer on 127.0.0.1:
 1. a burst of N (20,000) messages: plain boto3 SendMessage to unmodified moto vs
    ``send_direct`` with the speed-ups installed. Plain moto is quadratic (~45 min for 20,000
    here), so it is measured as per-message cost at depths 0/1k/2k/5k plus a real 1,000-message
    prefix burst, and the 20,000 total is extrapolated from a linear fit (stated as such);
 2. per-message send cost at depth N vs at an empty queue (send_direct, speed-ups);
 3. a boto3 consumer (ReceiveMessage x10 + DeleteMessageBatch over HTTP) draining a
    N-deep queue vs a shallow one, per message (speed-ups), with plain moto for contrast.
Exit status 1 when a target (>= 10x, <= 1.5x, <= 1.5x) is missed. Runtime ~1-2 minutes.

Usage: python benchmarks/bench_sqs_depth.py [--burst 20000]
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, too

import boto3
from moto.server import ThreadedMotoServer

from benchmarks.report import emit
from emulator import sqs_fast

REGION = "us-east-1"
BODY = json.dumps({"type": "message.new", "text": "x" * 900, "user": {"id": "u1"}})
PLAIN_DEPTHS = (0, 1_000, 2_000, 5_000)
PLAIN_SAMPLE = 15  # boto3 sends timed at each depth (each costs up to ~80 ms at 5k)
PREFIX_BURST = 1_000


class Bench:
    def __init__(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.client = boto3.client(
            "sqs", region_name=REGION, endpoint_url=f"http://{host}:{port}",
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )  # fmt: skip
        self._n = 0

    def queue(self, depth: int = 0) -> str:
        """A fresh queue holding ``depth`` messages (filled directly: fast in either mode)."""
        self._n += 1
        url = self.client.create_queue(QueueName=f"bench-{self._n}")["QueueUrl"]
        for _ in range(depth):
            sqs_fast.send_direct(url, BODY, region=REGION)
        return url

    def boto3_sends(self, url: str, count: int) -> float:
        return timed(lambda: self.client.send_message(QueueUrl=url, MessageBody=BODY), count)

    def direct_sends(self, url: str, count: int) -> float:
        return timed(lambda: sqs_fast.send_direct(url, BODY, region=REGION), count)

    def drain(self, url: str, messages: int) -> float:
        """Seconds per message for a receive(10) + delete_batch consumer taking ``messages``."""
        taken, started = 0, time.perf_counter()
        while taken < messages:
            got = self.client.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not got:
                break
            entries = [
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
            ]
            self.client.delete_message_batch(QueueUrl=url, Entries=entries)
            taken += len(got)
        return (time.perf_counter() - started) / max(taken, 1)

    def close(self) -> None:
        self.server.stop()


def timed(action: Callable[[], Any], count: int) -> float:
    """Seconds per call of ``action`` over ``count`` calls."""
    started = time.perf_counter()
    for _ in range(count):
        action()
    return (time.perf_counter() - started) / count


def linear_fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares ``cost = a + b * depth``."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


def burst_total(a: float, b: float, n: int) -> float:
    return n * a + b * n * (n - 1) / 2  # sum of a + b*d for d = 0 .. n-1


def with_speedups(on: bool) -> None:
    sqs_fast.install_speedups() if on else sqs_fast.uninstall_speedups()


def plain_burst(bench: Bench, n: int) -> dict[str, Any]:
    """Unmodified moto + boto3: per-message cost by depth, a real prefix burst, extrapolation."""
    with_speedups(True)  # only to build the deep queues quickly
    urls = {depth: bench.queue(depth) for depth in PLAIN_DEPTHS}
    with_speedups(False)
    samples = [(depth, bench.boto3_sends(url, PLAIN_SAMPLE)) for depth, url in urls.items()]
    prefix_url = bench.queue()
    prefix_total = bench.boto3_sends(prefix_url, PREFIX_BURST) * PREFIX_BURST
    a, b = linear_fit(samples)
    return {
        "samples": samples,
        "prefix_total": prefix_total,
        "prefix_predicted": burst_total(a, b, PREFIX_BURST),
        "total": burst_total(a, b, n),
    }


def fast_sends(bench: Bench, n: int, sample: int = 2_000) -> dict[str, float]:
    """Speed-ups on: the send_direct burst, then per-message cost empty vs n deep (best of 3)."""
    with_speedups(True)
    deep = bench.queue()
    burst = bench.direct_sends(deep, n) * n
    empty_costs, deep_costs = [], []
    for _ in range(3):
        empty_costs.append(bench.direct_sends(bench.queue(), sample))
        deep_costs.append(bench.direct_sends(deep, sample))
    return {
        "burst": burst,
        "empty": min(empty_costs),
        "deep": min(deep_costs),
        "deep_depth": n + 3 * sample,
        "boto3_empty": bench.boto3_sends(bench.queue(), 300),
        "boto3_deep": bench.boto3_sends(deep, 300),
        "deep_url": deep,  # type: ignore[dict-item]
    }


def drains(bench: Bench, deep_url: str, n: int) -> dict[str, float]:
    """boto3 consumer per message: shallow vs >= n deep (speed-ups), plain moto for contrast."""
    with_speedups(True)
    shallow_costs, deep_costs = [], []
    for _ in range(3):  # interleaved, best of 3: other load on the machine hits both alike
        shallow_costs.append(bench.drain(bench.queue(500), 500))
        deep_costs.append(bench.drain(deep_url, 1_000))  # 3,000 in all off a queue >= n deep
    shallow, deep = min(shallow_costs), min(deep_costs)
    plain_urls = {depth: bench.queue(depth) for depth in (100, 2_000)}
    with_speedups(False)
    plain = {depth: bench.drain(url, 50) for depth, url in plain_urls.items()}
    with_speedups(True)
    return {"shallow": shallow, "deep": deep, "plain_100": plain[100], "plain_2000": plain[2_000]}


def emulator_burst(n: int, per_request: int = 10_000) -> float:
    """The whole emulator path over HTTP: POST /_emulator/events (generate, validate,
    encode, size and permission checks, deliver) until n events sit in one queue."""
    from emulator.cli.client import ControlClient
    from emulator.config import Settings
    from emulator.server import EmulatorServer

    with_speedups(True)
    with EmulatorServer(Settings(port=0, sqs_port=0, seed=1)) as server:
        server.backend.create_default_queue()
        client = ControlClient.for_settings(server.base_url, server.settings)
        started = time.perf_counter()
        for sent in range(0, n, per_request):
            count = min(per_request, n - sent)
            client.trigger("message.new", count)
        return time.perf_counter() - started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def report(n: int, plain: dict[str, Any], fast: dict[str, Any], drain: dict[str, float],
           emulator: float) -> bool:
    burst_ratio = plain["total"] / fast["burst"]
    emulator_ratio = plain["total"] / emulator
    send_ratio = fast["deep"] / fast["empty"]
    drain_ratio = drain["deep"] / drain["shallow"]
    print(f"\n## 1. Burst of {n:,} messages into one queue")
    for depth, cost in plain["samples"]:
        print(f"plain moto, boto3 SendMessage at depth {depth:>6,}: {ms(cost)} per message")
    print(f"plain moto, real {PREFIX_BURST:,}-message boto3 burst: {plain['prefix_total']:.1f} s "
          f"(linear model predicts {plain['prefix_predicted']:.1f} s)")  # fmt: skip
    print(
        f"plain moto, {n:,}-message boto3 burst: {plain['total']:.0f} s "
        "(EXTRAPOLATED from the per-depth costs above; not run)"
    )
    print(f"send_direct + speed-ups, {n:,}-message burst: {fast['burst']:.2f} s (measured)")
    print(f"the emulator over HTTP (POST /_emulator/events), {n:,} events: {emulator:.2f} s "
          "(measured)")
    print(f"## 2. send_direct per message: empty {ms(fast['empty'])}, "
          f"at depth {fast['deep_depth']:,} {ms(fast['deep'])}")  # fmt: skip
    print(f"   (boto3 SendMessage with speed-ups: empty {ms(fast['boto3_empty'])}, "
          f"deep {ms(fast['boto3_deep'])})")  # fmt: skip
    print(f"## 3. boto3 consumer per message: shallow {ms(drain['shallow'])}, "
          f"at depth >= {n - 3000:,} {ms(drain['deep'])}")  # fmt: skip
    print(f"   (plain moto: depth 100 {ms(drain['plain_100'])}, "
          f"depth 2,000 {ms(drain['plain_2000'])})")  # fmt: skip
    plain_s = f"plain boto3 {plain['total']:,.0f} s (extrapolated)"
    rows = [
        (f"burst {n:,}: plain boto3 (extrapolated) / emulator over HTTP", emulator_ratio,
         ">= 10x", emulator_ratio >= 10, f"{plain_s} vs emulator {emulator:.1f} s"),
        (f"burst {n:,}: plain boto3 (extrapolated) / send_direct", burst_ratio, ">= 10x",
         burst_ratio >= 10, f"{plain_s} vs send_direct {fast['burst']:.2f} s"),
        (f"send cost at depth >= {n:,} / empty (send_direct)", send_ratio, "<= 1.5x",
         send_ratio <= 1.5, f"{ms(fast['deep'])} vs {ms(fast['empty'])} per message"),
        (f"consumer cost per msg at depth >= {n - 3000:,} / shallow", drain_ratio, "<= 1.5x",
         drain_ratio <= 1.5, f"{ms(drain['deep'])} vs {ms(drain['shallow'])} per message"),
    ]  # fmt: skip
    print("\n| measurement | ratio | target | result |\n|---|---|---|---|")
    for name, ratio, target, ok, detail in rows:
        print(f"| {name} | {ratio:,.2f}x | {target} | {'PASS' if ok else 'FAIL'} |")
        emit(name, ratio, target, detail, ok)
    return all(row[3] for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=20_000, help="messages in the burst")
    args = parser.parse_args(argv)
    sqs_fast.check_moto_version()
    bench = Bench()
    started = time.perf_counter()
    try:
        plain = plain_burst(bench, args.burst)
        fast = fast_sends(bench, args.burst)
        drain = drains(bench, fast["deep_url"], args.burst)
        emulator = emulator_burst(args.burst)
    finally:
        bench.close()
    ok = report(args.burst, plain, fast, drain, emulator)
    print(f"\n(bench ran {time.perf_counter() - started:.0f} s; moto "
          f"{sqs_fast.check_moto_version()})")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
