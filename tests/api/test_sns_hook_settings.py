"""SNS hooks in PATCH/GET /app through the SDKs: stored as sent, bad ones code 4 naming the field."""

from __future__ import annotations

import pytest
from stream_chat.base.exceptions import StreamAPIException

TOPIC = "arn:aws:sns:us-east-1:123456789012:sns-topic"


def sns_hook(**extra):
    hook = {"hook_type": "sns", "enabled": True, "sns_topic_arn": TOPIC,
            "sns_region": "us-east-1", "sns_auth_type": "keys", "sns_key": "yourkey",
            "sns_secret": "yoursecret", "event_types": []}
    hook.update(extra)
    return {k: v for k, v in hook.items() if v is not None}


def test_docs_example_hook_round_trips(chat):
    chat.update_app_settings(event_hooks=[sns_hook()])
    [hook] = chat.get_app_settings()["app"]["event_hooks"]
    assert hook["hook_type"] == "sns" and hook["sns_topic_arn"] == TOPIC
    assert (hook["sns_region"], hook["sns_auth_type"]) == ("us-east-1", "keys")
    assert (hook["sns_key"], hook["sns_secret"]) == ("yourkey", "yoursecret")


def test_resource_auth_needs_no_keys(chat):
    chat.update_app_settings(event_hooks=[sns_hook(sns_auth_type="resource", sns_key=None,
                                                   sns_secret=None)])
    [hook] = chat.get_app_settings()["app"]["event_hooks"]
    assert hook["sns_auth_type"] == "resource" and "sns_key" not in hook


CASES = [
    (sns_hook(sns_topic_arn=None), "event_hooks[0].sns_topic_arn is required for a sns hook"),
    (sns_hook(sns_region=""), "event_hooks[0].sns_region is required for a sns hook"),
    (sns_hook(sns_auth_type="iam"),
     "event_hooks[0].sns_auth_type must be one of [keys resource role], got 'iam'"),
    (sns_hook(sns_key=""), 'event_hooks[0].sns_key is required when sns_auth_type is "keys"'),
    (sns_hook(sns_secret=None),
     'event_hooks[0].sns_secret is required when sns_auth_type is "keys"'),
    (sns_hook(sns_topic_arn=7), "event_hooks[0].sns_topic_arn must be a string, got integer"),
    (sns_hook(sns_event_based_message_group_id_enabled="yes"),
     "event_hooks[0].sns_event_based_message_group_id_enabled must be a boolean, got string"),
]


@pytest.mark.parametrize("hook, detail", CASES, ids=[c[1][:60] for c in CASES])
def test_bad_sns_hook_is_code_4_naming_the_field_and_changes_nothing(chat, hook, detail):
    chat.update_app_settings(event_hooks=[sns_hook()])
    before = chat.get_app_settings()["app"]
    with pytest.raises(StreamAPIException) as caught:
        chat.update_app_settings(event_hooks=[hook])
    assert caught.value.status_code == 400 and caught.value.error_code == 4
    assert detail in caught.value.error_message
    assert chat.get_app_settings()["app"] == before
