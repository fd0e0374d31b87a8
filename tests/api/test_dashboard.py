"""The dashboard's views through Flask's test client (no browser): sign-in, CSRF, hook forms
through the PATCH /app code path, Test SQS, masking, deliveries and trigger."""

from __future__ import annotations

import json
import re

import pytest
from werkzeug.datastructures import MultiDict

from emulator.api import create_app
from emulator.api.dashboard.hook_form import mask
from emulator.delivery.policy_examples import load_policy

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYzEXAMPLE"  # long enough to show its last 4
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Dashboard:
    """A signed-in browser stand-in: keeps the cookie, adds the CSRF token to POSTs."""

    def __init__(self, client, settings):
        self.client = client
        self.settings = settings
        self.token = ""

    def sign_in(self, key: str | None = None, secret: str | None = None):
        self.token = _TOKEN.search(self.client.get("/dashboard/login").text).group(1)
        response = self.post("/dashboard/login", api_key=key or self.settings.api_key,
                             api_secret=secret or self.settings.api_secret)
        if response.status_code == 302:  # a new session: a new CSRF token
            self.token = _TOKEN.search(self.client.get("/dashboard/hooks").text).group(1)
        return response

    def get(self, path: str, **query):
        return self.client.get(path, query_string=query)

    def post(self, path: str, data: list | None = None, **fields):
        items = [("csrf_token", self.token), *fields.items(), *(data or [])]
        return self.client.post(path, data=MultiDict(items))


@pytest.fixture
def dash(fresh) -> Dashboard:
    client = create_app(fresh.backend).test_client()  # same backend, own Flask app
    board = Dashboard(client, fresh.settings)
    assert board.sign_in().status_code == 302
    return board


@pytest.fixture
def queue(fresh):
    return fresh.engine.create_queue("dash-q", dlq=False)


def hook_fields(url: str, **overrides) -> dict:
    fields = {"sqs_queue_url": url, "sqs_region": "us-east-1", "sqs_auth_type": "keys",
              "sqs_key": "AKIADASHBOARD", "sqs_secret": SECRET, "enabled": "on",
              "action": "save"}
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def add_hook(dash: Dashboard, url: str, event_types=(), **overrides):
    return dash.post("/dashboard/hooks/new", data=[("event_types", t) for t in event_types],
                     **hook_fields(url, **overrides))


def wire(hook) -> dict:
    """A hook as GET /app shows it, less the time of its last save."""
    return {k: v for k, v in hook.to_wire("v1").items() if k != "updated_at"}


# -- sign-in and CSRF ----------------------------------------------------------------------
def test_pages_need_sign_in_and_come_back_after_it(fresh):
    client = create_app(fresh.backend).test_client()
    response = client.get("/dashboard/deliveries")
    assert response.status_code == 302
    assert response.location.endswith("/dashboard/login?next=/dashboard/deliveries")


def test_wrong_credentials_are_refused(fresh):
    board = Dashboard(create_app(fresh.backend).test_client(), fresh.settings)
    response = board.sign_in(secret="not-the-secret")
    assert response.status_code == 401 and "Wrong API key or secret" in response.text
    assert board.get("/dashboard/hooks").status_code == 302  # still signed out


def test_session_cookie_is_httponly_and_samesite_lax(fresh):
    board = Dashboard(create_app(fresh.backend).test_client(), fresh.settings)
    cookie = board.sign_in().headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_next_may_only_lead_to_dashboard_pages(fresh):
    board = Dashboard(create_app(fresh.backend).test_client(), fresh.settings)
    board.token = _TOKEN.search(board.client.get("/dashboard/login").text).group(1)
    response = board.post("/dashboard/login", api_key=fresh.settings.api_key,
                          api_secret=fresh.settings.api_secret, next="//evil.example/x")
    assert response.location == "/dashboard/"


def test_post_without_csrf_token_is_rejected_and_changes_nothing(dash, fresh, queue):
    dash.token = ""
    response = add_hook(dash, queue["url"])
    assert response.status_code == 400
    assert "The form was rejected" in response.text and "CSRF token is missing" in response.text
    assert fresh.backend.app.event_hooks == ()


def test_json_api_needs_no_csrf_token(chat, fresh):
    chat.update_app_settings(enable_hook_payload_compression=True)
    assert fresh.backend.app.compress_payloads


def test_sign_out_ends_the_session(dash):
    assert dash.post("/dashboard/logout").status_code == 302
    assert dash.get("/dashboard/").status_code == 302


# -- hooks ---------------------------------------------------------------------------------
def test_add_integration_saves_through_patch_app(dash, fresh, queue):
    response = add_hook(dash, queue["url"], event_types=["message.new", "reaction.new"])
    assert response.status_code == 302
    [hook] = fresh.backend.app.event_hooks
    assert hook.hook_type == "sqs" and hook.enabled
    assert hook.get("sqs_queue_url") == queue["url"] and hook.get("sqs_secret") == SECRET
    assert hook.event_types == ("message.new", "reaction.new")


def test_bad_queue_url_error_is_shown_next_to_the_field(dash, fresh):
    response = add_hook(dash, "foo")
    assert response.status_code == 400
    error = re.search(r'id="sqs_queue_url-error"[^>]*>([^<]+)<', response.text).group(1)
    assert error == "event_hooks[0].sqs_queue_url must be a valid URL, got &#39;foo&#39;"
    assert fresh.backend.app.event_hooks == ()


def test_missing_key_error_names_the_key_field(dash, queue):
    response = add_hook(dash, queue["url"], sqs_key="")
    assert 'id="sqs_key-error"' in response.text
    assert 'sqs_key is required when sqs_auth_type is "keys"' in response.text.replace(
        "&#34;", '"')


def test_an_sqs_role_hook_from_the_form_delivers_what_the_role_allows(dash, fresh, queue):
    iam = fresh.engine.client("iam")
    trust = json.dumps(load_policy("role-trust-stream", queue["arn"]))
    role = iam.create_role(RoleName="dash-sqs-role", AssumeRolePolicyDocument=trust)["Role"]
    response = add_hook(dash, queue["url"], sqs_auth_type="role", sqs_key="", sqs_secret="",
                        sqs_role_arn=role["Arn"])
    assert response.status_code == 302
    [hook] = fresh.backend.app.event_hooks
    assert (hook.get("sqs_auth_type"), hook.get("sqs_role_arn")) == ("role", role["Arn"])
    dash.post("/dashboard/deliveries/trigger", event_type="message.new", count="1")
    assert fresh.backend.totals()["denied"] == 1  # the role has no permission policy yet
    iam.put_role_policy(RoleName="dash-sqs-role", PolicyName="send",
                        PolicyDocument=json.dumps(load_policy("identity-allow-send", queue["arn"])))
    dash.post("/dashboard/deliveries/trigger", event_type="message.new", count="1")
    assert fresh.backend.totals()["delivered"] == 1


def test_typed_secret_is_never_echoed_and_survives_a_rerender(dash, fresh, queue):
    first = add_hook(dash, "foo")
    assert SECRET not in first.text and mask(SECRET) in first.text
    draft = re.search(r'name="secret_draft" value="([^"]+)"', first.text).group(1)
    response = add_hook(dash, queue["url"], sqs_secret=mask(SECRET), secret_draft=draft)
    assert response.status_code == 302
    assert fresh.backend.app.event_hooks[0].get("sqs_secret") == SECRET


def test_edit_keeps_an_untouched_masked_secret_and_other_hooks(dash, fresh, queue):
    fresh.backend.update_app({"event_hooks": [
        {"hook_type": "webhook", "webhook_url": "http://localhost:9/hook", "enabled": True},
        {"hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
         "sqs_region": "us-east-1", "sqs_key": "AKIAOLD", "sqs_secret": SECRET,
         "should_send_custom_events": True}]})
    webhook, sqs_hook = fresh.backend.app.event_hooks
    page = dash.get(f"/dashboard/hooks/{sqs_hook.id}/edit").text
    assert SECRET not in page and f'value="{mask(SECRET)}"' in page
    fields = hook_fields(queue["url"], sqs_key="AKIANEW", sqs_secret=mask(SECRET))
    response = dash.post(f"/dashboard/hooks/{sqs_hook.id}/edit", **fields)
    assert response.status_code == 302
    kept_webhook, edited = fresh.backend.app.event_hooks
    assert wire(kept_webhook) == wire(webhook)
    assert edited.id == sqs_hook.id
    assert edited.get("sqs_key") == "AKIANEW" and edited.get("sqs_secret") == SECRET
    assert edited.get("should_send_custom_events") is True  # not on the form: kept


def test_error_in_a_later_hook_is_mapped_by_its_index(dash, fresh, queue):
    fresh.backend.update_app({"event_hooks": [
        {"hook_type": "webhook", "webhook_url": "http://localhost:9/hook", "enabled": True}]})
    response = add_hook(dash, queue["url"], sqs_region="")
    assert 'id="sqs_region-error"' in response.text
    assert "event_hooks[1].sqs_region is required for a sqs hook" in response.text


def test_toggle_and_delete(dash, fresh, queue):
    add_hook(dash, queue["url"])
    hook_id = fresh.backend.app.event_hooks[0].id
    dash.post(f"/dashboard/hooks/{hook_id}/toggle")
    assert not fresh.backend.app.event_hooks[0].enabled
    dash.post(f"/dashboard/hooks/{hook_id}/toggle")
    assert fresh.backend.app.event_hooks[0].enabled
    dash.post(f"/dashboard/hooks/{hook_id}/delete")
    assert fresh.backend.app.event_hooks == ()


def test_secrets_are_masked_in_every_page(dash, fresh, queue):
    add_hook(dash, queue["url"])
    for path in ("/dashboard/", "/dashboard/hooks", "/dashboard/deliveries"):
        html = dash.get(path).text
        assert SECRET not in html and fresh.settings.api_secret not in html
    assert mask(SECRET) in dash.get("/dashboard/hooks").text


# -- Test SQS ------------------------------------------------------------------------------
def test_test_sqs_on_the_form_is_ok_for_a_real_queue_and_saves_nothing(dash, fresh, queue):
    response = add_hook(dash, queue["url"], action="test")
    assert response.status_code == 200 and "Test SQS: ok" in response.text
    assert fresh.backend.app.event_hooks == ()


def test_test_sqs_shows_the_check_error_text(dash, fresh):
    url = f"{fresh.engine.endpoint_url}/123456789012/no-such-queue"
    response = add_hook(dash, url, action="test")
    assert "Test SQS failed:" in response.text
    assert "queue no-such-queue does not exist" in response.text


def test_test_sqs_on_a_listed_hook(dash, fresh, queue):
    add_hook(dash, queue["url"])
    hook_id = fresh.backend.app.event_hooks[0].id
    response = dash.post(f"/dashboard/hooks/{hook_id}/test")
    assert response.status_code == 302
    assert "Test SQS: ok" in dash.get("/dashboard/hooks").text


# -- overview, deliveries, trigger ---------------------------------------------------------
def test_overview_shows_key_endpoint_and_saves_compression(dash, fresh):
    page = dash.get("/dashboard/").text
    assert fresh.settings.api_key in page and fresh.engine.endpoint_url in page
    dash.post("/dashboard/settings", enable_hook_payload_compression="on")
    assert fresh.backend.app.compress_payloads
    dash.post("/dashboard/settings")  # an unticked checkbox is simply not sent
    assert not fresh.backend.app.compress_payloads


def test_trigger_delivers_and_the_table_shows_it(dash, fresh, queue):
    add_hook(dash, queue["url"], event_types=["message.new"])
    dash.post("/dashboard/deliveries/trigger", event_type="message.new", count="2")
    assert fresh.backend.totals()["delivered"] == 2
    page = dash.get("/dashboard/deliveries").text
    assert page.count('data-status="delivered" data-event-type="message.new"') == 2
    assert "Triggered 2 × message.new: 2 delivered" in page


def test_v2_only_moderation_types_are_listed_and_triggered_as_v2(dash, fresh, queue):
    add_hook(dash, queue["url"])
    page = dash.get("/dashboard/deliveries").text
    assert '<option value="review_queue_item.new"' in page and "appeal.rejected" in page
    dash.post("/dashboard/deliveries/trigger", event_type="review_queue_item.new", count="1")
    assert "Triggered 1 × review_queue_item.new: 1 delivered" in dash.get(
        "/dashboard/deliveries").text
    [record] = fresh.backend.deliveries()
    assert record.event_type == "review_queue_item.new"


def test_deliveries_filters(dash, fresh, queue):
    add_hook(dash, queue["url"])
    fresh.backend.trigger("message.new")
    fresh.backend.trigger("reaction.new")
    page = dash.get("/dashboard/deliveries", type="reaction.new").text
    assert 'data-event-type="reaction.new"' in page and 'data-event-type="message.new"' not in page
    assert "No deliveries match these filters" in dash.get(
        "/dashboard/deliveries", status="denied").text


@pytest.mark.parametrize("fields, error", [
    ({"event_type": "message.nope", "count": "1"}, "event type must be one of the catalogue"),
    ({"event_type": "message.new", "count": "0"}, "count must be a whole number"),
])
def test_trigger_rejects_bad_input(dash, fresh, fields, error):
    dash.post("/dashboard/deliveries/trigger", **fields)
    assert error in dash.get("/dashboard/deliveries").text
    assert sum(fresh.backend.totals().values()) == 0


def test_unknown_dashboard_route_stays_a_json_404(dash):
    response = dash.get("/dashboard/no-such-page")
    assert response.status_code == 404 and response.json["code"] == 16


# -- webhook integrations ------------------------------------------------------------------
def test_add_webhook_integration_delivers_and_deliveries_show_its_type(dash, fresh):
    from emulator.webhook_receiver import WebhookReceiver

    assert 'id="add-webhook"' in dash.get("/dashboard/hooks").text
    with WebhookReceiver(fresh.settings.api_secret) as receiver:
        response = dash.post("/dashboard/hooks/new-webhook", webhook_url=receiver.url,
                             enabled="on", data=[("event_types", "message.new")])
        assert response.status_code == 302
        [hook] = fresh.backend.app.event_hooks
        assert hook.hook_type == "webhook" and hook.get("webhook_url") == receiver.url
        assert hook.event_types == ("message.new",)
        dash.post("/dashboard/deliveries/trigger", event_type="message.new", count="2")
        assert receiver.stats()["events"] == 2
    page = dash.get("/dashboard/deliveries", hook_id=hook.id).text
    assert page.count('data-status="delivered" data-event-type="message.new"') == 2
    assert "webhook <code>" in page
    edit = dash.get(f"/dashboard/hooks/{hook.id}/edit-webhook").text
    assert f'value="{receiver.url}"' in edit


def test_remote_webhook_url_error_is_shown_next_to_the_field(dash, fresh):
    response = dash.post("/dashboard/hooks/new-webhook", webhook_url="https://example.com/h",
                         enabled="on")
    assert response.status_code == 400
    error = re.search(r'id="webhook_url-error"[^>]*>([^<]+)<', response.text).group(1)
    assert "event_hooks[0].webhook_url must point at a loopback host" in error
    assert fresh.backend.app.event_hooks == ()


def test_edit_webhook_keeps_its_id_and_other_hooks(dash, fresh, queue):
    add_hook(dash, queue["url"])
    dash.post("/dashboard/hooks/new-webhook", webhook_url="http://127.0.0.1:9/a", enabled="on")
    sqs_hook, webhook = fresh.backend.app.event_hooks
    response = dash.post(f"/dashboard/hooks/{webhook.id}/edit-webhook",
                         webhook_url="http://127.0.0.1:9/b")
    assert response.status_code == 302
    kept, edited = fresh.backend.app.event_hooks
    assert wire(kept) == wire(sqs_hook) and edited.id == webhook.id
    assert edited.get("webhook_url") == "http://127.0.0.1:9/b" and not edited.enabled


def test_webhook_form_shows_an_event_types_error_next_to_the_field(dash, fresh):
    response = dash.post("/dashboard/hooks/new-webhook", webhook_url="http://127.0.0.1:9/h",
                         enabled="on", data=[("event_types", "message.nope")])
    assert response.status_code == 400
    assert 'id="event_types-error"' in response.text and "message.nope" in response.text
    assert fresh.backend.app.event_hooks == ()


def test_overview_shows_chat_channel_and_message_counts(dash, chat):
    chat.upsert_users([{"id": "dash-ann"}, {"id": "dash-bob"}])
    channel = chat.channel("messaging", "dash-room", {"members": ["dash-ann", "dash-bob"]})
    channel.create("dash-ann")
    channel.send_message({"text": "one"}, "dash-ann")
    channel.send_message({"text": "two"}, "dash-bob")
    page = dash.get("/dashboard/").text
    counts = re.search(r'id="chat-counts">(.*?)</dd>', page, re.S).group(1)
    assert " ".join(counts.split()) == "1 channels, 2 messages, 2 users"
