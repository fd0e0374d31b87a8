"""`simulate --url` against a running emulator (issue 15 P7): batched vs one POST per event.

    python -m benchmarks.bench_http [--events 20000] [--baseline-events 1500] [--no-profile]

The emulator runs in its own process (benchmarks/serve.py: embedded moto, the default queue
and its SQS hook, as `make run` sets up). In this process the simulator's own pieces run:
seeded traffic → sink → the runner, as fast as possible (`--rate 0`):
 - batched: HttpSink, the schedule's batches as
   `POST /_emulator/events {"events": [...], "echo": false}` (the records come back alone);
 - baseline: one `POST /_emulator/events {"event": …}` per event (what HttpSink did before),
   answered in full, against the same server in the same run.
The target is ≥ 5,000 events/s. The issue also says "≥ 30× today's per-event POST": written
when the per-event POST did 153/s, so the two agreed (5,000/153 ≈ 33). The per-event path has
become faster since (the server's JSON and the delivery core: ~550/s on a quiet machine before
this change, more after), so 30× of it now is 16,000/s and more, a different and stricter
figure than the issue meant; the ratio is printed as measured, and the verdict is the rate.

Then, unless --no-profile, a third run against a server that profiles every request with
pyinstrument, the client profiled too, written to benchmarks/profile_http.txt.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.report import emit, note
from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.simulate.mix import load_mix
from emulator.simulate.pacing import Pacer
from emulator.simulate.runner import simulate
from emulator.simulate.sinks import HttpSink
from emulator.simulate.traffic import Traffic

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "benchmarks" / "profile_http.txt"


@contextmanager
def emulator_process(*extra: str) -> Iterator[dict[str, Any]]:
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.serve", *extra], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        info["pid"] = proc.pid
        yield info
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)


class PerEventSink(HttpSink):
    """The baseline: one request per event, as HttpSink sent before batching."""

    def prepare(self, events: list[dict[str, Any]]) -> Callable[[], list[dict[str, Any]]]:
        return functools.partial(self.send, events)  # nothing to encode ahead: `deliver` does

    def send(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        for event in events:
            records += self.client.deliver(event, "v1").deliveries
        return records


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(base_url: str, sink_class: type, events: int, seed: int) -> tuple[float, bool]:
    settings = Settings()
    traffic = Traffic(load_mix(None), seed, 200, 50, "v1")
    sink = sink_class(ControlClient.for_settings(base_url, settings), "v1")
    result = simulate(traffic, sink, Pacer(0, events=events))
    if result.error:
        raise SystemExit(f"simulate failed: {result.error}")
    return result.pacer.achieved(), result.ledger_agrees()


def profile(events: int) -> None:
    from pyinstrument import Profiler

    server_report = ROOT / "benchmarks" / ".profile_server.txt"
    with emulator_process("--profile", str(server_report)) as info:
        profiler = Profiler(interval=0.0005)
        profiler.start()
        run(info["base_url"], HttpSink, events, seed=3)
        profiler.stop()
    PROFILE.write_text(
        f"# Profile of the HTTP path: simulate --url, {events:,} events, batched\n"
        "# (pyinstrument; regenerate with `python -m benchmarks.bench_http`)\n\n"
        "## Client (the simulate process)\n\n"
        + profiler.output_text(unicode=True, color=False)
        + "\n## Server (every request of the emulator process, combined)\n\n"
        + server_report.read_text())
    server_report.unlink()
    print(f"profile written to {PROFILE.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--baseline-events", type=int, default=1_500)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    with emulator_process() as info:
        run(info["base_url"], HttpSink, 500, seed=1)  # warm-up: schemas, world, connections
        started = time.perf_counter()
        per_event, ok_a = run(info["base_url"], PerEventSink, args.baseline_events, seed=2)
        client, server = time.process_time(), cpu_seconds(info["pid"])
        batched, ok_b = run(info["base_url"], HttpSink, args.events, seed=3)
        client, server = time.process_time() - client, cpu_seconds(info["pid"]) - server
        print(f"batched: CPU per event {client / args.events * 1e6:.0f} µs in simulate, "
              f"{server / args.events * 1e6:.0f} µs in the emulator")
        print(f"{args.events:,} batched + {args.baseline_events:,} per-event events in "
              f"{time.perf_counter() - started:.1f} s; ledgers agree: {ok_a and ok_b}")
    ratio = batched / per_event
    emit("simulate --url, batched vs one POST per event", ratio,
         "≥ 5,000/s (= 30× the per-event POST as filed, 153/s)",
         f"{batched:,.0f}/s vs {per_event:,.0f}/s per event in the same run", batched >= 5_000)
    note("bench_http: the issue's \"≥ 30× today's per-event POST\" meant 5,000/s (30 × 153/s, "
         "the per-event POST when filed); the per-event path is faster today, so the same-run "
         "ratio is shown as measured and the verdict is ≥ 5,000/s")
    if not args.no_profile:
        profile(min(args.events, 10_000))


if __name__ == "__main__":
    main()
