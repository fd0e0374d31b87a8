"""POST /check_sqs through both SDKs against real moto queues and IAM users."""

from __future__ import annotations

import json

import pytest
from getstream import Stream

from tests.helpers import make_iam_user, send_policy


@pytest.fixture
def queue(fresh):
    return fresh.engine.create_queue("checked", dlq=False)


@pytest.fixture
def stream(fresh) -> Stream:
    s = fresh.settings
    return Stream(api_key=s.api_key, api_secret=s.api_secret, base_url=fresh.base_url)


def drain(sqs, url):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])


def test_ok_for_keys_allowed_to_send_and_a_test_message_lands(chat, iam, sqs, queue):
    key, secret = make_iam_user(iam, "sender", send_policy(queue["arn"]))
    result = chat.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=queue["url"])
    assert result["status"] == "ok" and "error" not in result and "data" not in result
    [message] = drain(sqs, queue["url"])
    assert json.loads(message["Body"])["type"] == "check_sqs"


def test_aws_style_queue_url_is_routed_to_the_emulated_queue(chat, iam, queue):
    key, secret = make_iam_user(iam, "aws-style", send_policy(queue["arn"]))
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/checked"
    assert chat.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=url)["status"] == "ok"


@pytest.mark.parametrize("url", ["https://foo.com/bar", "https://foobar.com/123456789012/MyQueue",
                                 "not a url"])
def test_url_that_is_not_an_sqs_queue_url(chat, url):
    result = chat.check_sqs(sqs_key="k", sqs_secret="s", sqs_url=url)
    assert result["status"] == "error"
    assert f"invalid SQS url {url}" in result["error"]
    assert result["data"]["sqs_url"] == url


def test_missing_queue_is_reported(chat, fresh):
    url = f"{fresh.engine.endpoint_url}/123456789012/no-such-queue"
    result = chat.check_sqs(sqs_key="k", sqs_secret="s", sqs_url=url)
    assert result["status"] == "error"
    assert "queue no-such-queue does not exist" in result["error"]


def test_keys_without_send_permission_name_the_missing_permission(chat, iam, sqs, queue):
    key, secret = make_iam_user(iam, "reader", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": queue["arn"]}]})
    result = chat.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=queue["url"])
    assert result["status"] == "error"
    assert "sqs:SendMessage" in result["error"] and "reader" in result["error"]
    assert drain(sqs, queue["url"]) == []  # nothing was sent


def test_explicit_deny_wins(chat, iam, queue):
    key, secret = make_iam_user(iam, "denied", {"Version": "2012-10-17", "Statement": [
        send_policy(queue["arn"])["Statement"][0],
        send_policy(queue["arn"], effect="Deny")["Statement"][0]]})
    result = chat.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=queue["url"])
    assert result["status"] == "error" and "denied" in result["error"].lower()


def test_unknown_keys_are_allowed_in_lenient_mode(chat, queue):
    result = chat.check_sqs(sqs_key="AKIAUNKNOWN", sqs_secret="x", sqs_url=queue["url"])
    assert result["status"] == "ok"


def test_empty_body_checks_the_stored_legacy_settings(chat, iam, queue):
    key, secret = make_iam_user(iam, "legacy", send_policy(queue["arn"]))
    assert chat.check_sqs()["status"] == "error"  # nothing stored yet
    chat.update_app_settings(sqs_url=queue["url"], sqs_key=key, sqs_secret=secret)
    assert chat.check_sqs()["status"] == "ok"


def test_getstream_sdk_check_sqs_ok_and_error(stream, iam, queue):
    key, secret = make_iam_user(iam, "v2user", send_policy(queue["arn"]))
    ok = stream.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=queue["url"]).data
    assert ok.status == "ok" and ok.error is None
    bad = stream.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url="https://foo.com/bar").data
    assert bad.status == "error" and "invalid SQS url https://foo.com/bar" in bad.error
    assert bad.data is not None


def test_non_string_field_is_an_input_error(fresh, control):
    from emulator.cli.client import EmulatorError

    with pytest.raises(EmulatorError) as caught:
        control.post("/check_sqs", {"sqs_url": 12})
    assert caught.value.status == 400 and caught.value.body["code"] == 4
    assert 'CheckSQS failed with error: "sqs_url must be a string, got integer"' == \
        caught.value.body["message"]
