"""GET/POST /_emulator/wire: the body form and default dialect a wire-variant test switches."""

from __future__ import annotations

import base64
import json

import pytest

from emulator.cli.client import EmulatorError


def hook_to(fresh, sqs, name: str) -> str:
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    fresh.backend.update_app({"event_hooks": [{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": url, "sqs_region": "us-east-1",
        "sqs_auth_type": "keys", "sqs_key": "testing", "sqs_secret": "testing"}]})
    return url


def bodies(sqs, url: str) -> list[str]:
    answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    return [m["Body"] for m in answer.get("Messages", [])]


def test_defaults_come_from_the_settings(control):
    answer = control.get("/_emulator/wire")
    assert {k: answer[k] for k in ("sqs_body_base64", "dialect")} == {
        "sqs_body_base64": False, "dialect": "v1"}


def test_base64_and_v2_until_reset(fresh, control, sqs):
    url = hook_to(fresh, sqs, "wire-switch")
    answer = control.post("/_emulator/wire", {"sqs_body_base64": True, "dialect": "v2"})
    assert (answer["sqs_body_base64"], answer["dialect"]) == (True, "v2")
    event = control.post("/_emulator/events", {"type": "message.new"})["events"][0]
    assert isinstance(event["created_at"], int)  # v2: Unix nanoseconds
    [body] = bodies(sqs, url)
    assert json.loads(base64.b64decode(body, validate=True)) == event
    # a partial update keeps the other option
    assert control.post("/_emulator/wire", {"dialect": "v1"})["sqs_body_base64"] is True
    control.post("/_emulator/reset", {})
    assert control.get("/_emulator/wire")["sqs_body_base64"] is False
    url = hook_to(fresh, sqs, "wire-after-reset")
    control.post("/_emulator/events", {"type": "message.new"})
    assert bodies(sqs, url)[0].startswith("{")


@pytest.mark.parametrize("body, words", [
    ([], "must be a JSON object"),
    ({"sqs_body_base64": "yes"}, "sqs_body_base64 must be bool"),
    ({"dialect": "v3"}, "dialect must be one of"),
    ({"compress": True}, "unknown field 'compress'"),
])
def test_bad_input_is_code_4_and_changes_nothing(control, body, words):
    with pytest.raises(EmulatorError) as caught:
        control.post("/_emulator/wire", body)
    assert caught.value.status == 400 and caught.value.body["code"] == 4
    assert words in caught.value.body["message"]
    assert control.get("/_emulator/wire")["dialect"] == "v1"
