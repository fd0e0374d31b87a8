"""The control API under /_emulator: events, deliveries, reset, event types and schemas."""

from __future__ import annotations

import jsonschema
import pytest
import requests

from emulator.catalog.types import EVENT_TYPES
from emulator.cli.client import EmulatorError


def error_of(call):
    with pytest.raises(EmulatorError) as caught:
        call()
    return caught.value


def test_health_names_version_endpoint_and_region(fresh):
    body = requests.get(fresh.base_url + "/_emulator/health", timeout=5).json()
    assert body["status"] == "ok" and body["version"]
    assert body["sqs_endpoint"] == fresh.engine.endpoint_url and body["region"] == "us-east-1"


def test_trigger_without_hooks_generates_but_delivers_nothing(control):
    answer = control.post("/_emulator/events", {"type": "message.new", "count": 3})
    assert [e["type"] for e in answer["events"]] == ["message.new"] * 3
    assert answer["deliveries"] == []


def test_same_seed_gives_the_same_payload_ids(control):
    first = control.post("/_emulator/events", {"type": "reaction.new", "seed": 11})
    second = control.post("/_emulator/events", {"type": "reaction.new", "seed": 11})
    a, b = first["events"][0], second["events"][0]
    assert (a["reaction"]["message_id"], a["user"]["id"], a["cid"]) == \
        (b["reaction"]["message_id"], b["user"]["id"], b["cid"])


def test_overrides_are_merged_and_validated(control):
    answer = control.post("/_emulator/events", {
        "type": "message.new", "overrides": {"message": {"text": "hello there"}}})
    assert answer["events"][0]["message"]["text"] == "hello there"
    error = error_of(lambda: control.post("/_emulator/events", {
        "type": "message.new", "overrides": {"message": {"reply_count": "many"}}}))
    assert error.status == 400 and error.body["code"] == 4
    assert "$.message.reply_count" in error.body["message"]


def test_unknown_event_type_is_code_4_naming_it(control):
    error = error_of(lambda: control.post("/_emulator/events", {"type": "message.neww"}))
    assert error.status == 400 and error.body["code"] == 4
    assert "message.neww" in error.body["message"]


@pytest.mark.parametrize("body, words", [
    ({}, '"type"'), ({"type": "message.new", "count": 0}, "count must be between"),
    ({"type": "message.new", "count": "2"}, "count must be int"),
    ({"type": "message.new", "dialect": "v3"}, "dialect must be one of"),
    ({"event": "x"}, "event must be an object"),
    ({"event": {"type": "message.new"}}, "$"),
])
def test_bad_trigger_bodies(control, body, words):
    error = error_of(lambda: control.post("/_emulator/events", body))
    assert error.status == 400 and words in error.body["message"]


def test_full_payload_of_the_caller_is_validated_and_delivered(control, chat, fresh):
    queue = fresh.engine.create_queue("caller", dlq=False)
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
    event = control.post("/_emulator/events", {"type": "user.banned"})["events"][0]
    event["reason"] = "spam, again"
    answer = control.post("/_emulator/events", {"event": event})
    assert answer["events"] == [event]
    assert answer["deliveries"][0]["status"] == "delivered"


def test_deliveries_filters_and_bad_filters(control, chat, fresh):
    queue = fresh.engine.create_queue("filters", dlq=False)
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "id": "h1", "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
    control.post("/_emulator/events", {"type": "message.new", "count": 4})
    control.post("/_emulator/events", {"type": "user.banned"})
    answer = control.get("/_emulator/deliveries", type="message.new", limit=2)
    assert len(answer["deliveries"]) == 2 and answer["totals"]["delivered"] == 5
    record = answer["deliveries"][0]
    assert set(record) == {"id", "event_type", "hook_id", "hook_type", "target", "status",
                           "reason", "size_bytes", "message_id", "attempts", "at"}
    assert record["hook_type"] == "sqs" and record["attempts"] == 1
    assert control.get("/_emulator/deliveries", hook_id="nope")["deliveries"] == []
    assert "status must be one of" in error_of(
        lambda: control.get("/_emulator/deliveries", status="lost")).body["message"]
    assert "hook_type must be one of ['sqs', 'sns', 'webhook'], got 'ftp'" in error_of(
        lambda: control.get("/_emulator/deliveries", hook_type="ftp")).body["message"]
    assert control.get("/_emulator/deliveries", hook_type="webhook")["deliveries"] == []
    assert "limit must be a positive integer" in error_of(
        lambda: control.get("/_emulator/deliveries", limit="-1")).body["message"]


def test_deliveries_by_record_id_and_bad_ids(control, chat, fresh):
    queue = fresh.engine.create_queue("by-id", dlq=False)
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "id": "h1", "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
    records = control.post("/_emulator/events", {"type": "message.new", "count": 5})["deliveries"]
    wanted = [records[3]["id"], records[1]["id"]]
    answer = control.get("/_emulator/deliveries", ids=",".join(wanted))
    assert [r["id"] for r in answer["deliveries"]] == [records[1]["id"], records[3]["id"]]
    assert answer["totals"]["delivered"] == 5  # the totals stay the ledger's
    upper = control.get("/_emulator/deliveries", ids=wanted[0].upper(), hook_id="h1")
    assert [r["id"] for r in upper["deliveries"]] == [wanted[0]]  # ids are case-blind
    unknown = "00000000-0000-4000-8000-000000000000"
    assert control.get("/_emulator/deliveries", ids=unknown)["deliveries"] == []
    # The client asks in pages of MAX_RECORD_IDS_PER_QUERY and answers in the ids' order.
    many = [unknown] * 600 + wanted
    assert [r["id"] for r in control.ledger(ids=many)[0]] == wanted
    for bad, words in [("", "ids must be comma-separated record ids"),
                       (f"{wanted[0]},,{wanted[1]}", "got ''"),
                       ("not-a-uuid", "got 'not-a-uuid'"),
                       (",".join([unknown] * 501), "at most 500 record ids, got 501")]:
        error = error_of(lambda bad=bad: control.get("/_emulator/deliveries", ids=bad))
        assert error.status == 400 and words in error.body["message"], bad
        assert {"code", "message", "StatusCode", "duration", "more_info", "details"} <= set(
            error.body) and error.body["code"] == 4


def test_reset_restores_settings_and_empties_ledger_and_optionally_sqs(control, chat, fresh):
    queue = fresh.engine.create_queue("to-reset", dlq=False)
    chat.update_app_settings(enable_hook_payload_compression=True, event_hooks=[{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
    control.post("/_emulator/events", {"type": "message.new"})
    control.post("/_emulator/reset", {})
    app = chat.get_app_settings()["app"]
    assert app["event_hooks"] == [] and app["enable_hook_payload_compression"] is False
    assert sum(control.get("/_emulator/deliveries")["totals"].values()) == 0
    sqs = fresh.engine.client("sqs")
    assert queue["url"] in sqs.list_queues().get("QueueUrls", [])
    control.post("/_emulator/reset", {"sqs": True})
    assert queue["url"] not in sqs.list_queues().get("QueueUrls", [])


def test_event_types_and_their_schemas(control, fresh):
    listed = control.get("/_emulator/event-types")["event_types"]
    assert [e["type"] for e in listed] == sorted(EVENT_TYPES) and len(listed) == 77
    dialects = {e["type"]: e["dialects"] for e in listed}
    assert dialects["message.new"] == ["v1", "v2"] and dialects["appeal.created"] == ["v2"]
    entry = next(e for e in listed if e["type"] == "message.new")
    assert entry["schema"].startswith(fresh.base_url)
    schema = control.get(entry["schema"][len(fresh.base_url):])
    assert schema["properties"]["type"]["const"] == "message.new"
    event = control.post("/_emulator/events", {"type": "message.new"})["events"][0]
    jsonschema.Draft202012Validator(schema).validate(event)  # bundled: no $ref to fetch
    v2 = control.get("/_emulator/schemas/message.new.json", dialect="v2")
    assert v2 != schema and v2["properties"]["type"]["const"] == "message.new"
    missing = error_of(lambda: control.get("/_emulator/schemas/nope.json"))
    assert missing.status == 400 and "nope" in missing.body["message"]
    # A v2-only type's schema is v2's unless asked otherwise; asked as v1, a clear 400.
    appeal = control.get("/_emulator/schemas/appeal.created.json")
    assert appeal["properties"]["type"]["const"] == "appeal.created"
    as_v1 = error_of(lambda: control.get("/_emulator/schemas/appeal.created.json", dialect="v1"))
    assert as_v1.status == 400 and "dialect v2" in as_v1.body["message"]


def test_a_v2_only_type_is_refused_in_v1_and_delivered_in_v2(control):
    refused = error_of(lambda: control.post("/_emulator/events", {"type": "appeal.created"}))
    assert refused.status == 400 and refused.body["code"] == 4
    assert "v2 webhook union only" in refused.body["message"]
    answer = control.post("/_emulator/events", {"type": "appeal.created", "dialect": "v2"})
    assert answer["events"][0]["appeal"]["status"] == "submitted"


def test_custom_event_with_its_own_type_name_is_validated_as_the_custom_schema(control):
    event = control.post("/_emulator/events", {"type": "*"})["events"][0]
    assert event["type"] not in EVENT_TYPES  # v1: the sender's own name, e.g. order_shipped
    assert control.post("/_emulator/events", {"event": event})["events"] == [event]
    assert control.post("/_emulator/events", {"event": event, "type": "*"})["events"] == [event]
    typo = dict(event, type="message.neww")  # a near miss of a Stream type is not custom
    assert "received string \"message.neww\"" in error_of(
        lambda: control.post("/_emulator/events", {"event": typo})).body["message"]
