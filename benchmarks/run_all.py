"""`make bench`: run every benchmark, print its output, and write benchmarks/RESULTS.md.

Each figure is a ratio against a baseline measured in the same run (see report.emit).

    .venv/bin/python -m benchmarks.run_all [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
NOTES: list[str] = []  # NOTE lines of the benches, printed below the table
# (module, arguments, arguments with --quick)
BENCHES = [
    ("benchmarks.bench_generation", [], ["--seconds", "0.3"]),
    ("benchmarks.bench_validation", [], ["--seconds", "0.5"]),
    ("benchmarks.bench_plugin", [], ["--rounds", "50"]),
    ("benchmarks.bench_sqs_depth", [], ["--burst", "5000"]),
    ("benchmarks.bench_memory", [], ["--events", "150000"]),
    ("benchmarks.bench_http", [], ["--events", "3000", "--baseline-events", "300", "--no-profile"]),
    ("benchmarks.bench_external", [], ["--rounds", "5", "--deep", "0"]),
    ("benchmarks.bench_inprocess", [], ["--events", "5000"]),
    ("benchmarks.bench_sns", [], ["--events", "300"]),
]


def run(module: str, args: list[str]) -> tuple[list[dict], int]:
    command = [sys.executable, "-m", module, *args]
    print(f"\n$ {' '.join(['python', '-m', module, *args])}", flush=True)
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    results = []
    for line in proc.stdout:
        if line.startswith("RESULT "):
            results.append(json.loads(line[len("RESULT "):]))
        elif line.startswith("NOTE "):
            NOTES.append(f"`{module.split('.')[-1]}`: {line[len('NOTE '):].strip()}")
        else:
            print(line, end="", flush=True)
    return results, proc.wait()


def write_results(rows: list[tuple[str, dict]], quick: bool, seconds: float) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `make bench` (`python -m benchmarks.run_all{' --quick' if quick else ''}`)"
        f" on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end; "
        f"{seconds:.0f} s in all. Every ratio is against a baseline measured in the same run.",
        "",
        "| benchmark | figure | ratio vs baseline | target | measured | result |",
        "|---|---|---|---|---|---|",
    ]
    for module, r in rows:
        verdict = "PASS" if r["ok"] else "FAIL"
        lines.append(f"| `{module.split('.')[-1]}` | {r['name']} | {r['ratio']:,.2f}× | "
                     f"{r['target']} | {r['detail']} | {verdict} |")
    lines += ["", *[f"- {n}" for n in NOTES]] if NOTES else []
    RESULTS.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    args = parser.parse_args()
    started, rows, failed = time.perf_counter(), [], []
    for module, full, quick in BENCHES:
        results, code = run(module, quick if args.quick else full)
        rows += [(module, r) for r in results]
        if code != 0 and not results:
            failed.append(module)
    write_results(rows, args.quick, time.perf_counter() - started)
    print(f"\nwrote {RESULTS.relative_to(ROOT)}: {sum(r['ok'] for _, r in rows)}/{len(rows)} "
          "figures meet their target" + (f"; crashed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
