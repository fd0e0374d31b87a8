"""SNS topic ARNs and which SNS targets an app has (pure: no moto)."""

from __future__ import annotations

import pytest

from emulator.app_settings import AppSettings
from emulator.delivery.sns_targets import LEGACY_HOOK_ID, parse_topic_arn, sns_targets

TOPIC = "arn:aws:sns:eu-west-1:123456789012:events"


@pytest.mark.parametrize("arn, parsed", [
    (TOPIC, ("eu-west-1", "123456789012", "events", False)),
    ("arn:aws:sns:us-east-1:111122223333:orders.fifo",
     ("us-east-1", "111122223333", "orders.fifo", True)),
    ("arn:aws-cn:sns:cn-north-1:123456789012:t", ("cn-north-1", "123456789012", "t", False)),
    ("arn:aws:sns:us-gov-west-1:123456789012:t-1_a", ("us-gov-west-1", "123456789012", "t-1_a",
                                                      False)),
])
def test_topic_arns(arn, parsed):
    ref = parse_topic_arn(arn)
    assert ref is not None and ref.arn == arn
    assert (ref.region, ref.account_id, ref.name, ref.fifo) == parsed


@pytest.mark.parametrize("arn", [
    None, "", "events", "arn:aws:sqs:us-east-1:123456789012:queue",
    "arn:aws:sns:us-east-1:12345:short", "arn:aws:sns:us-east-1:123456789012:",
    "arn:aws:sns:us-east-1:123456789012:has space", "arn:aws:sns::123456789012:no-region",
    "arn:aws:sns:us-east-1:123456789012:events:subscription-id",
    "https://sns.us-east-1.amazonaws.com/123456789012/events",
])
def test_values_that_are_not_topic_arns(arn):
    assert parse_topic_arn(arn) is None


def app(**body) -> AppSettings:
    return AppSettings().patched(body)


def test_enabled_sns_hooks_and_the_legacy_topic_are_targets():
    settings = app(
        event_hooks=[
            {"id": "on", "hook_type": "sns", "enabled": True, "sns_topic_arn": TOPIC,
             "sns_region": "eu-west-1", "sns_auth_type": "resource",
             "event_types": ["message.new"], "sns_event_based_message_group_id_enabled": True},
            {"id": "off", "hook_type": "sns", "enabled": False, "sns_topic_arn": TOPIC,
             "sns_region": "eu-west-1", "sns_key": "k", "sns_secret": "s"},
            {"id": "sqs", "hook_type": "sqs", "enabled": True, "sqs_region": "us-east-1",
             "sqs_queue_url": "http://127.0.0.1:1/123456789012/q", "sqs_key": "k",
             "sqs_secret": "s"}],
        sns_topic_arn="arn:aws:sns:ap-south-1:123456789012:legacy", sns_key="lk",
        sns_secret="ls", webhook_events=["reaction.new"])
    hook, legacy = sns_targets(settings, default_region="us-east-1")
    assert (hook.hook_id, hook.address, hook.region, hook.auth_type) == \
        ("on", TOPIC, "eu-west-1", "resource")
    assert hook.group_by_event and hook.wants("message.new") and not hook.wants("reaction.new")
    assert (legacy.hook_id, legacy.region, legacy.key, legacy.auth_type) == \
        (LEGACY_HOOK_ID, "ap-south-1", "lk", "keys")  # the region comes from the ARN
    assert legacy.wants("reaction.new") and not legacy.wants("message.new")


def test_a_legacy_value_that_is_not_an_arn_keeps_the_default_region():
    [legacy] = sns_targets(app(sns_topic_arn="not-an-arn"), default_region="us-west-2")
    assert (legacy.region, legacy.wants("anything")) == ("us-west-2", True)
