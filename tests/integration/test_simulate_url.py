"""`simulate --url` through HttpSink against the real server: requests of many events with
`"echo": false`, in order, and a ledger that adds up (issue 15 P7)."""

from __future__ import annotations

import json
from typing import Any

import orjson

from emulator.cli.client import ControlClient
from emulator.config import MAX_BODY_BYTES
from emulator.simulate import sinks
from emulator.simulate.mix import load_mix
from emulator.simulate.pacing import Pacer
from emulator.simulate.runner import simulate
from emulator.simulate.sinks import HttpSink, request_chunks
from emulator.simulate.traffic import Traffic
from tests.integration.test_delivery import receive_all, sqs_hook


class RecordingClient(ControlClient):
    """The real client; remembers the body and the answer's fields of every events request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[tuple[dict, set[str]]] = []

    def request(self, method: str, path: str, body: Any = None, **query: Any) -> dict:
        answer = super().request(method, path, body, **query)
        if path == "/_emulator/events":
            self.calls.append((orjson.loads(body.data), set(answer)))
        return answer


def traffic(seed: int) -> Traffic:
    return Traffic(load_mix(None), seed, 30, 8, "v1")


def identity(event: dict) -> tuple:
    """What replays with the seed (the timestamps follow the clock)."""
    return (event["type"], event.get("cid"), (event.get("message") or {}).get("id"),
            (event.get("user") or {}).get("id"))


def test_a_run_in_many_requests_keeps_order_and_the_ledger_adds_up(fresh, monkeypatch):
    queue = fresh.engine.create_queue("sim-requests", dlq=False)
    fresh.backend.update_app({"event_hooks": [sqs_hook(queue["url"])]})  # every event
    monkeypatch.setattr(sinks, "REQUEST_BUDGET", 24_000)  # ~8 events a request, not ~300
    client = RecordingClient.for_settings(fresh.base_url, fresh.settings)
    run = simulate(traffic(seed=31), HttpSink(client, "v1"), Pacer(0, events=150))
    assert run.error is None and run.tally.sent == 150
    assert run.ledger_agrees() and run.ledger_delta["delivered"] == 150
    # Many requests, each asking for the records alone, each under the budget.
    assert len(client.calls) > 10
    assert all(body["echo"] is False and answer == {"deliveries", "duration"}
               for body, answer in client.calls)
    assert sum(len(body["events"]) for body, _ in client.calls) == 150
    # The queue holds the seeded run's events in the order they were drawn.
    expected = traffic(seed=31).batch(150)
    messages = receive_all(fresh.engine.client("sqs"), queue["url"], 150, rounds=40)
    assert [identity(json.loads(m["Body"])) for m in messages] == [identity(e) for e in expected]


def test_requests_are_sized_in_utf8_bytes_and_keep_every_event_once():
    texts = [orjson.dumps({"type": "x", "text": "é✓" * n}) for n in range(0, 40_000, 997)]
    assert any(len(t) > len(t.decode()) for t in texts)  # bytes, not characters, count
    chunks = request_chunks(texts)
    assert [t for chunk in chunks for t in chunk] == texts  # all of them, in order
    assert all(sum(len(t) + 1 for t in chunk) <= sinks.REQUEST_BUDGET for chunk in chunks)
    assert len(chunks) > 1


class OneTooBig(Traffic):
    """Seeded traffic whose `at`-th event is made bigger than any request may be."""

    def __init__(self, seed: int, at: int) -> None:
        super().__init__(load_mix(None), seed, 30, 8, "v1")
        self.at, self.drawn = at, 0

    def batch(self, size: int) -> list[dict]:
        events = super().batch(size)
        if self.drawn <= self.at < self.drawn + size:
            events[self.at - self.drawn]["padding"] = "x" * MAX_BODY_BYTES  # → 413
        self.drawn += size
        return events


def test_a_refused_request_stops_the_run_and_what_went_before_is_counted(fresh, monkeypatch):
    queue = fresh.engine.create_queue("sim-refused", dlq=False)
    fresh.backend.update_app({"event_hooks": [sqs_hook(queue["url"])]})
    monkeypatch.setattr(sinks, "REQUEST_BUDGET", 24_000)  # many requests a batch
    monkeypatch.setattr("emulator.simulate.pacing.MAX_BATCH", 40)  # several batches
    client = ControlClient.for_settings(fresh.base_url, fresh.settings)
    run = simulate(OneTooBig(seed=32, at=130), HttpSink(client, "v1"), Pacer(0, events=400))
    assert run.error and "413" in run.error
    # The batches before the refused one and the refused batch's requests before it were
    # delivered and counted; nothing after it was sent.
    assert run.tally.sent == 130  # events 0–129: every one before the refused one
    assert run.ledger_agrees() and run.ledger_delta["delivered"] == run.tally.sent
    assert fresh.backend.totals()["delivered"] == run.tally.sent
