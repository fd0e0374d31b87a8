"""The dashboard's SNS and Webhook integrations in a real browser against the real server:
the forms are filled and submitted as a user would, and what they stored is read back through
Stream's API (GET /app, with the official SDK), never from the backend's insides."""

from __future__ import annotations

import json

import pytest
from stream_chat import StreamChat

from emulator.webhook_receiver import WebhookReceiver
from tests.helpers import make_iam_user

expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is missing"
).expect

SECRET = "browserSnsSecret-0123456789-ABCD"


@pytest.fixture
def chat(fresh) -> StreamChat:
    s = fresh.settings
    return StreamChat(api_key=s.api_key, api_secret=s.api_secret, base_url=fresh.base_url)


def stored_hooks(chat: StreamChat) -> list[dict]:
    return chat.get_app_settings()["app"]["event_hooks"]


@pytest.fixture
def topic(fresh):
    """A topic with a queue subscribed (raw delivery), so a test can see what was published."""
    sns = fresh.engine.client("sns")
    arn = sns.create_topic(Name="browser-topic")["TopicArn"]
    queue = fresh.engine.create_queue("browser-topic-copy", dlq=False)
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue["arn"],
                  Attributes={"RawMessageDelivery": "true"})
    return {"arn": arn, "queue_url": queue["url"]}


def published(fresh, queue_url: str) -> list[dict]:
    messages = fresh.engine.client("sqs").receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def fill_sns(page, arn: str, key: str, secret: str) -> None:
    page.goto("/dashboard/hooks")
    page.click("#add-sns")
    expect(page.locator("h1")).to_have_text("Add SNS integration")
    page.fill("#sns_topic_arn", arn)
    page.fill("#sns_region", "us-east-1")
    page.check("#auth-keys")
    page.fill("#sns_key", key)
    page.fill("#sns_secret", secret)
    page.check("input[name=event_types][value='message.new']")


def test_add_sns_integration_test_sns_and_save(signed_in, fresh, chat, topic):
    page = signed_in
    key, _ = make_iam_user(fresh.engine.client("iam"), "browser-sns", {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sns:Publish", "Resource": topic["arn"]}]})
    fill_sns(page, topic["arn"], key, SECRET)
    page.click("#test-sns")
    expect(page.locator("#check-result")).to_have_text(
        "Test SNS: ok — a test message was published to the topic.")
    assert [b["type"] for b in published(fresh, topic["queue_url"])] == ["check_sns"]
    assert stored_hooks(chat) == []  # testing saves nothing
    page.click("#save")  # the secret typed before Test SNS survived the round trip, masked
    row = page.locator("#hooks tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".tag")).to_have_text("sns")
    expect(row).to_contain_text(topic["arn"])
    [hook] = stored_hooks(chat)
    assert (hook["hook_type"], hook["enabled"], hook["event_types"]) == ("sns", True,
                                                                         ["message.new"])
    assert (hook["sns_topic_arn"], hook["sns_region"], hook["sns_auth_type"]) == (
        topic["arn"], "us-east-1", "keys")
    assert (hook["sns_key"], hook["sns_secret"]) == (key, SECRET)


def test_test_sns_failure_is_shown_and_nothing_is_stored(signed_in, fresh, chat):
    page = signed_in
    missing = "arn:aws:sns:us-east-1:123456789012:no-such-topic"
    fill_sns(page, missing, "AKIABROWSER", SECRET)
    page.click("#test-sns")
    result = page.locator("#check-result")
    expect(result).to_contain_text("Test SNS failed:")
    expect(result).to_contain_text("publishing the message failed.")
    expect(page.locator("#sns_topic_arn")).to_have_value(missing)  # the form is kept
    assert stored_hooks(chat) == []


def test_add_webhook_integration_and_a_triggered_event_reaches_it(signed_in, fresh, chat):
    page = signed_in
    with WebhookReceiver(fresh.settings.api_secret) as receiver:
        page.goto("/dashboard/hooks")
        page.click("#add-webhook")
        expect(page.locator("h1")).to_have_text("Add webhook integration")
        page.fill("#webhook_url", receiver.url)
        page.check("input[name=event_types][value='message.new']")
        page.click("#save")
        row = page.locator("#hooks tbody tr")
        expect(row).to_have_count(1)
        expect(row.locator(".tag")).to_have_text("webhook")
        expect(row).to_contain_text(receiver.url)
        [hook] = stored_hooks(chat)
        assert (hook["hook_type"], hook["webhook_url"], hook["event_types"], hook["enabled"]) \
            == ("webhook", receiver.url, ["message.new"], True)

        page.goto("/dashboard/deliveries")
        page.select_option("#trigger-type", "message.new")
        page.click("#trigger")
        delivered = page.locator("#deliveries tbody tr[data-status='delivered']")
        expect(delivered).to_have_count(1)
        expect(delivered).to_contain_text("webhook")
        assert [e["type"] for e in receiver.events] == ["message.new"]  # signed, counted


def test_the_hook_list_shows_every_hook_type_with_its_own_edit_form(signed_in, fresh, chat,
                                                                     topic):
    page = signed_in
    queue = fresh.engine.create_queue("browser-list", dlq=False)
    chat.update_app_settings(event_hooks=[
        {"hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
         "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": "AKIALIST",
         "sqs_secret": SECRET},
        {"hook_type": "sns", "enabled": False, "sns_topic_arn": topic["arn"],
         "sns_region": "us-east-1", "sns_auth_type": "resource"},
        {"hook_type": "webhook", "enabled": True, "webhook_url": "http://127.0.0.1:9/hook",
         "event_types": ["reaction.new"]},
    ])
    page.goto("/dashboard/hooks")
    rows = page.locator("#hooks tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator(".tag")).to_have_text(["sqs", "sns", "webhook"])
    expect(rows.nth(0)).to_contain_text(queue["url"])
    expect(rows.nth(1)).to_contain_text(topic["arn"])
    expect(rows.nth(1)).to_contain_text("disabled")
    expect(rows.nth(2)).to_contain_text("http://127.0.0.1:9/hook")
    expect(rows.nth(2)).to_contain_text("reaction.new")
    expect(rows.nth(0).locator("button", has_text="Test SQS")).to_have_count(1)
    expect(rows.nth(1).locator("button", has_text="Test SNS")).to_have_count(1)
    rows.nth(2).locator("a", has_text="Edit").click()
    expect(page.locator("h1")).to_have_text("Edit webhook integration")
    expect(page.locator("#webhook_url")).to_have_value("http://127.0.0.1:9/hook")
    page.go_back()
    page.locator("#hooks tbody tr").nth(1).locator("a", has_text="Edit").click()
    expect(page.locator("h1")).to_have_text("Edit SNS integration")
    expect(page.locator("#sns_topic_arn")).to_have_value(topic["arn"])
    expect(page.locator("#auth-resource")).to_be_checked()


@pytest.mark.parametrize("url, words", [
    ("ftp://127.0.0.1/hook", "event_hooks[1].webhook_url must be a valid URL, got "
                             "'ftp://127.0.0.1/hook'"),
    ("http://example.com/hook", "event_hooks[1].webhook_url must point at a loopback host"),
])
def test_a_refused_webhook_url_is_shown_in_the_page_and_stored_hooks_are_kept(
        signed_in, fresh, chat, url, words):
    page = signed_in
    queue = fresh.engine.create_queue("browser-kept", dlq=False)
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": "AKIAKEPT",
        "sqs_secret": SECRET}])
    before = stored_hooks(chat)
    page.goto("/dashboard/hooks")
    page.click("#add-webhook")
    page.fill("#webhook_url", url)
    page.click("#save")
    error = page.locator("#webhook_url-error")
    expect(error).to_contain_text(words)
    expect(page.locator(".field", has=page.locator("#webhook_url"))).to_have_class(
        "field invalid")
    expect(page.locator("#webhook_url")).to_have_value(url)  # what was typed is kept
    assert stored_hooks(chat) == before  # the stored SQS hook, unchanged, and nothing added
    page.goto("/dashboard/hooks")
    expect(page.locator("#hooks tbody tr")).to_have_count(1)


def test_an_sns_hook_without_its_key_is_refused_in_the_page_and_stored_hooks_are_kept(
        signed_in, fresh, chat, topic):
    page = signed_in
    chat.update_app_settings(event_hooks=[{
        "hook_type": "webhook", "enabled": True, "webhook_url": "http://127.0.0.1:9/kept"}])
    before = stored_hooks(chat)
    fill_sns(page, topic["arn"], "", SECRET)
    page.click("#save")
    expect(page.locator("#sns_key-error")).to_have_text(
        'event_hooks[1].sns_key is required when sns_auth_type is "keys"')
    expect(page.locator("#sns_topic_arn")).to_have_value(topic["arn"])
    assert stored_hooks(chat) == before
