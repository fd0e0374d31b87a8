"""The dashboard's SNS integration: Add Integration → SNS form, Test SNS, edit, list."""

from __future__ import annotations

import json
import re

import pytest

from emulator.api import create_app
from emulator.api.dashboard.hook_form import mask
from emulator.delivery.policy_examples import load_policy
from tests.helpers import make_iam_user

from .test_dashboard import SECRET, Dashboard

NEW = "/dashboard/hooks/new?type=sns"


@pytest.fixture
def dash(fresh) -> Dashboard:
    board = Dashboard(create_app(fresh.backend).test_client(), fresh.settings)
    assert board.sign_in().status_code == 302
    return board


def sns_fields(arn: str, **overrides) -> dict:
    fields = {"sns_topic_arn": arn, "sns_region": "us-east-1", "sns_auth_type": "keys",
              "sns_key": "AKIADASHSNS", "sns_secret": SECRET, "enabled": "on", "action": "save"}
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def topic(fresh, name: str = "dash-topic") -> str:
    return fresh.engine.client("sns").create_topic(Name=name)["TopicArn"]


def test_hooks_page_offers_sns_and_the_form_has_its_fields(dash):
    page = dash.get("/dashboard/hooks").text
    assert 'href="/dashboard/hooks/new?type=sns"' in page and 'id="add-sns"' in page
    form = dash.get("/dashboard/hooks/new", type="sns").text
    for name in ("sns_topic_arn", "sns_region", "sns_key", "sns_secret"):
        assert f'name="{name}"' in form
    assert 'name="sns_auth_type" value="resource"' in form and 'id="test-sns"' in form
    assert "sqs_queue_url" not in form


def test_add_sns_integration_saves_through_patch_app(dash, fresh):
    arn = topic(fresh)
    response = dash.post(NEW, data=[("event_types", "message.new")], **sns_fields(arn))
    assert response.status_code == 302
    [hook] = fresh.backend.app.event_hooks
    assert hook.hook_type == "sns" and hook.enabled and hook.event_types == ("message.new",)
    assert (hook.get("sns_topic_arn"), hook.get("sns_secret")) == (arn, SECRET)
    assert "Test SNS" in dash.get("/dashboard/hooks").text


def test_missing_key_error_is_shown_next_to_the_sns_key_field(dash, fresh):
    response = dash.post(NEW, **sns_fields(topic(fresh), sns_key=""))
    assert response.status_code == 400
    error = re.search(r'id="sns_key-error"[^>]*>([^<]+)<', response.text).group(1)
    assert error.replace("&#34;", '"') == \
        'event_hooks[0].sns_key is required when sns_auth_type is "keys"'
    assert fresh.backend.app.event_hooks == ()


def test_test_sns_on_the_form_ok_and_error_save_nothing(dash, fresh):
    arn = topic(fresh)
    key, secret = make_iam_user(fresh.engine.client("iam"), "dash-sns",
                                load_policy("identity-allow-publish", arn))
    ok = dash.post(NEW, **sns_fields(arn, sns_key=key, sns_secret=secret, action="test"))
    assert ok.status_code == 200
    assert "Test SNS: ok — a test message was published to the topic." in ok.text
    missing = arn.replace("dash-topic", "no-such-topic")
    failed = dash.post(NEW, **sns_fields(missing, action="test"))
    assert "Test SNS failed: publishing the message failed." in failed.text
    assert "topic no-such-topic does not exist" in failed.text
    assert fresh.backend.app.event_hooks == ()


def test_test_sns_with_resource_auth_checks_the_topic_policy(dash, fresh):
    arn = topic(fresh)
    fields = sns_fields(arn, sns_auth_type="resource", sns_key="", sns_secret="", action="test")
    assert "185583345998" in dash.post(NEW, **fields).text  # moto's default policy: not Stream
    policy = json.dumps(load_policy("topic-allow-stream", arn))
    fresh.engine.client("sns").set_topic_attributes(
        TopicArn=arn, AttributeName="Policy", AttributeValue=policy)
    assert "Test SNS: ok" in dash.post(NEW, **fields).text


def test_role_auth_from_the_form_tests_saves_and_edits_the_role(dash, fresh):
    arn = topic(fresh, "dash-role-topic")
    iam = fresh.engine.client("iam")
    trust = json.dumps(load_policy("role-trust-stream", arn))
    role = iam.create_role(RoleName="dash-sns-role", AssumeRolePolicyDocument=trust)["Role"]
    form = dash.get("/dashboard/hooks/new", type="sns").text
    assert 'id="auth-role"' in form and 'name="sns_role_arn"' in form
    fields = sns_fields(arn, sns_auth_type="role", sns_key="", sns_secret="",
                        sns_role_arn=role["Arn"], action="test")
    refused = dash.post(NEW, **fields).text  # the role may not publish yet
    assert "Test SNS failed: publishing the message failed. AuthorizationError:" in refused
    assert "has no policy allowing sns:Publish on " + arn in refused
    iam.put_role_policy(RoleName="dash-sns-role", PolicyName="publish",
                        PolicyDocument=json.dumps(load_policy("identity-allow-publish", arn)))
    assert "Test SNS: ok" in dash.post(NEW, **fields).text
    assert dash.post(NEW, **{**fields, "action": "save"}).status_code == 302
    [hook] = fresh.backend.app.event_hooks
    assert (hook.get("sns_auth_type"), hook.get("sns_role_arn")) == ("role", role["Arn"])
    edit = dash.get(f"/dashboard/hooks/{hook.id}/edit").text
    assert f'value="{role["Arn"]}"' in edit and re.search(r'id="auth-role"[^>]*checked', edit)
    missing = dash.post(f"/dashboard/hooks/{hook.id}/edit", **{**fields, "action": "save",
                                                               "sns_role_arn": ""})
    assert missing.status_code == 400 and 'id="sns_role_arn-error"' in missing.text
    assert fresh.backend.app.event_hooks[0].get("sns_role_arn") == role["Arn"]  # kept


def test_test_sns_on_a_listed_hook_and_edit_keeps_the_masked_secret(dash, fresh):
    arn = topic(fresh)
    dash.post(NEW, **sns_fields(arn))
    [hook] = fresh.backend.app.event_hooks
    assert dash.post(f"/dashboard/hooks/{hook.id}/test").status_code == 302
    assert "Test SNS: ok" in dash.get("/dashboard/hooks").text  # unknown key: lenient mode
    edit = dash.get(f"/dashboard/hooks/{hook.id}/edit").text
    assert "Edit SNS integration" in edit and SECRET not in edit and mask(SECRET) in edit
    response = dash.post(f"/dashboard/hooks/{hook.id}/edit",
                         **sns_fields(arn, sns_secret=mask(SECRET), sns_region="us-east-1"))
    assert response.status_code == 302
    [saved] = fresh.backend.app.event_hooks
    assert saved.id == hook.id and saved.get("sns_secret") == SECRET


def test_unknown_integration_type_goes_back_to_the_list(dash):
    response = dash.get("/dashboard/hooks/new", type="ftp")
    assert response.status_code == 302 and response.location.endswith("/dashboard/hooks")
