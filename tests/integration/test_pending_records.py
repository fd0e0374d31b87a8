"""A `pending` entry names the record its delivery will write (`record_id`), and the clients
that wait for late webhook records (`simulate --url`, `wait_for_deliveries`) ask for exactly
those ids: other traffic to the same hook meanwhile (another client of the control API, a
chat call) is never taken for theirs, and a reset in between (whose older deliveries never
reach the ledger) leaves them pending rather than counting someone else's.

The receiver holds every request until the test opens its gate (test_webhook_async.py), so
what is still pending is of the test's own making, never of timing."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from stream_chat import StreamChat

from emulator.cli.client import ControlClient
from emulator.simulate.mix import load_mix
from emulator.simulate.pacing import Pacer
from emulator.simulate.runner import simulate
from emulator.simulate.sinks import HttpSink
from emulator.simulate.traffic import Traffic
from emulator.testing import StreamEmulator, StreamFailure
from tests.helpers import send_one_message
from tests.integration.test_webhook_async import (  # noqa: F401 - fixtures of that module
    POLL_LIMIT_S,
    GatedReceiver,
    eventually,
    gated,
    hook,
    server,
    webhook_records,
)


class RecordingClient(ControlClient):
    """The real client; keeps the `pending` of every events answer it got."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: list[dict[str, Any]] = []

    def request(self, method: str, path: str, body: Any = None, **query: Any) -> dict:
        answer = super().request(method, path, body, **query)
        if path == "/_emulator/events":
            self.pending += answer.get("pending", [])
        return answer


class Others:
    """Someone else's traffic to the same hook: the control API (answers that do not wait,
    so their deliveries are pending too) and a chat call (nobody waits for it)."""

    def __init__(self, control: ControlClient, chat: StreamChat) -> None:
        self.control, self.chat = control, chat
        self.pending_ids: list[str] = []
        self._channels = itertools.count()

    def send(self) -> None:
        answer = self.control.post("/_emulator/events", {"type": "reaction.new", "count": 2})
        self.pending_ids += [entry["record_id"] for entry in answer["pending"]]
        send_one_message(self.chat, "other-app", f"others-{next(self._channels)}", "not ours")


class Interleaved(Traffic):
    """Seeded traffic that lets the others send before each of its batches is drawn (the
    run's sender thread has the batch before in flight meanwhile); `at_end` runs once the
    last of `total` events is drawn."""

    def __init__(self, others: Others, seed: int, total: int,
                 at_end: Callable[[], None] | None = None) -> None:
        super().__init__(load_mix(None), seed, 30, 8, "v1")
        self.others, self.total, self.at_end = others, total, at_end
        self.drawn = 0

    def batch(self, size: int) -> list[dict]:
        self.others.send()
        events = super().batch(size)
        self.drawn += size
        if self.drawn == self.total and self.at_end is not None:
            self.at_end()
        return events


def test_pending_names_the_records_that_come_and_wait_for_deliveries_finds_exactly_them(
        fresh, chat: StreamChat, control: ControlClient, gated: GatedReceiver):  # noqa: F811
    emulator = StreamEmulator(fresh.base_url, fresh.settings, fresh.engine.endpoint_url,
                              server=fresh)
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="named")]})
    before = emulator.trigger("message.new", count=2)  # another test's, as it were
    ours = emulator.trigger("reaction.new", count=3)
    after = emulator.trigger("message.new", count=2)
    assert (before.deliveries, ours.deliveries, after.deliveries) == ([], [], [])
    ids = ours.pending_ids()
    assert len(set(ids)) == 3 and not set(ids) & set(before.pending_ids() + after.pending_ids())
    with pytest.raises(StreamFailure, match=r"expected at least 3 delivery record\(s\) "
                                            r"matching ids=\[3 record ids\] within 0.1 s"):
        emulator.wait_for_deliveries(ids=ids, timeout=0.1)  # the gate is shut
    gated.gate.set()
    records = emulator.wait_for_deliveries(ids=ids, timeout=POLL_LIMIT_S)
    assert [r["id"] for r in records] == ids
    assert {(r["event_type"], r["hook_id"], r["status"]) for r in records} == {
        ("reaction.new", "named", "delivered")}
    everything = eventually(lambda: webhook_records(control), lambda r: len(r) == 7)
    assert [r["id"] for r in everything] == (before.pending_ids() + ids + after.pending_ids())


def test_simulate_url_counts_only_its_own_late_records_among_other_traffic_to_the_hook(
        fresh, chat: StreamChat, control: ControlClient, gated: GatedReceiver, monkeypatch):  # noqa: F811
    monkeypatch.setattr("emulator.simulate.pacing.MAX_BATCH", 10)  # four batches of ten
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="shared")]})
    others = Others(control, chat)
    client = RecordingClient.for_settings(fresh.base_url, fresh.settings)
    sink = HttpSink(client, "v1", late_wait_s=0.0)  # settled below, once the gate is open
    run = simulate(Interleaved(others, 8, 40), sink, Pacer(0, events=40))
    others.send()  # and more after the run: the hook's newest records are not ours
    assert run.error is None and run.tally.sent == 40 and run.pending == 40
    ours = [entry["record_id"] for entry in client.pending]
    assert len(set(ours)) == 40 and not set(ours) & set(others.pending_ids)
    gated.gate.set()
    records, still = sink.settle(POLL_LIMIT_S)
    assert still == 0 and [r["id"] for r in records] == ours
    assert {(r["hook_id"], r["status"]) for r in records} == {("shared", "delivered")}
    # The others' records are in the same hook's ledger too: there was something to mistake.
    assert len(eventually(lambda: control.ledger(ids=others.pending_ids)[0],
                          lambda r: len(r) == len(others.pending_ids))) == 10
    # Ours, the others' 10 reactions and at least their 5 chat messages.
    shared = eventually(lambda: webhook_records(control, hook_id="shared"),
                        lambda r: len(r) >= 40 + 10 + 5)
    assert len(shared) >= 55


def test_simulate_url_table_counts_its_own_events_when_others_share_the_hook(
        fresh, chat: StreamChat, control: ControlClient, gated: GatedReceiver, monkeypatch):  # noqa: F811
    monkeypatch.setattr("emulator.simulate.pacing.MAX_BATCH", 10)
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="shared-table")]})
    others = Others(control, chat)

    def at_end() -> None:
        others.send()
        gated.gate.set()  # the run's late wait then finds its own among the rest

    client = ControlClient.for_settings(fresh.base_url, fresh.settings)
    run = simulate(Interleaved(others, 9, 40, at_end),
                   HttpSink(client, "v1", late_wait_s=POLL_LIMIT_S), Pacer(0, events=40))
    assert run.error is None and run.pending == 0
    [row] = run.tally.hooks.rows()
    assert (row["hook_id"], row["events"], row["delivered"]) == ("shared-table", 40, 40)
    # Per event type, one record for each event the run sent: none of the others'.
    assert {t: run.tally.outcomes[t]["delivered"] for t in run.tally.events} == dict(
        run.tally.events) and set(run.tally.outcomes) == set(run.tally.events)
    # The ledger grew by more than the run's 40 (the others'): the report says it disagrees.
    assert run.ledger_delta["delivered"] > 40 and not run.ledger_agrees()


def test_a_reset_between_drops_the_pending_records_and_nothing_else_is_taken_for_them(
        fresh, control: ControlClient, gated: GatedReceiver):  # noqa: F811
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="reset-between")]})
    client = RecordingClient.for_settings(fresh.base_url, fresh.settings)
    sink = HttpSink(client, "v1", late_wait_s=0.0)
    run = simulate(Traffic(load_mix(None), 10, 30, 8, "v1"), sink, Pacer(0, events=20))
    assert run.pending == 20
    eventually(lambda: len(gated.bodies), lambda n: n == 1)  # one in flight, 19 queued
    control.reset()  # the 20 deliveries belong to the state before it: never in its ledger
    gated.gate.set()
    # The same hook id again, after the reset: its records must not be taken for the run's.
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="reset-between")]})
    answer = control.post("/_emulator/events", {"type": "message.new", "count": 3})
    new_ids = [entry["record_id"] for entry in answer["pending"]]
    assert len(eventually(lambda: control.ledger(ids=new_ids)[0],
                          lambda r: len(r) == 3)) == 3
    records, still = sink.settle(0.3)  # whatever the wait: those 20 records never come
    assert (records, still) == ([], 20)
    assert {r["id"] for r in webhook_records(control)} == set(new_ids)
    assert not {e["record_id"] for e in client.pending} & set(new_ids)
