"""The dispatcher and the sender interface, with senders of the test's own (no SQS): which
events each target gets, record order, hook_type/attempts, Futures, and retries."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

import pytest

from emulator.app_settings import AppSettings
from emulator.delivery.dispatcher import Dispatcher
from emulator.delivery.faults import FaultInjector, SqsFault
from emulator.delivery.ledger import Ledger
from emulator.delivery.records import DeliveryFilter, Outcome, Status
from emulator.delivery.retry import Circuit, RetryPolicy, TransientSendError, send_with_retries
from emulator.ratelimit import RateLimiter


@dataclass(frozen=True)
class Hook:
    hook_id: str
    address: str
    event_types: tuple[str, ...] = ()

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class Recorder:
    """A sender that remembers its batches; `later=True` answers with a Future."""

    def __init__(self, hook_type: str, hooks: list[Hook], later: bool = False):
        self.hook_type, self.hooks, self.later = hook_type, hooks, later
        self.batches: list[tuple[str, list[str]]] = []
        self.pending: list[Future] = []

    def targets(self, app):
        return self.hooks

    def send(self, target, events, app):
        self.batches.append((target.hook_id, [e["id"] for e in events]))
        outcomes = [Outcome.delivered(len(e["id"]), f"m-{e['id']}", 1) for e in events]
        if not self.later:
            return outcomes
        future: Future = Future()
        future.set_result(outcomes)
        return future

    def reset(self):
        self.batches.clear()

    def close(self):
        self.closed = True


EVENTS = [{"type": "message.new", "id": "e1"}, {"type": "reaction.new", "id": "e2"},
          {"type": "message.new", "id": "e3"}]


def test_each_target_gets_its_events_in_order_and_records_come_out_event_major():
    sqs = Recorder("sqs", [Hook("a", "q-a"), Hook("b", "q-b", ("message.new",))])
    hooks = Recorder("webhook", [Hook("w", "http://127.0.0.1/x", ("reaction.new",))], later=True)
    ledger = Ledger()
    records, pending = Dispatcher([sqs, hooks], ledger).deliver(EVENTS, AppSettings())
    assert pending == []
    assert sqs.batches == [("a", ["e1", "e2", "e3"]), ("b", ["e1", "e3"])]
    assert hooks.batches == [("w", ["e2"])]
    assert [(r.event_type, r.hook_id) for r in records] == [
        ("message.new", "a"), ("message.new", "b"), ("reaction.new", "a"),
        ("reaction.new", "w"), ("message.new", "a"), ("message.new", "b")]
    webhook = records[3]
    assert (webhook.hook_type, webhook.target, webhook.attempts) == ("webhook", "http://127.0.0.1/x", 1)
    assert webhook.message_id == "m-e2" and webhook.status is Status.DELIVERED
    assert webhook.to_wire()["status"] == "delivered"
    # The ledger has every record; a Future's is written when it resolves (here: at once).
    assert sorted(ledger.query(), key=lambda r: r.id) == sorted(records, key=lambda r: r.id)
    assert ledger.totals()["delivered"] == 6
    assert ledger.query(DeliveryFilter(hook_type="webhook")) == [webhook]
    assert ledger.query(DeliveryFilter(status=Status.FAILED)) == []


def test_a_target_no_event_wants_is_never_sent_to():
    picky = Recorder("sqs", [Hook("p", "q", ("user.banned",))])
    assert Dispatcher([picky], Ledger()).deliver(EVENTS, AppSettings()) == ([], [])
    assert picky.batches == []


def test_retries_then_the_circuit_trips_for_the_rest_of_the_batch_and_closes_on_success():
    calls = []

    def flaky():
        calls.append(1)
        raise TransientSendError("SQS endpoint unavailable")

    circuit = Circuit(RetryPolicy(retries=2, backoff_ms=0))
    faults = FaultInjector()
    first = send_with_retries(flaky, circuit, faults)
    assert (first.value, first.attempts, len(calls)) == (None, 3, 3) and circuit.tripped
    assert "gave up after 3 attempt(s)" in first.error
    second = send_with_retries(flaky, circuit, faults)
    assert second.attempts == 1 and len(calls) == 4  # tripped: one attempt only
    ok = send_with_retries(lambda: "id-1", circuit, faults)
    assert (ok.value, ok.error, ok.attempts) == ("id-1", "", 1) and not circuit.tripped


def test_injected_faults_count_as_attempts():
    faults = FaultInjector()
    faults.set(SqsFault("throttle"))
    attempt = send_with_retries(lambda: "never", Circuit(RetryPolicy(1, 0)), faults)
    assert attempt.value is None and attempt.attempts == 2 and "RequestThrottled" in attempt.error
    faults.reset()
    assert send_with_retries(lambda: "id", Circuit(RetryPolicy(1, 0)), faults).value == "id"


def test_fault_ends_by_itself_on_the_injected_clock():
    now = [100.0]
    faults = FaultInjector(clock=lambda: now[0])
    assert faults.set(SqsFault("unavailable", seconds=5)).seconds_left == 5
    now[0] += 2
    assert faults.active().seconds_left == 3
    now[0] += 3
    assert faults.active() is None


@pytest.mark.parametrize("operation, limit", [("GetApp", 10_000), ("UpdateApp", 60),
                                               ("SendMessage", 1_000), ("Whatever", 1_000)])
def test_rate_limiter_windows(operation, limit):
    now = [1_800_000_030.0]
    limiter = RateLimiter(enforce=True, clock=lambda: now[0])
    states = [limiter.count(operation) for _ in range(limit + 1)]
    assert states[0].limit == limit and states[0].remaining == limit - 1
    assert states[0].reset == 1_800_000_060 and states[-2].allowed and not states[-1].allowed
    assert states[-1].retry_after(now[0]) == 30
    now[0] += 30  # the next minute
    assert limiter.count(operation).remaining == limit - 1
    lenient = RateLimiter(enforce=False, clock=lambda: now[0])
    over = [lenient.count(operation) for _ in range(limit + 1)][-1]
    assert over.allowed and over.remaining == 0  # counted and told, never refused


class Later:
    """A sender answering with one unresolved Future per event, resolved by the test."""

    hook_type = "webhook"

    def __init__(self, hooks: list[Hook]):
        self.hooks = hooks
        self.futures: list[Future] = []

    def targets(self, app):
        return self.hooks

    def send(self, target, events, app):
        futures = [Future() for _ in events]
        self.futures += futures
        return futures

    def reset(self):
        pass

    def close(self):
        pass


class Arrived(list):
    """An on_late that keeps the records it gets, and counts those a reset dropped."""

    dropped = 0

    def __call__(self, records, dropped):
        self.extend(records)
        self.dropped += dropped


def test_late_records_reach_the_ledger_and_on_late_when_they_end_never_the_answer_too():
    later, ledger, arrived = Later([Hook("w", "http://127.0.0.1/x")]), Ledger(), Arrived()
    dispatcher = Dispatcher([later], ledger)
    answer = dispatcher.deliver(EVENTS[:2], AppSettings(), 0, arrived)
    assert answer.records == [] and [p.event_type for p in answer.pending] == [
        "message.new", "reaction.new"]
    first, second = (p.record_id for p in answer.pending)
    assert answer.pending[0].to_wire() == {"event_type": "message.new", "hook_id": "w",
                                           "hook_type": "webhook", "target": "http://127.0.0.1/x",
                                           "record_id": first}
    assert first != second
    later.futures[0].set_result(Outcome.delivered(3, "m-1", 1))
    assert [r.message_id for r in arrived] == ["m-1"] and ledger.query() == arrived
    assert arrived[0].id == first and arrived.dropped == 0  # the record pending named
    dispatcher.reset()  # what ends after a reset is not kept in the new ledger: nor handed on
    ledger.reset()
    later.futures[1].set_result(Outcome(Status.FAILED, "gave up", attempts=2))
    assert [r.status for r in arrived] == [Status.DELIVERED] and arrived.dropped == 1
    assert ledger.query() == []


def test_a_late_record_that_ends_within_the_wait_is_in_the_answer_only():
    later, arrived = Later([Hook("w", "http://127.0.0.1/x")]), Arrived()
    dispatcher = Dispatcher([later], Ledger())
    original = later.send

    def send_and_end(target, events, app):
        futures = original(target, events, app)
        futures[0].set_result(Outcome.delivered(1, "m-now", 1))  # ended before the wait
        return futures

    later.send = send_and_end
    answer = dispatcher.deliver(EVENTS[:1], AppSettings(), 0, arrived)
    assert [r.message_id for r in answer.records] == ["m-now"] and answer.pending == []
    assert arrived == []
