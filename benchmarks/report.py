"""One line per figure, so `run_all.py` can gather every benchmark into RESULTS.md.

A figure is a ratio measured in one run against a baseline measured in the same run.
"""

from __future__ import annotations

import json


def emit(name: str, ratio: float, target: str, detail: str, ok: bool) -> None:
    """`ratio` is ours relative to the baseline (speed-up, or growth factor)."""
    print("RESULT " + json.dumps({"name": name, "ratio": round(ratio, 2), "target": target,
                                  "detail": detail, "ok": ok}), flush=True)


def note(text: str) -> None:
    """A line for RESULTS.md below the table (e.g. a comparison that was not run, and why)."""
    print("NOTE " + text, flush=True)
