"""simulate's ledger cross-check line: signed deltas, and a reset named as the cause when
the totals went down (it printed `delivered +-9,743` and blamed other clients)."""

from __future__ import annotations

from emulator.simulate.command import _ledger_line
from emulator.simulate.pacing import Pacer
from emulator.simulate.report import Tally
from emulator.simulate.runner import Run

ZERO = {"delivered": 0, "dropped_oversize": 0, "denied": 0, "failed": 0}


def run_with(before: dict[str, int], after: dict[str, int], delivered: int) -> Run:
    tally = Tally()
    tally.add([{"type": "message.new"}] * delivered,
              [{"event_type": "message.new", "status": "delivered", "hook_id": "h",
                "hook_type": "sqs", "target": "q", "attempts": 1}] * delivered)
    return Run(tally, Pacer(rate=0, events=delivered), 1, before, after)


def test_matching_totals_read_plus_n():
    line = _ledger_line(run_with(ZERO, {**ZERO, "delivered": 400}, 400))
    assert line == ("ledger: delivered +400, dropped_oversize +0, denied +0, failed +0: "
                    "matches the table")


def test_a_reset_during_the_run_is_named_and_the_sign_is_single():
    line = _ledger_line(run_with({**ZERO, "delivered": 10_000}, {**ZERO, "delivered": 257,
                                                                  "failed": 8}, 265))
    assert "delivered -9,743" in line and "+-" not in line and "failed +8" in line
    assert line.endswith("(the emulator was reset during the run)")


def test_more_records_than_sent_blames_other_clients():
    line = _ledger_line(run_with(ZERO, {**ZERO, "delivered": 5}, 3))
    assert line.endswith("(other clients sent events during the run?)")
