"""`POST /_emulator/events {"events": [...]}`: many payloads in one request (issue 15 §1)."""

from __future__ import annotations

import json

import pytest
import requests

from emulator.catalog.batch import MAX_EVENTS_PER_REQUEST
from emulator.cli.client import EmulatorError
from emulator.events.generator import Generator
from emulator.testing.emulator import connect_emulator
from tests.integration.test_delivery import receive_all, sqs_hook


def payloads(count, seed=3, event_type="message.new"):
    generator = Generator(seed=seed, dialect="v1")
    return [generator.make(event_type) for _ in range(count)]


@pytest.fixture
def hooked(fresh, chat):
    queue = fresh.engine.create_queue("batched", dlq=False)
    chat.update_app_settings(event_hooks=[sqs_hook(queue["url"])])
    return queue


def rejection(control, body):
    with pytest.raises(EmulatorError) as caught:
        control.post("/_emulator/events", body)
    return caught.value


def test_many_payloads_are_delivered_in_order(control, fresh, hooked):
    events = payloads(25)
    answer = control.deliver_many(events, "v1")
    assert answer.events == events
    assert [r["status"] for r in answer.deliveries] == ["delivered"] * 25
    messages = receive_all(fresh.engine.client("sqs"), hooked["url"], 25)
    # One record per event in request order, and the queue holds them in that order too.
    by_id = {m["MessageId"]: json.loads(m["Body"]) for m in messages}
    assert [by_id[r["message_id"]]["message"]["id"] for r in answer.deliveries] == \
        [e["message"]["id"] for e in events]
    # moto hands out a standard queue's messages in arrival order: the request's order.
    assert [json.loads(m["Body"])["message"]["id"] for m in messages] == \
        [e["message"]["id"] for e in events]


def test_a_bad_payload_rejects_the_whole_request_naming_index_and_path(control, fresh, hooked):
    events = payloads(5)
    events[3]["message"]["reply_count"] = "many"
    error = rejection(control, {"events": events})
    assert error.status == 400 and error.body["code"] == 4
    assert "events[3]" in error.body["message"]
    assert "$.events[3].message.reply_count" in error.body["message"]
    assert control.get("/_emulator/deliveries")["deliveries"] == []  # nothing delivered
    assert fresh.engine.client("sqs").get_queue_attributes(
        QueueUrl=hooked["url"], AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]["ApproximateNumberOfMessages"] == "0"


@pytest.mark.parametrize("events, words", [
    ([], f"1 to {MAX_EVENTS_PER_REQUEST}"),
    ("x", "events must be an array"),
    ([{"type": "message.new"}, 7], "events[0]"),
    ([{"type": "no.such.type"}], "events[0]"),
    ([*payloads(1), "x"], "events[1]: expected an event object at $.events[1], got string"),
])
def test_malformed_batches_are_code_4(control, events, words):
    error = rejection(control, {"events": events})
    assert error.status == 400 and error.body["code"] == 4
    assert words in error.body["message"]


def test_more_than_the_maximum_count_is_refused(control, fresh):
    event = {"type": "custom.thing"}  # tiny, so the count limit is hit before the body limit
    error = rejection(control, {"events": [event] * (MAX_EVENTS_PER_REQUEST + 1)})
    assert error.status == 400 and str(MAX_EVENTS_PER_REQUEST) in error.body["message"]
    assert fresh.backend.totals()["delivered"] == 0


def test_a_body_over_the_limit_is_413_and_nothing_is_delivered(fresh, hooked):
    event = payloads(1)[0]
    event["message"]["text"] = "x" * 200_000
    body = json.dumps({"events": [event] * 6})  # 1.2 MB > 1 MiB
    s = fresh.settings
    from emulator.auth import server_token

    answer = requests.post(f"{fresh.base_url}/_emulator/events?api_key={s.api_key}",
                           data=body, timeout=10, headers={
                               "Authorization": server_token(s.api_secret),
                               "Stream-Auth-Type": "jwt", "Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["code"] == 22
    assert fresh.backend.totals()["delivered"] == 0


def test_the_pytest_helper_deliver_many(fresh, hooked):
    helper = connect_emulator(fresh.base_url)
    events = payloads(3, seed=9)
    triggered = helper.deliver_many(events)
    assert triggered.events == events
    assert [r["status"] for r in triggered.deliveries] == ["delivered"] * 3
