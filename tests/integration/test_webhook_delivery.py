"""HTTP webhook hooks against real receivers on loopback: signing, compression, retries."""

from __future__ import annotations

import gzip
import socket
import threading
import time

import getstream.webhook
import pytest
from getstream import Stream
from stream_chat import StreamChat

from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.delivery.encoding import event_json
from emulator.server import EmulatorServer
from emulator.webhook_receiver import WebhookReceiver
from tests.helpers import send_one_message

TIMEOUT_MS = 1000  # per-request timeout here (Stream: 6000); loaded CI machines need ~1 s


@pytest.fixture(scope="module")
def server():
    """Overrides conftest's: `fresh` and `chat` then use this short-timeout emulator."""
    settings = Settings(port=0, sqs_port=0, webhook_timeout_ms=TIMEOUT_MS, webhook_backoff_ms=5)
    with EmulatorServer(settings) as running:
        yield running


@pytest.fixture
def receiver(fresh):
    with WebhookReceiver(fresh.settings.api_secret) as running:
        yield running


def fire(server, event_type: str, **options) -> tuple[list[dict], list[dict]]:
    events, records = server.backend.trigger(event_type, **options)
    return events, [r.to_wire() for r in records]


def hook(url: str, **extra) -> dict:
    return {"hook_type": "webhook", "enabled": True, "webhook_url": url, **extra}


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_delivered_and_verified_by_both_sdks(fresh, chat, receiver, compressed):
    chat.update_app_settings(event_hooks=[hook(receiver.url)],
                             enable_hook_payload_compression=compressed)
    # v2: getstream's typed models decode only Unix-nanosecond timestamps
    events, [record] = fire(fresh, "message.new", dialect="v2")
    assert record["status"] == "delivered" and record["hook_type"] == "webhook"
    assert record["attempts"] == 1 and record["target"] == receiver.url
    [(headers, body)] = receiver.requests
    assert headers["content-type"] == "application/json"
    assert headers["x-api-key"] == fresh.settings.api_key
    assert headers["x-webhook-attempt"] == "1"
    assert headers["x-webhook-id"] == record["message_id"]
    assert (headers.get("content-encoding") == "gzip") is compressed
    raw = gzip.decompress(body) if compressed else body
    assert raw == event_json(events[0]).encode("utf-8")  # the JSON as Go writes it
    assert record["size_bytes"] == len(body)
    s = fresh.settings
    assert StreamChat(s.api_key, s.api_secret).verify_webhook(raw, headers["x-signature"])
    assert not StreamChat(s.api_key, "another-secret").verify_webhook(raw, headers["x-signature"])
    assert chat.verify_and_parse_webhook(body, headers["x-signature"]) == events[0]
    typed = getstream.webhook.verify_and_parse_webhook(body, headers["x-signature"], s.api_secret)
    assert typed.message.id == events[0]["message"]["id"]
    client = Stream(api_key=s.api_key, api_secret=s.api_secret, base_url=fresh.base_url)
    assert client.verify_signature(raw, headers["x-signature"])


@pytest.mark.parametrize("answers", [[500, 429], [503, 408]])
def test_retryable_answers_get_three_attempts_with_one_webhook_id(fresh, chat, answers):
    with WebhookReceiver(fresh.settings.api_secret, script=answers) as receiver:
        chat.update_app_settings(event_hooks=[hook(receiver.url)])
        [record] = fire(fresh, "message.new")[1]
        ids = {h["x-webhook-id"] for h, _ in receiver.requests}
        attempts = [h["x-webhook-attempt"] for h, _ in receiver.requests]
    assert record["status"] == "delivered" and record["attempts"] == 3
    assert attempts == ["1", "2", "3"] and ids == {record["message_id"]}
    assert receiver.stats()["events"] == 1


def test_three_failures_lose_the_event(fresh, chat):
    with WebhookReceiver(fresh.settings.api_secret, script=[502, 502, 502, 200]) as receiver:
        chat.update_app_settings(event_hooks=[hook(receiver.url)])
        [record] = fire(fresh, "message.new")[1]
    assert record["status"] == "failed" and record["attempts"] == 3
    assert "answered HTTP 502" in record["reason"] and "after 3 attempt(s)" in record["reason"]
    assert receiver.stats()["requests"] == 3 and receiver.stats()["events"] == 0
    assert fresh.backend.totals()["failed"] == 1


@pytest.mark.parametrize("status", [400, 401, 404, 410])
def test_other_4xx_fails_at_once(fresh, chat, status):
    with WebhookReceiver(fresh.settings.api_secret, script=[status]) as receiver:
        chat.update_app_settings(event_hooks=[hook(receiver.url)])
        [record] = fire(fresh, "message.new")[1]
    assert record["status"] == "failed" and record["attempts"] == 1
    assert f"HTTP {status}" in record["reason"]
    assert receiver.stats()["requests"] == 1


def test_refused_connection_gets_two_attempts(fresh, chat):
    url = closed_port_url()
    chat.update_app_settings(event_hooks=[hook(url)])
    [record] = fire(fresh, "message.new")[1]
    assert record["status"] == "failed" and record["attempts"] == 2
    assert "Connection refused" in record["reason"] and record["target"] == url


@pytest.mark.parametrize("script, status, attempts", [
    (["reset"], "delivered", 2), (["reset", "reset"], "failed", 2)])
def test_reset_connection_gets_two_attempts(fresh, chat, script, status, attempts):
    with WebhookReceiver(fresh.settings.api_secret, script=script) as receiver:
        chat.update_app_settings(event_hooks=[hook(receiver.url)])
        [record] = fire(fresh, "message.new")[1]
    assert (record["status"], record["attempts"]) == (status, attempts)
    assert receiver.stats()["requests"] == attempts


def test_hanging_receiver_times_out_within_the_budget(fresh, chat):
    fire(fresh, "message.new")  # warm up the generator before timing
    with WebhookReceiver(fresh.settings.api_secret, script=["hang"] * 3) as receiver:
        chat.update_app_settings(event_hooks=[hook(receiver.url)])
        started = time.monotonic()
        [record] = fire(fresh, "message.new")[1]
        elapsed = time.monotonic() - started
    assert record["status"] == "failed" and record["attempts"] == 3
    assert f"no answer from {receiver.url} within the request timeout ({TIMEOUT_MS} ms)" \
        in record["reason"]
    # 1 + 1 s, then the 0.5 s left of the 2.5 s budget (Stream: 6 + 6 + 3 = 15 s)
    assert 2.5 * TIMEOUT_MS / 1000 <= elapsed < 2.5 * TIMEOUT_MS / 1000 + 2.0


def test_a_chat_calls_webhook_to_a_hanging_receiver_is_recorded_when_the_attempts_end(
        fresh, chat):
    """The call does not wait (test_webhook_async.py proves it with a gated receiver); the
    record reaches the ledger once all three attempts timed out."""
    with WebhookReceiver(fresh.settings.api_secret, script=["hang"] * 3) as receiver:
        chat.update_app_settings(event_hooks=[hook(receiver.url, id="hangs",
                                                   event_types=["message.new"])])
        send_one_message(chat, "ann", "hanging", "hi")
        deadline = time.monotonic() + 20
        while not fresh.backend.deliveries() and time.monotonic() < deadline:
            time.sleep(0.05)
        [record] = [r.to_wire() for r in fresh.backend.deliveries()]
    assert (record["status"], record["attempts"], record["hook_id"]) == ("failed", 3, "hangs")
    assert "within the request timeout" in record["reason"]


def test_hanging_webhook_does_not_hold_up_sqs(fresh, chat):
    queue = fresh.engine.create_queue("beside-webhook", dlq=False)
    fire(fresh, "channel.created")  # warm up the generator
    with WebhookReceiver(fresh.settings.api_secret, script=["hang"] * 3) as receiver:
        chat.update_app_settings(event_hooks=[hook(receiver.url), {
            "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
            "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
        answer: dict = {}
        worker = threading.Thread(
            target=lambda: answer.update(records=fire(fresh, "message.new")[1]))
        worker.start()
        sqs = fresh.engine.client("sqs")
        got = sqs.receive_message(QueueUrl=queue["url"], WaitTimeSeconds=1).get("Messages", [])
        still_waiting = worker.is_alive()  # the webhook is still retrying
        worker.join(5)
    assert len(got) == 1 and still_waiting
    statuses = sorted((r["hook_type"], r["status"]) for r in answer["records"])
    assert statuses == [("sqs", "delivered"), ("webhook", "failed")]


def test_events_reach_a_hook_in_order(fresh, chat, receiver):
    chat.update_app_settings(event_hooks=[hook(receiver.url)])
    events, records = fire(fresh, "message.new", count=5)
    assert [r["status"] for r in records] == ["delivered"] * 5
    assert [e["message"]["id"] for e in receiver.events] == [e["message"]["id"] for e in events]


def test_event_types_filter_and_disabled_hooks(fresh, chat, receiver):
    chat.update_app_settings(event_hooks=[
        hook(receiver.url, event_types=["reaction.new"]),
        hook(receiver.url, enabled=False)])
    assert fire(fresh, "message.new")[1] == []
    [record] = fire(fresh, "reaction.new")[1]
    assert record["status"] == "delivered" and receiver.stats()["events"] == 1


def test_legacy_webhook_url_delivers_like_a_hook(fresh, chat, receiver):
    chat.update_app_settings(event_hooks=[], webhook_url=receiver.url,
                             webhook_events=["message.new"])
    [record] = fire(fresh, "message.new")[1]
    assert record["hook_id"] == "legacy-webhook-url" and record["status"] == "delivered"
    assert fire(fresh, "reaction.new")[1] == []
    [(headers, body)] = receiver.requests
    assert chat.verify_webhook(body, headers["x-signature"])


def test_ledger_filters_by_hook_for_webhooks(fresh, chat, receiver):
    chat.update_app_settings(event_hooks=[hook(receiver.url, id="wh")])
    fire(fresh, "message.new", count=2)
    control = ControlClient.for_settings(fresh.base_url, fresh.settings)
    answer = control.get("/_emulator/deliveries", hook_id="wh", status="delivered")
    assert [r["hook_type"] for r in answer["deliveries"]] == ["webhook", "webhook"]
    assert [r["attempts"] for r in answer["deliveries"]] == [1, 1]
    assert answer["totals"]["delivered"] == 2


def test_cli_trigger_and_deliveries_print_webhook_outcomes(fresh, chat):
    from emulator.cli import main

    with WebhookReceiver(fresh.settings.api_secret, script=[503]) as receiver:
        chat.update_app_settings(event_hooks=[hook(receiver.url, id="cli-wh"),
                                              hook(closed_port_url(), id="cli-down")])
        url = ["--url", fresh.base_url]
        triggered = _printed(main, ["trigger", "message.new", *url])
    assert sorted(line.split()[0] for line in triggered) == ["delivered", "failed"]
    assert all(" webhook hook cli-" in line for line in triggered), triggered
    lines = _printed(main, ["deliveries", "--hook-type", "webhook", *url])
    assert any(line.startswith("delivered") and "webhook hook cli-wh" in line
               and "2 attempts" in line for line in lines), lines
    assert any(line.startswith("failed") and "webhook hook cli-down" in line
               and "2 attempts" in line and "Connection refused" in line for line in lines)


def _printed(main, argv: list[str]) -> list[str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return out.getvalue().strip().splitlines()
