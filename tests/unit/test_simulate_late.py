"""simulate's LateRecords: webhook records that end after their batch, counted once."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.simulate.sinks import LateRecords


@dataclass
class Record:
    id: str
    hook_type: str = "webhook"

    def to_wire(self) -> dict:
        return {"id": self.id}


def test_records_are_collected_once_and_what_is_missing_is_pending():
    late = LateRecords()
    late([Record("a")])  # a record may come before its batch said it would
    late.expect(3)
    late([Record("b")])
    records, pending = late.collect(0)
    assert [r["id"] for r in records] == ["a", "b"] and pending == 1
    late([Record("c")])
    assert late.collect(0) == ([{"id": "c"}], 0)
    assert late.collect(0) == ([], 0)


def test_deliveries_a_reset_dropped_are_neither_counted_nor_pending():
    """Their records never come (the ledger dropped them): the count still to come falls,
    whether they end before or after their batch said how many it left."""
    late = LateRecords()
    late([], 2)  # ended after a reset, before their batch's expect()
    late.expect(5)
    late([Record("a")], 0)
    late([], 1)
    records, pending = late.collect(0)
    assert [r["id"] for r in records] == ["a"] and pending == 1
    late([], 1)
    assert late.collect(0) == ([], 0)


def test_pending_entries_without_a_record_id_stay_pending_and_are_never_looked_up():
    """An older emulator's `pending` names no record: nothing can be found for it (and
    nothing is asked: the client points at a port where nobody answers)."""
    from emulator.cli.client import ControlClient, Triggered
    from emulator.simulate.sinks import LateWebhooks

    late = LateWebhooks(ControlClient("http://127.0.0.1:9", "key", "s" * 32))
    entry = {"event_type": "message.new", "hook_id": "h", "hook_type": "webhook", "target": "t"}
    late.note([entry, entry])
    assert late.collect(0) == ([], 2)
    named = {**entry, "record_id": "00000000-0000-4000-8000-000000000001"}
    assert Triggered([], [], [entry, named]).pending_ids() == [named["record_id"]]


def test_external_sends_are_waited_for_below_a_bound_and_webhooks_never():
    late = LateRecords()
    late.expect(5, queued=3)  # 3 SQS sends and 2 webhooks still going
    assert late.wait_queued(1, timeout=0) is False
    late([Record("a", "sqs"), Record("b", "webhook"), Record("c", "sns")])
    assert late.wait_queued(1, timeout=0) is True and late.wait_queued(0, timeout=0) is False
    late([], 1)  # dropped by a reset, type unknown: never waited for
    assert late.wait_queued(0, timeout=0) is True
    records, pending = late.collect(0)
    assert [r["id"] for r in records] == ["a", "b", "c"] and pending == 1


def test_the_summary_says_what_is_pending_and_whether_its_records_come():
    """Standalone, the emulator stops with the run (no record comes); a pending delivery
    may be an SQS send to an external endpoint after Ctrl-C, not only a webhook."""
    from emulator.simulate.command import as_text
    from emulator.simulate.pacing import Pacer
    from emulator.simulate.report import Tally
    from emulator.simulate.runner import Run

    run = Run(Tally(), Pacer(0, events=1), 1, {}, ledger_after={}, pending=3)
    run.info = {"mode": "standalone", "users": 24, "channels": 6, "dialect": "v1"}
    line = ("3 deliveries (webhooks, or sends to an external SQS/SNS endpoint) were still "
            "being tried when the run ended: in no count above")
    assert f"{line}\n" in as_text(run)
    run.info["mode"] = "http://127.0.0.1:8000"
    assert f"{line} (their records reach its ledger later)\n" in as_text(run)
