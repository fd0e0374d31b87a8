"""Nobody waits for a webhook: chat calls answer before the receiver does, the record reaches
the ledger when the attempts end, per hook in event order; the control API's answer waits only
up to its bound and lists the rest as pending; reset and stop never hang on a receiver.

The receiver here holds every request until the test opens its gate, so "before" and "after"
are facts of the test's own making, never of timing."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema
import pytest
from stream_chat import StreamChat

from emulator.api.openapi import build_document
from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.server import EmulatorServer
from emulator.simulate.mix import load_mix
from emulator.simulate.pacing import Pacer
from emulator.simulate.runner import simulate
from emulator.simulate.sinks import BackendSink, HttpSink
from emulator.simulate.traffic import Traffic
from tests.helpers import free_port, send_one_message

POLL_LIMIT_S = 20.0  # how long a test waits for something that must happen (never a bound)


class GatedReceiver:
    """A webhook receiver on loopback whose answers (200) wait until `gate` is set."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.bodies: list[dict[str, Any]] = []  # in arrival order
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.bodies.append(json.loads(body))
                receiver.gate.wait(POLL_LIMIT_S * 3)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_port}/hook"

    def types(self) -> list[str]:
        return [body["type"] for body in self.bodies]

    def stop(self) -> None:
        self.gate.set()
        self._server.shutdown()
        self._server.server_close()


def eventually(read: Callable[[], Any], done: Callable[[Any], bool]) -> Any:
    """`read()` once `done` holds for it (polled), or its last value after POLL_LIMIT_S."""
    deadline = time.monotonic() + POLL_LIMIT_S
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.02)
        value = read()
    return value


def worker_threads(hook_id: str) -> list[threading.Thread]:
    """The delivery worker threads of one hook (hook ids are unique per test)."""
    return [t for t in threading.enumerate() if t.name == f"webhook-worker-{hook_id}"]


@pytest.fixture(scope="module")
def server():
    """Overrides conftest's: requests never time out while a gate is shut (60 s), and the
    control API's answer does not wait for webhooks at all (0 ms)."""
    settings = Settings(port=0, sqs_port=0, webhook_timeout_ms=60_000, webhook_backoff_ms=5,
                        webhook_answer_wait_ms=0)
    with EmulatorServer(settings) as running:
        yield running


@pytest.fixture
def gated(fresh):
    receiver = GatedReceiver()
    yield receiver
    receiver.stop()
    # Nothing of this test's webhooks reaches the next one's ledger; and moto's state is the
    # process's (every embedded server shares it): leave no message for the next test.
    fresh.backend.reset(sqs=True)


def hook(url: str, **extra: Any) -> dict[str, Any]:
    return {"hook_type": "webhook", "enabled": True, "webhook_url": url, **extra}


def webhook_records(control: ControlClient, **filters: Any) -> list[dict[str, Any]]:
    return control.get("/_emulator/deliveries", hook_type="webhook", **filters)["deliveries"]


def test_send_message_answers_before_the_receiver_and_the_record_comes_after(
        chat: StreamChat, control: ControlClient, gated: GatedReceiver):
    chat.update_app_settings(event_hooks=[hook(gated.url, id="slow",
                                               event_types=["message.new"])])
    sent = send_one_message(chat, "ann", "async-1", "hello")  # the receiver is shut
    assert eventually(gated.types, lambda t: t == ["message.new"]) == ["message.new"]
    assert not gated.gate.is_set() and webhook_records(control) == []  # still being tried
    gated.gate.set()
    [record] = eventually(lambda: webhook_records(control), bool)
    assert (record["status"], record["attempts"], record["hook_id"]) == ("delivered", 1, "slow")
    assert record["event_type"] == "message.new" and record["target"] == gated.url
    assert gated.bodies[0]["message"]["id"] == sent["id"]


def test_a_shut_hook_keeps_its_order_and_holds_up_no_other_hook(
        chat: StreamChat, control: ControlClient, gated: GatedReceiver):
    open_receiver = GatedReceiver()
    open_receiver.gate.set()
    try:
        chat.update_app_settings(event_hooks=[hook(gated.url, id="shut"),
                                              hook(open_receiver.url, id="open")])
        chat.upsert_users([{"id": "bob"}, {"id": "cy"}])
        channel = chat.channel("messaging", "async-2", {"members": ["bob", "cy"]})
        channel.create("bob")
        texts = [f"m{i}" for i in range(4)]
        for text in texts:
            channel.send_message({"text": text}, "cy")
        everything = eventually(  # the open hook's records, up to the last message's
            lambda: webhook_records(control, hook_id="open"),
            lambda r: [x["event_type"] for x in r].count("message.new") == len(texts))
        assert [r["status"] for r in everything] == ["delivered"] * len(everything)
        # The open hook got every event while the shut one has its first still open.
        assert len(gated.bodies) == 1 and webhook_records(control, hook_id="shut") == []
        gated.gate.set()
        shut = eventually(lambda: webhook_records(control, hook_id="shut"),
                          lambda r: len(r) == len(everything))
    finally:
        open_receiver.stop()
    expected = [r["event_type"] for r in everything]
    assert [r["event_type"] for r in shut] == expected  # the ledger, in event order
    assert gated.types() == open_receiver.types() == expected  # what arrived, in order
    messages = [b["message"]["text"] for b in gated.bodies if b["type"] == "message.new"]
    assert messages == texts


def test_trigger_answer_lists_a_slow_webhook_as_pending_then_the_ledger_has_it(
        fresh, chat: StreamChat, control: ControlClient, gated: GatedReceiver, capsys):
    from emulator.cli import main

    queue = fresh.engine.create_queue("beside-a-slow-hook", dlq=False)
    key, secret = fresh.engine.credentials()
    chat.update_app_settings(event_hooks=[hook(gated.url, id="slow"), {
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
        "sqs_region": fresh.settings.region, "sqs_key": key, "sqs_secret": secret}])
    answer = control.post("/_emulator/events", {"type": "message.new", "count": 2})
    assert [r["hook_type"] for r in answer["deliveries"]] == ["sqs", "sqs"]
    record_ids = [entry["record_id"] for entry in answer["pending"]]
    assert [{k: v for k, v in entry.items() if k != "record_id"}
            for entry in answer["pending"]] == [
        {"event_type": "message.new", "hook_id": "slow", "hook_type": "webhook",
         "target": gated.url}] * 2
    assert len(set(record_ids)) == 2
    document = build_document()  # the answer with `pending` is the documented one
    schema = {**document["paths"]["/_emulator/events"]["post"]["responses"]["201"]["content"]
              ["application/json"]["schema"], "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(answer)
    assert main(["trigger", "reaction.new", "--url", fresh.base_url, "--expect",
                 "delivered"]) == 0  # the SQS hook delivered it; the webhook is pending
    printed = capsys.readouterr().out
    assert "pending          reaction.new" in printed and "still being tried" in printed
    late_id = printed.split("  record ")[1].split()[0]  # the id the pending line names
    assert f"deliveries --id {late_id}`" in printed  # the hint asks for exactly it
    gated.gate.set()
    records = eventually(lambda: webhook_records(control), lambda r: len(r) == 3)
    assert [r["id"] for r in records[:2]] == record_ids  # the records the answer named
    assert records[2]["id"] == late_id
    assert main(["deliveries", "--url", fresh.base_url, "--id", late_id,
                 "--id", record_ids[1]]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in listed] == [["delivered", "reaction.new"],
                                                     ["delivered", "message.new"]]
    assert main(["deliveries", "--url", fresh.base_url, "--id", "not-an-id"]) != 0
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "ids" in error[0]  # one line naming the bad filter
    assert [(r["event_type"], r["status"]) for r in records] == [
        ("message.new", "delivered"), ("message.new", "delivered"), ("reaction.new", "delivered")]
    assert control.get("/_emulator/deliveries")["totals"]["delivered"] == 6


def test_reset_does_not_wait_and_nothing_of_before_it_reaches_the_ledger(
        fresh, chat: StreamChat, control: ControlClient, gated: GatedReceiver):
    chat.update_app_settings(event_hooks=[hook(gated.url, id="reset-me")])
    answer = control.post("/_emulator/events", {"type": "message.new", "count": 3})
    assert len(answer["pending"]) == 3
    eventually(lambda: len(gated.bodies), lambda n: n == 1)  # one in flight, two queued
    resetting = threading.Thread(target=lambda: control.post("/_emulator/reset", {}))
    resetting.start()
    resetting.join(POLL_LIMIT_S)
    assert not resetting.is_alive()  # reset returned with the receiver still shut
    gated.gate.set()  # the send in flight ends now; its worker thread then ends
    assert eventually(lambda: worker_threads("reset-me"), lambda t: not t) == []
    assert len(gated.bodies) == 1  # the two queued events were never sent
    assert control.get("/_emulator/deliveries")["deliveries"] == []  # reset's state kept


def test_an_answer_waiting_through_a_reset_lists_none_of_the_deliveries_it_dropped():
    """The control API's answer waits for its webhooks (a long bound here) and a reset comes
    meanwhile: the ledger drops their records, so the answer lists them neither as records
    (as if delivered or failed) nor as pending."""
    receiver = GatedReceiver()
    settings = Settings(port=0, sqs_port=0, webhook_timeout_ms=60_000,
                        webhook_answer_wait_ms=60_000)
    try:
        with EmulatorServer(settings) as running:
            control = ControlClient.for_settings(running.base_url, settings)
            running.backend.update_app({"event_hooks": [hook(receiver.url, id="answer-reset")]})
            answers: list[dict[str, Any]] = []
            waiting = threading.Thread(target=lambda: answers.append(control.post(
                "/_emulator/events", {"type": "message.new", "count": 2})), daemon=True)
            waiting.start()
            eventually(lambda: len(receiver.bodies), lambda n: n == 1)  # 1 in flight, 1 queued
            control.reset()
            receiver.gate.set()
            waiting.join(POLL_LIMIT_S)
            [answer] = answers
            assert answer["deliveries"] == [] and answer.get("pending", []) == []
            assert control.get("/_emulator/deliveries")["deliveries"] == []
    finally:
        receiver.stop()


def test_stopping_the_server_does_not_hang_on_a_shut_receiver():
    receiver = GatedReceiver()
    settings = Settings(port=0, sqs_port=0, webhook_timeout_ms=60_000, webhook_answer_wait_ms=0)
    server = EmulatorServer(settings).start()
    try:
        control = ControlClient.for_settings(server.base_url, settings)
        server.backend.update_app({"event_hooks": [hook(receiver.url, id="stop-me")]})
        control.post("/_emulator/events", {"type": "message.new", "count": 2})
        eventually(lambda: len(receiver.bodies), lambda n: n == 1)
        stopping = threading.Thread(target=server.stop)
        stopping.start()
        stopping.join(POLL_LIMIT_S)
        assert not stopping.is_alive()  # stopped with a request still in flight
        [worker] = worker_threads("stop-me")
        assert worker.daemon  # it never keeps the process alive
    finally:
        receiver.stop()
    assert eventually(lambda: worker_threads("stop-me"), lambda t: not t) == []
    assert len(receiver.bodies) == 1  # the queued event was not sent after the stop


def test_wait_for_deliveries_waits_for_a_webhook_record_and_says_what_the_ledger_holds(
        fresh, chat: StreamChat, gated: GatedReceiver):
    from emulator.testing import StreamEmulator, StreamFailure

    emulator = StreamEmulator(fresh.base_url, fresh.settings, fresh.engine.endpoint_url,
                              server=fresh)
    chat.update_app_settings(event_hooks=[hook(gated.url, id="waited",
                                               event_types=["message.new"])])
    send_one_message(chat, "dee", "async-wait", "wait for me")
    eventually(lambda: len(gated.bodies), lambda n: n == 1)
    with pytest.raises(StreamFailure, match=r"expected at least 1 delivery record\(s\) "
                                            r"matching hook_type='webhook' within 0.1 s, "
                                            r"found 0 \(ledger totals: "):
        emulator.wait_for_deliveries(1, timeout=0.1, hook_type="webhook")  # the gate is shut
    gated.gate.set()
    [record] = emulator.wait_for_deliveries(1, timeout=POLL_LIMIT_S, hook_type="webhook")
    assert (record["hook_id"], record["status"]) == ("waited", "delivered")


def test_the_dashboards_trigger_says_a_slow_webhook_is_still_being_tried(
        fresh, chat: StreamChat, gated: GatedReceiver):
    from emulator.api import create_app
    from tests.api.test_dashboard import Dashboard

    board = Dashboard(create_app(fresh.backend).test_client(), fresh.settings)
    assert board.sign_in().status_code == 302
    chat.update_app_settings(event_hooks=[hook(gated.url, id="dash-slow")])
    board.post("/dashboard/deliveries/trigger", event_type="message.new", count="2")
    page = board.get("/dashboard/deliveries").text
    assert "Triggered 2 × message.new: 2 webhook deliveries still being tried." in page
    gated.gate.set()
    records = eventually(lambda: fresh.backend.deliveries(), lambda r: len(r) == 2)
    assert [r.status.value for r in records] == ["delivered", "delivered"]
    rows = 'data-status="delivered" data-event-type="message.new"'
    assert board.get("/dashboard/deliveries").text.count(rows) == 2


def test_simulate_standalone_does_not_wait_for_a_shut_webhook(gated: GatedReceiver,
                                                               monkeypatch, capsys):
    """SQS gets every event while the webhook's first request is still open; the run ends
    after the answer bound and says how many webhook deliveries were still being tried."""
    from emulator.cli import main

    monkeypatch.setenv("STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS", "60000")
    monkeypatch.setenv("STREAM_EMULATOR_WEBHOOK_ANSWER_WAIT_MS", "200")
    status = main(["simulate", "--events", "30", "--rate", "0", "--seed", "5", "--webhook",
                   gated.url, "--json", "--no-progress"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0 and report["events"] == 30
    [sqs] = report["hooks"]  # no webhook record yet: none of its attempts has ended
    assert (sqs["hook_type"], sqs["delivered"]) == ("sqs", 30)
    assert report["queue"]["messages"] == 30 and report["webhooks_pending"] == 30
    # Its first request held the worker (if it got out before the run ended): no other.
    assert len(gated.bodies) <= 1 and report["ledger_agrees"] is True


class SettlingSink(BackendSink):
    """The standalone sink, that says when the run has sent everything and begins to wait
    for its late webhook records, and holds that wait until the test lets it go."""

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.settling, self.go = threading.Event(), threading.Event()

    def settle(self, timeout: float | None = None) -> tuple[list[dict[str, Any]], int]:
        self.settling.set()
        self.go.wait(POLL_LIMIT_S * 3)
        return super().settle(POLL_LIMIT_S)  # the module's answer bound is 0 ms


def test_simulate_standalone_counts_no_late_record_a_reset_dropped(
        fresh, control: ControlClient, gated: GatedReceiver):
    """A reset while 20 webhook deliveries of the run are still being tried: the ledger drops
    their records, so the run counts none of them either and none stays pending; deliveries
    handed out after the reset are counted as they come, and the run agrees with the ledger."""
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="standalone-reset")]})
    sink = SettlingSink(fresh.backend)
    done: list = []
    running = threading.Thread(target=lambda: done.append(simulate(
        Traffic(load_mix(None), 12, 30, 8, "v1"), sink, Pacer(0, events=20))), daemon=True)
    running.start()
    assert sink.settling.wait(POLL_LIMIT_S)  # all 20 sent, none ended: the gate is shut
    assert eventually(lambda: len(gated.bodies), lambda n: n == 1) == 1  # one in flight
    control.reset()  # the 20 belong to the state before it
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="standalone-reset")]})
    after = sink.send(Traffic(load_mix(None), 13, 30, 8, "v1").batch(3))  # late ones too
    assert after == []
    gated.gate.set()
    sink.go.set()
    running.join(POLL_LIMIT_S * 3)
    [run] = done
    assert run.error is None and run.tally.sent == 20
    assert run.pending == 0  # the dropped 20 are not "still being tried"
    [row] = run.tally.hooks.rows()  # only the 3 handed out after the reset
    assert (row["hook_id"], row["events"], row["delivered"]) == ("standalone-reset", 3, 3)
    assert run.tally.status_totals()["failed"] == 0  # the 19 queued ended "not sent: reset"
    assert fresh.backend.totals()["delivered"] == 3 and run.ledger_agrees()


def test_simulate_url_reads_the_webhook_records_its_answers_left_pending(fresh, gated):
    client = ControlClient.for_settings(fresh.base_url, fresh.settings)
    # Two records of the same hook id from before the run (a refused port: failed at once)
    # must not be taken for the run's late ones.
    fresh.backend.update_app({"event_hooks": [hook(f"http://127.0.0.1:{free_port()}/",
                                                   id="sim-late")]})
    client.post("/_emulator/events", {"type": "message.new", "count": 2})
    assert eventually(lambda: len(webhook_records(client, hook_id="sim-late")),
                      lambda n: n == 2) == 2
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="sim-late")]})
    sink = HttpSink(client, "v1", late_wait_s=0.0)
    run = simulate(Traffic(load_mix(None), 5, 30, 8, "v1"), sink, Pacer(0, events=40))
    assert run.error is None and run.tally.sent == 40
    assert run.pending == 40  # the gate is shut and the answers do not wait: all still tried
    gated.gate.set()
    records, still = sink.settle(POLL_LIMIT_S)
    assert still == 0 and len({r["id"] for r in records}) == 40
    assert {(r["hook_id"], r["status"]) for r in records} == {("sim-late", "delivered")}
    assert [r["event_type"] for r in records] == gated.types()  # in the hook's order


def test_simulate_url_counts_late_webhooks_in_its_table_and_ledger(fresh, gated):
    gated.gate.set()  # answers at once; the emulator's answers still do not wait (0 ms)
    fresh.backend.update_app({"event_hooks": [hook(gated.url, id="sim-counted")]})
    client = ControlClient.for_settings(fresh.base_url, fresh.settings)
    run = simulate(Traffic(load_mix(None), 6, 30, 8, "v1"),
                   HttpSink(client, "v1", late_wait_s=POLL_LIMIT_S), Pacer(0, events=60))
    assert run.error is None and run.pending == 0
    [row] = run.tally.hooks.rows()
    assert (row["hook_id"], row["events"], row["delivered"]) == ("sim-counted", 60, 60)
    assert run.ledger_agrees() and run.ledger_delta["delivered"] == 60
