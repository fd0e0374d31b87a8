"""`simulate --rate 0 --events 20000` in-process, end to end (issue 15 P9, ≥ 20,000/s).

    python -m benchmarks.bench_inprocess [--events 20000]

The command as a user runs it (a fresh interpreter, the standalone emulator it starts:
generate, schema-check, deliver to the embedded queue, ledger); its own `achieved_rate`
counts from the first event to the last (start-up and schema loading excluded, as the
summary says). An unpaced run draws its events in a second process (traffic_process.py)
while this one delivers. Ratio: against the traffic generator alone in one process (same mix,
same world size) measured in the same run, i.e. how much of the generator's speed survives
delivery (~0.5 when both shared one process).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from benchmarks.report import emit

TARGET = 20_000

GENERATE_ONLY = r"""
import json, sys, time
from emulator.simulate.mix import load_mix
from emulator.simulate.traffic import Traffic
from emulator.events.world import INITIAL_CHANNELS, INITIAL_USERS
traffic = Traffic(load_mix(None), 11, INITIAL_USERS, INITIAL_CHANNELS, "v1")
count = int(sys.argv[1])
started = time.perf_counter()
for _ in range(0, count, 500):
    traffic.batch(500)
print(json.dumps({"rate": count / (time.perf_counter() - started)}))
"""


def simulate(events: int) -> dict:
    command = [sys.executable, "-m", "emulator.cli", "simulate", "--rate", "0", "--events",
               str(events), "--seed", "11", "--json", "--no-progress"]
    out = subprocess.run(command, check=True, capture_output=True, text=True,
                         env=_env()).stdout
    return json.loads(out)


def generate_only(events: int) -> float:
    out = subprocess.run([sys.executable, "-c", GENERATE_ONLY, str(events)], check=True,
                         capture_output=True, text=True, env=_env()).stdout
    return json.loads(out.strip().splitlines()[-1])["rate"]


def _env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAM_CHAT_URL")}
    return env  # no STREAM_CHAT_URL: simulate must run standalone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    started = time.perf_counter()
    summary = simulate(args.events)
    generator = generate_only(args.events)
    rate = summary["achieved_rate"]
    if not summary["ledger_agrees"] or summary["mode"] != "standalone":
        raise SystemExit(f"unexpected simulate summary: {summary}")
    print(f"simulate --rate 0 --events {args.events:,}: {rate:,.0f}/s end to end; generator "
          f"alone {generator:,.0f}/s; {time.perf_counter() - started:.0f} s in all")
    emit("simulate --rate 0 in-process end to end vs the generator alone", rate / generator,
         f"≥ {TARGET:,}/s", f"{rate:,.0f}/s vs generator alone {generator:,.0f}/s "
         f"({args.events:,} events, delivered {summary['totals']['delivered']:,})",
         rate >= TARGET)


if __name__ == "__main__":
    main()
