"""GET/PATCH /app through both official SDKs, pointed at the emulator by base URL only."""

from __future__ import annotations

import re
import time

import pytest
from getstream import Stream
from getstream.models import EventHook

from emulator.cli.client import ControlClient

QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/my-queue"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def sqs_hook(**extra):
    return {"hook_type": "sqs", "enabled": True, "sqs_queue_url": QUEUE,
            "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": "some key",
            "sqs_secret": "some secret", **extra}


@pytest.fixture
def stream(fresh) -> Stream:
    s = fresh.settings
    return Stream(api_key=s.api_key, api_secret=s.api_secret, base_url=fresh.base_url)


def hooks(chat):
    return chat.get_app_settings()["app"]["event_hooks"]


def test_get_app_has_required_fields_and_hook_fields(chat):
    response = chat.get_app_settings()
    app = response["app"]
    assert response["duration"].endswith("ms")
    for name in ("event_hooks", "sqs_url", "sqs_key", "sqs_secret", "sns_topic_arn", "sns_key",
                 "sns_secret", "webhook_url", "webhook_events", "use_hook_v2", "id", "name",
                 "organization", "placement", "push_notifications", "channel_configs",
                 "suspended", "enforce_unique_usernames", "file_upload_config", "grants"):
        assert name in app, name
    assert app["event_hooks"] == [] and app["enable_hook_payload_compression"] is False


def test_stream_chat_sdk_configures_an_sqs_hook_and_reads_it_back(chat):
    chat.update_app_settings(event_hooks=[sqs_hook(event_types=["message.new"])])
    [hook] = hooks(chat)
    assert hook["hook_type"] == "sqs" and hook["enabled"] is True
    assert hook["sqs_queue_url"] == QUEUE and hook["sqs_region"] == "us-east-1"
    assert hook["sqs_key"] == "some key" and hook["sqs_secret"] == "some secret"
    assert hook["event_types"] == ["message.new"]
    assert re.fullmatch(r"[0-9a-f-]{36}", hook["id"])
    assert RFC3339.match(hook["created_at"]) and RFC3339.match(hook["updated_at"])


def test_event_hooks_replace_the_set_empty_clears_omitting_keeps(chat):
    chat.update_app_settings(event_hooks=[sqs_hook(), sqs_hook(event_types=["user.banned"])])
    assert len(hooks(chat)) == 2
    chat.update_app_settings(enable_hook_payload_compression=True)  # no event_hooks key
    assert len(hooks(chat)) == 2
    first = hooks(chat)[0]
    chat.update_app_settings(event_hooks=[first])  # the other one is deleted
    assert [h["id"] for h in hooks(chat)] == [first["id"]]
    chat.update_app_settings(event_hooks=[])
    assert hooks(chat) == []


def test_hook_with_known_id_keeps_created_at_and_gets_new_updated_at(chat):
    chat.update_app_settings(event_hooks=[sqs_hook()])
    before = hooks(chat)[0]
    time.sleep(0.01)
    chat.update_app_settings(event_hooks=[dict(before, event_types=["message.new"])])
    after = hooks(chat)[0]
    assert after["id"] == before["id"]
    assert after["created_at"] == before["created_at"]
    assert after["updated_at"] > before["updated_at"]
    assert after["event_types"] == ["message.new"]


def test_hook_without_id_or_with_empty_id_gets_a_new_uuid(chat):
    chat.update_app_settings(event_hooks=[sqs_hook(id=""), sqs_hook()])
    ids = [h["id"] for h in hooks(chat)]
    assert len(set(ids)) == 2 and all(len(i) == 36 for i in ids)


def test_go_sdk_style_body_with_nulls_zero_times_and_read_only_fields_is_tolerated(chat):
    chat.update_app_settings(
        name="renamed?", organization=None, suspended=False, suspended_explanation="",
        channel_configs=None, policies=None, push_notifications=None,
        revoke_tokens_issued_before=None,
        event_hooks=[sqs_hook(id="", event_types=None, created_at="0001-01-01T00:00:00Z",
                              updated_at="0001-01-01T00:00:00Z")],
    )
    app = chat.get_app_settings()["app"]
    assert app["name"] == "stream-sqs-emulator"  # read-only: ignored
    [hook] = app["event_hooks"]
    assert hook["event_types"] == [] and not hook["created_at"].startswith("0001")


def test_legacy_top_level_fields_are_stored_and_returned(chat):
    chat.update_app_settings(sqs_url=QUEUE, sqs_key="abc", sqs_secret="xyz",
                             webhook_url="http://127.0.0.1:9/stream",
                             webhook_events=["message.new", "user.banned"])
    app = chat.get_app_settings()["app"]
    assert (app["sqs_url"], app["sqs_key"], app["sqs_secret"]) == (QUEUE, "abc", "xyz")
    assert app["webhook_url"] == "http://127.0.0.1:9/stream"
    assert app["webhook_events"] == ["message.new", "user.banned"]


def test_hook_without_enabled_is_stored_disabled(chat):
    hook = sqs_hook()
    del hook["enabled"]
    chat.update_app_settings(event_hooks=[hook])
    assert hooks(chat)[0]["enabled"] is False


def test_getstream_sdk_configures_and_reads_hooks_on_v2_paths(stream):
    stream.update_app(event_hooks=[EventHook(
        hook_type="sqs", enabled=True, sqs_queue_url=QUEUE, sqs_region="us-east-1",
        sqs_auth_type="resource", event_types=["message.new", "reaction.new"])])
    app = stream.get_app().data.app
    [hook] = app.event_hooks
    assert hook.hook_type == "sqs" and hook.sqs_auth_type == "resource"
    assert hook.event_types == ["message.new", "reaction.new"]
    assert hook.created_at is not None and hook.created_at.year >= 2025  # decoded from ns


def test_v2_path_sends_integer_unix_nanosecond_timestamps(fresh, chat):
    chat.update_app_settings(event_hooks=[sqs_hook()])
    raw = ControlClient.for_settings(fresh.base_url, fresh.settings).get("/api/v2/app")
    created = raw["app"]["event_hooks"][0]["created_at"]
    assert isinstance(created, int) and created > 1_700_000_000 * 10**9
    v1 = chat.get_app_settings()["app"]["event_hooks"][0]["created_at"]
    assert RFC3339.match(v1)


def test_getstream_round_trip_of_hooks_read_from_get(stream):
    stream.update_app(event_hooks=[EventHook(hook_type="sqs", enabled=True, sqs_queue_url=QUEUE,
                                             sqs_region="us-east-1", sqs_auth_type="keys",
                                             sqs_key="k", sqs_secret="s")])
    read = stream.get_app().data.app.event_hooks
    stream.update_app(event_hooks=read)  # re-sends created_at as RFC 3339 strings
    again = stream.get_app().data.app.event_hooks
    assert [h.id for h in again] == [h.id for h in read]
    assert again[0].created_at == read[0].created_at


# AppResponseFields' required list (reference/stream-api.md §1.1): always written by Stream.
REQUIRED_APP_FIELDS = """id name organization placement push_notifications webhook_url
moderation_webhook_url channel_configs call_types policies suspended suspended_explanation
disable_auth_checks disable_permissions_checks permission_version user_search_disallowed_roles
multi_tenant_enabled allow_multi_user_devices image_moderation_enabled async_url_enrich_enabled
auto_translation_enabled custom_action_handler_url enforce_unique_usernames sqs_url sqs_key
sqs_secret sns_topic_arn sns_key sns_secret file_upload_config image_upload_config grants
campaign_enabled webhook_events reminders_interval cdn_expiration_seconds moderation_enabled
moderation_multitenant_blocklist_enabled guest_user_creation_disabled event_hooks use_hook_v2
user_response_time_enabled moderation_llm_configurability_enabled
max_aggregated_activities_length feed_audit_logs_enabled
moderation_video_call_moderation_enabled moderation_audio_call_moderation_enabled
member_custom_on_messages_enabled""".split()


def test_every_required_app_response_field_is_present_on_both_paths(fresh, chat):
    v1 = chat.get_app_settings()["app"]
    v2 = ControlClient.for_settings(fresh.base_url, fresh.settings).get("/api/v2/app")["app"]
    for app in (v1, v2):
        assert [name for name in REQUIRED_APP_FIELDS if name not in app] == []
