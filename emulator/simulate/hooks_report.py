"""Per-hook accounting of a simulation: delivered, retried, lost, for every hook type.

"Retried" counts events that needed more than one attempt (whatever their outcome); "lost"
counts events that did not arrive (failed, denied or dropped). With a queue probe (standalone
runs), the summary also says how many messages the default queue holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class HookCount:
    hook_id: str
    hook_type: str
    target: str
    events: int = 0
    delivered: int = 0
    retried: int = 0
    lost: int = 0


@dataclass
class HookTally:
    hooks: dict[str, HookCount] = field(default_factory=dict)

    def add(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            count = self.hooks.get(record["hook_id"])
            if count is None:
                count = self.hooks[record["hook_id"]] = HookCount(
                    record["hook_id"], record.get("hook_type", "sqs"), record["target"])
            count.events += 1
            count.delivered += record["status"] == "delivered"
            count.lost += record["status"] != "delivered"
            count.retried += (record.get("attempts") or 0) > 1

    def rows(self) -> list[dict[str, Any]]:
        return [asdict(c) for c in self.hooks.values()]


def hooks_table(tally: HookTally) -> str:
    if not tally.hooks:
        return "hooks: no hook received any event"
    header = ["hook", "type", "target", "events", "delivered", "retried", "lost"]
    cells = [header] + [
        [c.hook_id[:12], c.hook_type, c.target, *(f"{n:,}" for n in
                                                  (c.events, c.delivered, c.retried, c.lost))]
        for c in tally.hooks.values()
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for index, row in enumerate(cells):
        left = [str(c).ljust(w) for c, w in zip(row[:3], widths[:3], strict=True)]
        right = [str(c).rjust(w) for c, w in zip(row[3:], widths[3:], strict=True)]
        lines.append("  ".join(left + right))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def queue_line(queue: dict[str, Any] | None, events: int) -> str | None:
    if not queue:
        return None
    held = queue["messages"]
    if held is None:
        return f"queue {queue['name']} could not be read at the end: {queue.get('unread')}"
    verdict = ("one message per event: SQS holds every event" if held == events
               else f"{events - held:+,} against the {events:,} events sent")
    return f"queue {queue['name']} holds {held:,} messages: {verdict}"
