"""The one ControlClient and its one error root, as the CLI, the pytest helpers and simulate
see them."""

from __future__ import annotations

import pytest

import emulator.testing.events as testing_events
import emulator.testing.queue as testing_queue
from emulator.cli.client import (
    ControlClient,
    EmulatorError,
    EmulatorRefused,
    EmulatorUnreachable,
)
from emulator.testing import SchemaAssertionError, StreamFailure


def test_typed_operations_round_trip(control: ControlClient, fresh):
    queue = fresh.engine.create_queue("client-ops", dlq=False)
    control.update_app(event_hooks=[{"hook_type": "sqs", "enabled": True, "id": "h",
                                     "sqs_queue_url": queue["url"], "sqs_region": "us-east-1",
                                     "sqs_key": "k", "sqs_secret": "s"}])
    sent = control.trigger("message.new", count=2, seed=4, overrides={"message": {"text": "x"}})
    assert [e["message"]["text"] for e in sent.events] == ["x", "x"]
    assert [r["status"] for r in sent.deliveries] == ["delivered"] * 2
    again = control.deliver(sent.events[0])
    assert again.events == [sent.events[0]] and again.deliveries[0]["hook_id"] == "h"
    records, totals = control.ledger(type="message.new", limit=2)
    assert len(records) == 2 and totals["delivered"] == 3 == control.totals()["delivered"]
    assert control.set_fault("latency", latency_ms=1)["mode"] == "latency"
    assert control.faults()["latency_ms"] == 1
    control.clear_faults()
    assert control.faults() is None
    control.reset()
    assert control.deliveries() == [] and control.get_app()["event_hooks"] == []


def test_refusals_and_absence_share_one_root(control: ControlClient, fresh):
    with pytest.raises(EmulatorRefused) as refused:
        control.trigger("no.such.type")
    assert refused.value.status == 400 and refused.value.code == 4
    wrong = ControlClient(fresh.base_url, fresh.settings.api_key, "x" * 40)
    with pytest.raises(EmulatorRefused) as unsigned:
        wrong.totals()
    assert unsigned.value.status == 401 and unsigned.value.code == 43
    with pytest.raises(EmulatorUnreachable) as absent:
        ControlClient("http://127.0.0.1:9", "k", "s" * 32).health()
    assert "no emulator answers at http://127.0.0.1:9 (connection refused)" in str(absent.value)
    assert isinstance(absent.value, OSError)  # older `except OSError` callers still catch it
    for error in (refused.value, unsigned.value, absent.value):
        assert isinstance(error, EmulatorError)


def test_the_pytest_helpers_failures_are_client_errors_too():
    # one class, wherever the helpers raise it from
    assert testing_queue.StreamFailure is StreamFailure is testing_events.StreamFailure
    assert issubclass(StreamFailure, EmulatorError) and issubclass(StreamFailure, AssertionError)
    assert issubclass(SchemaAssertionError, StreamFailure)
