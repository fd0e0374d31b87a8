"""Memory over 1,000,000 delivered events stays flat (issue 4: ≤ +50 MB).

    .venv/bin/python -m benchmarks.bench_memory [--events 1000000]

Events go through the whole emulator path (generator → dispatcher → embedded SQS) in
batches; a consumer's role is played by emptying the queue after each batch, so what is
measured is the emulator's own state (bounded ledger, generator world). The baseline is the
process's resident memory once the ledger is full (100,000 records), in the same run.
"""

from __future__ import annotations

import argparse
import gc
import os
import time

from moto.sqs.models import sqs_backends

from benchmarks.report import emit
from emulator.config import Settings
from emulator.server import EmulatorServer
from emulator.sqs_engine import DEFAULT_QUEUE

LIMIT_MB = 50


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def empty_queue(region: str) -> None:
    """A consumer drained it. PurgeQueue allows one call a minute, so reset moto's clock
    for it in-process (a bench shortcut, not something the emulator does)."""
    backend = sqs_backends["123456789012"][region]
    backend.get_queue(DEFAULT_QUEUE).last_purged_at = None
    backend.purge_queue(DEFAULT_QUEUE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    with EmulatorServer(Settings(port=0, sqs_port=0, seed=1)) as server:
        server.backend.create_default_queue()
        baseline, sent, started = None, 0, time.perf_counter()
        while sent < args.events:
            server.backend.trigger("message.new", count=args.batch)
            empty_queue(server.settings.region)
            sent += args.batch
            gc.collect()
            if baseline is None and sent >= server.settings.ledger_size:
                baseline = rss_mb()
        final = rss_mb()
        elapsed = time.perf_counter() - started
        totals = server.backend.totals()
    growth = final - baseline
    print(f"{sent:,} events in {elapsed:.0f} s; delivered {totals['delivered']:,}")
    print(f"RSS at ledger full: {baseline:.0f} MB; after {sent:,} events: {final:.0f} MB; "
          f"growth {growth:+.1f} MB (limit +{LIMIT_MB} MB)")
    emit("memory growth over 1M events", final / baseline, f"≤ +{LIMIT_MB} MB",
         f"{baseline:.0f} MB → {final:.0f} MB ({growth:+.1f} MB) over {sent:,} events",
         growth <= LIMIT_MB)


if __name__ == "__main__":
    main()
