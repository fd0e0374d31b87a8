"""POST /check_sns through the official SDKs against real moto topics and IAM users."""

from __future__ import annotations

import asyncio
import json

import pytest
from getstream import Stream
from stream_chat import StreamChatAsync

from emulator.delivery.policy_examples import load_policy
from tests.helpers import make_iam_user

# What Stream's own SDK test suites send (stream-chat-python sync/async, getstream).
SDK_TOPIC = "arn:aws:sns:us-east-1:123456789012:sns-topic"
FAILED = "publishing the message failed."


@pytest.fixture
def sns(fresh):
    return fresh.engine.client("sns")


@pytest.fixture
def topic(sns, sqs):
    """A topic with a queue subscribed (raw delivery), so a test message can be seen."""
    arn = sns.create_topic(Name="checked-topic")["TopicArn"]
    url = sqs.create_queue(QueueName="checked-topic-sub")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"],
                  Attributes={"RawMessageDelivery": "true"})
    return {"arn": arn, "queue_url": url}


@pytest.fixture
def stream(fresh) -> Stream:
    s = fresh.settings
    return Stream(api_key=s.api_key, api_secret=s.api_secret, base_url=fresh.base_url)


def publisher(iam, name: str, topic_arn: str, effect: str = "Allow") -> tuple[str, str]:
    fixture = "identity-allow-publish" if effect == "Allow" else "identity-deny-publish"
    return make_iam_user(iam, name, load_policy(fixture, topic_arn))


def received(sqs, url: str) -> list[dict]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_sdk_suite_check_sns_sync(chat):
    # stream-chat-python's test_check_sns, as written there (positional key, secret, arn).
    response = chat.check_sns("key", "secret", SDK_TOPIC)
    assert response["status"] == "error"
    assert FAILED in response["error"]
    assert "topic sns-topic does not exist" in response["error"]
    assert response["data"] == {"sns_topic_arn": SDK_TOPIC, "reason": "TopicUnavailable"}


def test_sdk_suite_check_sns_async(fresh):
    s = fresh.settings

    async def run() -> dict:
        async with StreamChatAsync(s.api_key, s.api_secret, base_url=fresh.base_url) as client:
            return await client.check_sns("key", "secret", SDK_TOPIC)

    response = asyncio.run(run())
    assert response["status"] == "error"
    assert FAILED in response["error"]


def test_sdk_suite_check_sns_getstream(stream):
    response = stream.check_sns(sns_key="key", sns_secret="secret", sns_topic_arn=SDK_TOPIC)
    assert response.data.status == "error"
    assert FAILED in response.data.error and response.data.data is not None


def test_ok_publishes_a_test_message_to_the_topic(chat, iam, sqs, topic):
    key, secret = publisher(iam, "sns-publisher", topic["arn"])
    response = chat.check_sns(sns_key=key, sns_secret=secret, sns_topic_arn=topic["arn"])
    assert response["status"] == "ok" and "error" not in response and "data" not in response
    [message] = received(sqs, topic["queue_url"])
    assert message["type"] == "check_sns"


def test_ok_async_and_getstream(fresh, stream, iam, topic):
    key, secret = publisher(iam, "sns-both-sdks", topic["arn"])
    s = fresh.settings

    async def run() -> dict:
        async with StreamChatAsync(s.api_key, s.api_secret, base_url=fresh.base_url) as client:
            return await client.check_sns(key, secret, topic["arn"])

    assert asyncio.run(run())["status"] == "ok"
    answer = stream.check_sns(sns_key=key, sns_secret=secret, sns_topic_arn=topic["arn"]).data
    assert answer.status == "ok" and answer.error is None


def test_keys_without_publish_permission_name_what_is_missing(chat, iam, sqs, topic):
    key, secret = make_iam_user(iam, "sns-reader", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sns:GetTopicAttributes", "Resource": topic["arn"]}]})
    response = chat.check_sns(sns_key=key, sns_secret=secret, sns_topic_arn=topic["arn"])
    assert response["status"] == "error"
    assert response["error"].startswith(f"{FAILED} AuthorizationError: ")
    assert "sns:Publish" in response["error"] and "sns-reader" in response["error"]
    assert received(sqs, topic["queue_url"]) == []  # nothing was published


def test_explicit_deny_wins(chat, iam, topic):
    key, secret = make_iam_user(iam, "sns-denied", {"Version": "2012-10-17", "Statement": [
        load_policy("identity-allow-publish", topic["arn"])["Statement"][0],
        load_policy("identity-deny-publish", topic["arn"])["Statement"][0]]})
    response = chat.check_sns(sns_key=key, sns_secret=secret, sns_topic_arn=topic["arn"])
    assert response["status"] == "error" and "explicitly denied" in response["error"]


@pytest.mark.parametrize("arn", ["not an arn", "arn:aws:sqs:us-east-1:123456789012:queue",
                                 "arn:aws:sns:us-east-1:12345:short-account"])
def test_value_that_is_not_a_topic_arn(chat, arn):
    response = chat.check_sns(sns_key="k", sns_secret="s", sns_topic_arn=arn)
    assert response["status"] == "error"
    assert response["error"] == f"{FAILED} invalid SNS topic ARN {arn!r}"
    assert response["data"] == {"sns_topic_arn": arn, "reason": "InvalidTopicArn"}


def test_empty_body_checks_the_apps_sns_hook(chat, iam, sqs, topic):
    assert chat.check_sns()["status"] == "error"  # no hook, nothing stored
    key, secret = publisher(iam, "sns-hook-user", topic["arn"])
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sns", "enabled": True, "sns_topic_arn": topic["arn"],
        "sns_region": "us-east-1", "sns_auth_type": "keys", "sns_key": key, "sns_secret": secret,
    }])
    assert chat.check_sns()["status"] == "ok"
    assert [m["type"] for m in received(sqs, topic["queue_url"])] == ["check_sns"]


def test_empty_body_with_a_resource_auth_hook_uses_the_topic_policy(chat, sns, topic):
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sns", "enabled": True, "sns_topic_arn": topic["arn"],
        "sns_region": "us-east-1", "sns_auth_type": "resource",
    }])
    # moto's default topic policy allows only the owner's account (a Condition we do not
    # evaluate), so Stream's principal is not allowed.
    refused = chat.check_sns()
    assert refused["status"] == "error" and "185583345998" in refused["error"]
    policy = json.dumps(load_policy("topic-allow-stream", topic["arn"]))
    sns.set_topic_attributes(TopicArn=topic["arn"], AttributeName="Policy", AttributeValue=policy)
    assert chat.check_sns()["status"] == "ok"


def test_legacy_top_level_sns_settings_are_checked(chat, iam, topic):
    key, secret = publisher(iam, "sns-legacy", topic["arn"])
    chat.update_app_settings(sns_topic_arn=topic["arn"], sns_key=key, sns_secret=secret)
    assert chat.check_sns()["status"] == "ok"


def test_v2_path_and_non_string_field(fresh, control):
    from emulator.cli.client import EmulatorError

    answer = control.post("/api/v2/check_sns", {"sns_topic_arn": SDK_TOPIC})
    assert answer["status"] == "error" and FAILED in answer["error"]
    with pytest.raises(EmulatorError) as caught:
        control.post("/check_sns", {"sns_topic_arn": 12})
    assert caught.value.status == 400 and caught.value.body["code"] == 4
    assert caught.value.body["message"] == \
        'CheckSNS failed with error: "sns_topic_arn must be a string, got integer"'
