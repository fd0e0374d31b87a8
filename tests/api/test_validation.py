"""PATCH /app validation: each bad input is 400 / code 4 naming the field; nothing changes."""

from __future__ import annotations

import pytest
from stream_chat.base.exceptions import StreamAPIException

from .test_app_settings_sdk import QUEUE, hooks, sqs_hook

CASES = [
    ({"event_hooks": "nope"}, "event_hooks must be an array of objects, got string"),
    ({"event_hooks": [42]}, "event_hooks[0] must be an object, got integer"),
    ({"event_hooks": [sqs_hook(hook_type="ftp")]},
     "event_hooks[0].hook_type must be one of [webhook, sqs, sns, pending_message], got 'ftp'"),
    ({"event_hooks": [sqs_hook(sqs_queue_url="")]},
     "event_hooks[0].sqs_queue_url is required for a sqs hook"),
    ({"event_hooks": [sqs_hook(sqs_region="")]},
     "event_hooks[0].sqs_region is required for a sqs hook"),
    ({"event_hooks": [sqs_hook(sqs_queue_url="foobar")]},
     "event_hooks[0].sqs_queue_url must be a valid URL, got 'foobar'"),
    ({"event_hooks": [sqs_hook(sqs_auth_type="iam")]},
     "event_hooks[0].sqs_auth_type must be one of [keys resource role], got 'iam'"),
    ({"event_hooks": [sqs_hook(sqs_key="")]},
     'event_hooks[0].sqs_key is required when sqs_auth_type is "keys"'),
    ({"event_hooks": [sqs_hook(sqs_secret="")]},
     'event_hooks[0].sqs_secret is required when sqs_auth_type is "keys"'),
    ({"event_hooks": [sqs_hook(event_types="message.new")]},
     "event_hooks[0].event_types must be an array of strings, got string"),
    ({"event_hooks": [sqs_hook(event_types=["message.new", 7])]},
     "event_hooks[0].event_types must be an array of strings, got array"),
    ({"event_hooks": [sqs_hook(event_types=["message.new", "message.neww"])]},
     "event_hooks[0].event_types[1] must be an event type Stream sends, got 'message.neww' "
     "(did you mean 'message.new'"),
    ({"event_hooks": [sqs_hook(enabled="yes")]},
     "event_hooks[0].enabled must be a boolean, got string"),
    ({"sqs_url": "foobar"}, "sqs_url must be a valid URL, got 'foobar'"),
    ({"sqs_url": 5}, "sqs_url must be a string, got integer"),
    ({"webhook_events": ["nope.event"]}, "webhook_events[0] must be an event type"),
    ({"enable_hook_payload_compression": "true"},
     "enable_hook_payload_compression must be a boolean, got string"),
    ({"enforce_unique_usernames": "foobar"},
     "enforce_unique_usernames must be one of [no app team], got 'foobar'"),
]


@pytest.mark.parametrize("body, detail", CASES, ids=[c[1][:50] for c in CASES])
def test_bad_patch_is_code_4_naming_the_field_and_changes_nothing(chat, body, detail):
    chat.update_app_settings(event_hooks=[sqs_hook()], sqs_url=QUEUE)
    before = chat.get_app_settings()["app"]
    with pytest.raises(StreamAPIException) as caught:
        chat.update_app_settings(**body, webhook_url="http://127.0.0.1:9/changed")
    error = caught.value
    assert error.status_code == 400
    assert error.error_code == 4
    assert error.error_message.startswith('UpdateApp failed with error: "')
    assert detail in error.error_message
    assert chat.get_app_settings()["app"] == before  # atomic: the good field did not land


@pytest.mark.parametrize("body", ['[1, 2]', '"text"', "3"])
def test_body_that_is_not_an_object_is_code_4(fresh, body):
    import requests

    from emulator.auth import server_token

    resp = requests.patch(fresh.base_url + "/app", params={"api_key": "emulator-key"},
                          data=body, timeout=10,
                          headers={"Authorization": server_token("emulator-secret-for-local-use-only"),
                                   "Stream-Auth-Type": "jwt"})
    assert resp.status_code == 400 and resp.json()["code"] == 4
    assert "request body must be a JSON object" in resp.json()["message"]


def test_at_most_two_pending_message_hooks(chat):
    pending = {"hook_type": "pending_message", "webhook_url": "https://p.example.com",
               "timeout_ms": 1000, "enabled": True}
    chat.update_app_settings(event_hooks=[pending, dict(pending)])
    with pytest.raises(StreamAPIException) as caught:
        chat.update_app_settings(event_hooks=[pending, dict(pending), dict(pending)])
    assert "at most 2 pending_message hooks" in caught.value.error_message
    assert len(hooks(chat)) == 2


def test_limits_on_hook_count_and_event_types_length(chat):
    with pytest.raises(StreamAPIException) as caught:
        chat.update_app_settings(event_hooks=[sqs_hook() for _ in range(101)])
    assert "at most 100 hooks, got 101" in caught.value.error_message
    with pytest.raises(StreamAPIException) as caught:
        chat.update_app_settings(event_hooks=[sqs_hook(event_types=["message.new"] * 78)])
    # the catalogue's size: v2's 77 types (v1's 64 and the 13 moderation types)
    assert "at most 77 event types, got 78" in caught.value.error_message
    assert hooks(chat) == []
