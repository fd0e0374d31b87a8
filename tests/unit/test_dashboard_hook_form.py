"""The dashboard's SQS hook form logic: masking, parsing, error mapping (no Flask)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from emulator.api.dashboard.hook_form import (
    MASK,
    HookForm,
    SecretDrafts,
    hooks_wire,
    keep_secret_for_rerender,
    mask,
    parse_form,
)
from emulator.app_settings import AppSettings

URL = "https://sqs.us-east-1.amazonaws.com/123456789012/q"
STORED = "stored-secret-abcd"


@pytest.mark.parametrize("secret, shown", [
    ("", ""), ("abc", MASK), ("12345678", MASK), ("123456789", MASK + "6789"),
    (STORED, MASK + "abcd"),
])
def test_mask_shows_at_most_the_last_four(secret, shown):
    assert mask(secret) == shown


@pytest.fixture
def hook():
    app = AppSettings().patched({"event_hooks": [{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": URL, "sqs_region": "us-east-1",
        "sqs_key": "AKIA", "sqs_secret": STORED, "event_types": ["message.new"]}]})
    return app.event_hooks[0]


def form(**fields) -> MultiDict:
    base = {"sqs_queue_url": URL, "sqs_region": "us-east-1", "sqs_auth_type": "keys",
            "sqs_key": "AKIA", "sqs_secret": "typed", "enabled": "on"}
    base.update(fields)
    return MultiDict([*base.items(), ("event_types", "message.new"), ("event_types", "*")])


def test_parse_reads_fields_checkbox_and_event_types():
    parsed = parse_form(form(enabled=None, sqs_queue_url=f"  {URL} "), None, SecretDrafts())
    assert parsed.values["sqs_queue_url"] == URL
    assert parsed.values["enabled"] is False
    assert parsed.values["event_types"] == ["message.new", "*"]


def test_untouched_mask_keeps_the_stored_secret_and_a_new_one_replaces_it(hook):
    drafts = SecretDrafts()
    assert parse_form(form(sqs_secret=mask(STORED)), hook, drafts).values["sqs_secret"] == STORED
    assert parse_form(form(sqs_secret="new-one"), hook, drafts).values["sqs_secret"] == "new-one"


def test_a_draft_secret_comes_back_only_with_its_mask():
    drafts = SecretDrafts()
    typed = parse_form(form(sqs_secret="a-typed-secret-9876"), None, drafts)
    keep_secret_for_rerender(typed, None, drafts)
    assert typed.draft and drafts.get(typed.draft) == "a-typed-secret-9876"
    again = form(sqs_secret=mask("a-typed-secret-9876"), secret_draft=typed.draft)
    assert parse_form(again, None, drafts).values["sqs_secret"] == "a-typed-secret-9876"
    edited = form(sqs_secret="changed", secret_draft=typed.draft)
    assert parse_form(edited, None, drafts).values["sqs_secret"] == "changed"


def test_stored_secret_needs_no_draft(hook):
    parsed = HookForm.from_hook(hook)
    keep_secret_for_rerender(parsed, hook, SecretDrafts())
    assert parsed.draft == "" and parsed.secret_shown == mask(STORED)


def test_drafts_are_bounded():
    drafts = SecretDrafts(capacity=2)
    first = drafts.put("one")
    drafts.put("two")
    drafts.put("three")
    assert drafts.get(first) is None


@pytest.mark.parametrize("detail, index, field, general", [
    ("event_hooks[2].sqs_queue_url must be a valid URL, got 'x'", 2, "sqs_queue_url", ""),
    ("event_hooks[0].event_types[1] must be an event type Stream sends, got 'x'", 0,
     "event_types", ""),
    ("event_hooks[1].sqs_region is required for a sqs hook", 0, None, "event_hooks[1]"),
    ("event_hooks[0].hook_type must be one of [...]", 0, None, "event_hooks[0].hook_type"),
    ("at most 2 pending_message hooks are allowed, got 3", 0, None, "at most 2"),
])
def test_patch_errors_land_on_the_field_they_name(detail, index, field, general):
    parsed = HookForm()
    parsed.apply_error(detail, index)
    assert parsed.errors == ({field: detail} if field else {})
    assert parsed.general_error.startswith(general)


def test_hook_body_keeps_fields_the_form_does_not_edit(hook):
    app = AppSettings().patched({"event_hooks": [
        dict(hooks_wire(AppSettings(event_hooks=(hook,)))[0], should_send_custom_events=True)]})
    stored = app.event_hooks[0]
    body = parse_form(form(sqs_secret=mask(STORED)), stored, SecretDrafts()).hook_body(stored)
    assert body["id"] == stored.id and body["should_send_custom_events"] is True
    assert "created_at" not in body and body["sqs_secret"] == STORED
