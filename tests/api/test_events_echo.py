"""`"echo": false` on `POST /_emulator/events`: the answer holds the delivery records alone
(what `simulate --url` asks for); without it the answer is DESIGN.md §1's, events echoed."""

from __future__ import annotations

import gc
import json

import jsonschema
import pytest
import requests

from emulator.api.openapi import build_document
from emulator.auth import server_token
from tests.api.test_events_batch import hooked, payloads, rejection  # noqa: F401 (fixture)
from tests.integration.test_delivery import receive_all

FORMS = {
    "events": lambda: {"events": payloads(4, seed=21)},
    "event": lambda: {"event": payloads(1, seed=22)[0]},
    "type": lambda: {"type": "reaction.new", "count": 3, "seed": 5},
}


def documented(part: str) -> jsonschema.Draft202012Validator:
    """The OpenAPI document's schema of TriggerEvents' request body or 201 answer."""
    document = build_document()
    operation = document["paths"]["/_emulator/events"]["post"]
    node = (operation["requestBody"] if part == "request"
            else operation["responses"]["201"])["content"]["application/json"]["schema"]
    return jsonschema.Draft202012Validator({**node, "components": document["components"]})


@pytest.mark.parametrize("form", FORMS)
def test_echo_false_answers_with_the_records_alone(control, fresh, hooked, form):  # noqa: F811
    body = {**FORMS[form](), "echo": False}
    answer = control.post("/_emulator/events", body)
    assert set(answer) == {"deliveries", "duration"}
    count = len(body.get("events", [])) or body.get("count", 1)
    assert [r["status"] for r in answer["deliveries"]] == ["delivered"] * count
    # Delivered all the same: the queue holds one message per event, the ledger has them.
    assert len(receive_all(fresh.engine.client("sqs"), hooked["url"], count)) == count
    assert fresh.backend.totals()["delivered"] == count
    documented("request").validate(body)
    documented("answer").validate(answer)


@pytest.mark.parametrize("echo", [True, None])
def test_echo_true_or_null_keeps_the_answer_of_design_section_1(control, hooked, echo):  # noqa: F811
    events = payloads(3, seed=23)
    answer = control.post("/_emulator/events", {"events": events, "echo": echo})
    assert set(answer) == {"events", "deliveries", "duration"}
    assert answer["events"] == events
    documented("answer").validate(answer)


def test_the_records_are_the_same_with_or_without_echo(control, hooked):  # noqa: F811
    events = payloads(5, seed=24)
    echoed = control.post("/_emulator/events", {"events": events})["deliveries"]
    bare = control.post("/_emulator/events", {"events": events, "echo": False})["deliveries"]
    different = {"id", "message_id", "at"}  # new on every delivery
    assert [{k: v for k, v in r.items() if k not in different} for r in bare] == \
        [{k: v for k, v in r.items() if k not in different} for r in echoed]


@pytest.mark.parametrize("echo", ["false", 0, [], {}])
def test_an_echo_that_is_no_boolean_is_code_4_and_nothing_is_delivered(control, fresh, echo,
                                                                         hooked):  # noqa: F811
    error = rejection(control, {"events": payloads(2, seed=25), "echo": echo})
    assert error.status == 400 and error.body["code"] == 4
    assert "echo must be bool" in error.body["message"]
    assert fresh.backend.totals()["delivered"] == 0
    messages = fresh.engine.client("sqs").receive_message(QueueUrl=hooked["url"])
    assert messages.get("Messages", []) == []


def test_the_client_sends_encoded_payloads_with_echo_off(control, fresh, hooked):  # noqa: F811
    events = payloads(6, seed=26)
    events[0]["message"]["text"] = "héllo ✓ <b>&"  # non-ASCII and HTML characters, raw UTF-8
    texts = [json.dumps(e, ensure_ascii=False).encode() for e in events]
    sent = control.deliver_many_json(texts, "v1", echo=False)
    assert sent.events == [] and len(sent.deliveries) == 6
    messages = receive_all(fresh.engine.client("sqs"), hooked["url"], 6)
    assert [json.loads(m["Body"]) for m in messages] == events  # in order, unchanged


def test_strict_json_bodies_are_code_4_and_utf8_comes_back_unchanged(fresh, hooked):  # noqa: F811
    s = fresh.settings
    headers = {"Authorization": server_token(s.api_secret), "Stream-Auth-Type": "jwt",
               "Content-Type": "application/json"}
    url = f"{fresh.base_url}/_emulator/events?api_key={s.api_key}"
    lone = b'{"event": {"type": "custom.thing", "t": "\\ud800"}}'  # a lone surrogate
    answer = requests.post(url, data=lone, headers=headers, timeout=10)
    assert answer.status_code == 400 and answer.json()["code"] == 4
    assert "invalid JSON body" in answer.json()["message"]
    assert fresh.backend.totals()["delivered"] == 0
    event = payloads(1, seed=27)[0]
    event["message"]["text"] = "héllo ✓ 日本"
    answer = requests.post(url, data=json.dumps({"event": event}, ensure_ascii=False).encode(),
                           headers=headers, timeout=10)
    assert answer.status_code == 201 and answer.json()["events"] == [event]


def test_the_collector_runs_again_after_batch_requests(control, hooked):  # noqa: F811
    # The server shares this process: the pause of emulator/gcpause.py must end with the request,
    # whether it delivered or was refused.
    assert gc.isenabled()
    control.post("/_emulator/events", {"events": payloads(3, seed=28), "echo": False})
    assert gc.isenabled()
    rejection(control, {"events": payloads(2, seed=29), "echo": "no"})
    assert gc.isenabled()
