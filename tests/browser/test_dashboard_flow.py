"""The dashboard in a real browser: Stream's "Add Integration → Test SQS" flow, offline."""

from __future__ import annotations

import json

import pytest

from tests.helpers import make_iam_user, send_policy

from .conftest import sign_in

expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is missing"
).expect

SECRET = "browserTestSecret-0123456789-WXYZ"


@pytest.fixture
def queue(fresh):
    return fresh.engine.create_queue("browser-events", dlq=False)


@pytest.fixture
def keys(fresh, queue):
    """An IAM user allowed to send to the queue: keys auth as a user would set it up."""
    key, _ = make_iam_user(fresh.engine.client("iam"), "dashboard", send_policy(queue["arn"]))
    return key


def fill_integration(page, url: str, key: str, secret: str) -> None:
    page.goto("/dashboard/hooks")
    page.click("#add-integration")
    page.fill("#sqs_queue_url", url)
    page.fill("#sqs_region", "us-east-1")
    page.check("#auth-keys")
    page.fill("#sqs_key", key)
    page.fill("#sqs_secret", secret)
    page.check("input[name=event_types][value='message.new']")


def test_add_integration_test_sqs_trigger_and_see_it_delivered(signed_in, fresh, queue, keys):
    page = signed_in
    fill_integration(page, queue["url"], keys, SECRET)
    page.click("#test-sqs")
    expect(page.locator("#check-result")).to_have_text(
        "Test SQS: ok — a test message was sent to the queue.")
    page.click("#save")  # the typed secret survived the Test SQS round trip, masked
    row = page.locator("#hooks tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(queue["url"])
    expect(row).to_contain_text("message.new")
    assert fresh.backend.app.event_hooks[0].get("sqs_secret") == SECRET

    page.goto("/dashboard/deliveries")
    page.select_option("#trigger-type", "message.new")
    page.click("#trigger")
    delivered = page.locator("#deliveries tbody tr[data-status='delivered']")
    expect(delivered).to_have_count(1)
    expect(delivered).to_contain_text("message.new")
    expect(page.locator("#totals [data-status='delivered']")).to_have_text("1")
    bodies = [json.loads(m["Body"]) for m in fresh.engine.client("sqs").receive_message(
        QueueUrl=queue["url"], MaxNumberOfMessages=10)["Messages"]]
    assert sorted(b["type"] for b in bodies) == ["check_sqs", "message.new"]


def test_bad_queue_url_error_is_shown_next_to_the_field(signed_in, fresh):
    page = signed_in
    fill_integration(page, "foo", "AKIAEXAMPLE", SECRET)
    page.click("#save")
    field = page.locator(".field", has=page.locator("#sqs_queue_url"))
    expect(field.locator(".field-error")).to_have_text(
        "event_hooks[0].sqs_queue_url must be a valid URL, got 'foo'")
    expect(page.locator("#sqs_queue_url")).to_have_value("foo")
    assert fresh.backend.app.event_hooks == ()


def test_wrong_credentials_are_refused(page, fresh):
    sign_in(page, fresh.settings.api_key, "wrong-secret")
    expect(page.locator("#login-error")).to_have_text("Wrong API key or secret.")
    page.goto("/dashboard/hooks")
    expect(page).to_have_url(f"{fresh.base_url}/dashboard/login?next=/dashboard/hooks")


def test_form_posted_without_the_csrf_token_is_rejected(signed_in, fresh, queue):
    page = signed_in
    fill_integration(page, queue["url"], "AKIAEXAMPLE", SECRET)
    page.eval_on_selector("form.hook-form input[name=csrf_token]", "input => input.remove()")
    page.click("#save")
    expect(page.locator("h1")).to_have_text("Something went wrong")
    expect(page.locator("main")).to_contain_text("The CSRF token is missing.")
    assert fresh.backend.app.event_hooks == ()


def test_secrets_are_masked_in_the_page_html(signed_in, fresh, queue):
    page = signed_in
    fill_integration(page, queue["url"], "AKIAEXAMPLE", SECRET)
    page.click("#save")
    expect(page.locator("#hooks")).to_contain_text("••••••••WXYZ")
    assert SECRET not in page.content()
    page.click("#hooks a:has-text('Edit')")
    expect(page.locator("#sqs_secret")).to_have_value("••••••••WXYZ")
    assert SECRET not in page.content()
    page.goto("/dashboard/")
    assert fresh.settings.api_secret not in page.content()

