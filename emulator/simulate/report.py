"""What the simulator tells its user: a progress line on stderr, a summary on stdout."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..delivery.records import STATUSES
from .hooks_report import HookTally

BAR_WIDTH = 24
REFRESH_S = 0.1  # redraw at most ten times a second: the terminal is not the bottleneck


@dataclass
class Tally:
    """Events sent per type and delivery outcomes per type (one record per event × hook)."""

    events: Counter = field(default_factory=Counter)
    outcomes: dict[str, Counter] = field(default_factory=dict)
    totals: Counter = field(default_factory=Counter)
    hooks: HookTally = field(default_factory=HookTally)

    def add(self, events: list[dict[str, Any]], records: list[dict[str, Any]]) -> None:
        self.events.update(e["type"] for e in events)
        self.hooks.add(records)
        for record in records:
            self.outcomes.setdefault(record["event_type"], Counter())[record["status"]] += 1
            self.totals[record["status"]] += 1

    @property
    def sent(self) -> int:
        return sum(self.events.values())

    def status_totals(self) -> dict[str, int]:
        return {s: self.totals[s] for s in STATUSES}


class Progress:
    """One line redrawn in place with `\\r`: bar, events, achieved rate, outcomes so far."""

    def __init__(self, stream: TextIO | None, requested: float) -> None:
        self.stream = stream
        self.requested = requested
        self._last = 0.0
        self._width = 0

    def update(self, tally: Tally, fraction: float, rate: float, force: bool = False) -> None:
        now = time.monotonic()
        if self.stream is None or (not force and now - self._last < REFRESH_S):
            return
        self._last = now
        filled = int(BAR_WIDTH * min(max(fraction, 0.0), 1.0))
        wanted = f" of {self.requested:,.0f}/s" if self.requested else ""
        outcomes = "  ".join(f"{s} {n:,}" for s, n in tally.status_totals().items())
        line = (f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {tally.sent:,} events  "
                f"{rate:,.0f}/s{wanted}  {outcomes}")
        pad = " " * max(0, self._width - len(line))  # wipe the tail of a longer line
        self._width = len(line)
        self.stream.write("\r" + line + pad)
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self._width:
            self.stream.write("\n")
            self.stream.flush()


def rate_sentence(requested: float, achieved: float, kept_up: bool) -> str:
    if not requested:
        return f"achieved {achieved:,.0f}/s (no rate requested: as fast as possible)"
    sentence = f"requested {requested:,.0f}/s, achieved {achieved:,.0f}/s"
    return sentence if kept_up else sentence + ": the machine could not keep up"


def summary_table(tally: Tally) -> str:
    header = ["event type", "events", *STATUSES]
    rows = [[t, n, *(tally.outcomes.get(t, Counter())[s] for s in STATUSES)]
            for t, n in sorted(tally.events.items(), key=lambda item: (-item[1], item[0]))]
    rows.append(["total", tally.sent, *tally.status_totals().values()])
    cells = [header] + [[row[0], *(f"{n:,}" for n in row[1:])] for row in rows]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(header))]
    lines = []
    for index, row in enumerate(cells):
        first = str(row[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join([first, *rest]))
        if index == 0 or index == len(cells) - 2:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
