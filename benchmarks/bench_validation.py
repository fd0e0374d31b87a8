"""Validation throughput: plain jsonschema (baseline) vs the emulator's registry, same run.

    .venv/bin/python -m benchmarks.bench_validation [--seconds 2]   (from the repo root)

Payload: Stream's documented SQS message.new (v1) and a full v2 message.new. Single core,
valid payloads (the common case: the fast verdict alone).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from benchmarks.report import emit
from emulator.catalog.registry import get_registry

EXAMPLES = Path(__file__).resolve().parent.parent / "tests" / "contract" / "examples"


def rate(check: Callable[[], Any], seconds: float) -> float:
    """Calls per second of ``check`` over roughly ``seconds``."""
    check()  # warm caches (compiled validators) outside the timing
    done, start = 0, time.perf_counter()
    batch = 100
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(batch):
            check()
        done += batch
    return done / elapsed


def bench(dialect: str, event: dict[str, Any], seconds: float) -> tuple[float, float]:
    registry = get_registry()
    # The baseline: plain jsonschema over the very same schemas and referencing registry.
    baseline: Draft202012Validator = registry.reference_validator("message.new", dialect)
    assert baseline.is_valid(event) and registry.violations(event, dialect) == []
    slow = rate(lambda: baseline.is_valid(event), seconds)
    fast = rate(lambda: registry.violations(event, dialect), seconds)
    return slow, fast


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    print(f"{'payload':<28}{'jsonschema/s':>14}{'ours/s':>12}{'ratio':>9}")
    for dialect, name in (("v1", "message.new.sqs-docs.json"), ("v2", "message.new.json")):
        event = json.loads((EXAMPLES / dialect / name).read_text())
        slow, fast = bench(dialect, event, args.seconds)
        print(f"{dialect + ' message.new':<28}{slow:>14,.0f}{fast:>12,.0f}{fast / slow:>8.0f}x")
        emit(f"validation/s, {dialect} message.new vs plain jsonschema", fast / slow,
             "≥ 50,000/s", f"{fast:,.0f}/s vs {slow:,.0f}/s", fast >= 50_000)


if __name__ == "__main__":
    main()
