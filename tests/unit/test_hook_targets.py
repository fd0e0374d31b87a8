"""The reader SQS and SNS hooks share (delivery/hook_targets.py): pure, no moto."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.app_settings import AppSettings, EventHook
from emulator.config import Settings
from emulator.delivery.hook_targets import AwsHookKind, AwsTarget, aws_targets, wants_event
from emulator.delivery.sns_targets import SnsTarget, sns_targets
from emulator.delivery.sqs_targets import SqsTarget, sqs_targets
from emulator.sqs_engine import SqsEngine

QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/events"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:events"
ROLE = "arn:aws:iam::123456789012:role/stream-delivery"


def app(**body: Any) -> AppSettings:
    return AppSettings().patched(body)


def test_an_empty_filter_wants_every_event_type():
    assert wants_event((), "anything")
    assert wants_event(("message.new",), "message.new")
    assert not wants_event(("message.new",), "message.updated")


@dataclass(frozen=True)
class TaggedTarget(AwsTarget):
    tag: str = ""

    @classmethod
    def hook_extras(cls, hook: EventHook) -> dict[str, Any]:
        return {"tag": hook.id.upper()}


def test_one_reader_takes_the_kind_the_class_and_the_legacy_region():
    kind = AwsHookKind("sqs", "sqs_queue_url", "sqs_url", "legacy-x")
    settings = app(
        event_hooks=[
            {"id": "a", "hook_type": "sqs", "enabled": True, "sqs_queue_url": QUEUE,
             "sqs_region": "eu-west-1", "sqs_auth_type": "role", "sqs_role_arn": ROLE},
            {"id": "off", "hook_type": "sqs", "enabled": False, "sqs_queue_url": QUEUE,
             "sqs_region": "eu-west-1", "sqs_key": "k", "sqs_secret": "s"}],
        sqs_url="http://127.0.0.1:1/123456789012/q", sqs_key="lk", sqs_secret="ls")
    seen: list[str] = []

    def no_region(address: str) -> str | None:
        seen.append(address)
        return None

    hook, legacy = aws_targets(settings, kind, TaggedTarget, no_region, "ap-south-1")
    assert (hook.hook_id, hook.address, hook.auth_type, hook.role_arn, hook.tag) == \
        ("a", QUEUE, "role", ROLE, "A")
    assert (legacy.hook_id, legacy.region, legacy.auth_type, legacy.key, legacy.secret,
            legacy.tag, legacy.role_arn) == ("legacy-x", "ap-south-1", "keys", "lk", "ls", "", "")
    assert seen == ["http://127.0.0.1:1/123456789012/q"]  # only the legacy value is parsed


def test_sqs_and_sns_legacy_targets_have_the_same_shape():
    """The legacy top-level SQS and SNS settings give the same kind of target."""
    settings = app(sqs_url=QUEUE, sqs_key="qk", sqs_secret="qs", sns_topic_arn=TOPIC,
                   sns_key="tk", sns_secret="ts", webhook_events=["message.new"])
    engine = SqsEngine(Settings(sqs_endpoint="http://127.0.0.1:4566"))
    [queue] = sqs_targets(settings, engine, default_region="us-west-2")
    [topic] = sns_targets(settings, default_region="us-west-2")
    assert isinstance(queue, SqsTarget) and isinstance(topic, SnsTarget)
    assert (queue.hook_id, queue.queue_url, queue.region, queue.key) == \
        ("legacy-sqs-url", QUEUE, "eu-west-1", "qk")  # the region comes from the URL
    assert (topic.hook_id, topic.topic_arn, topic.region, topic.key) == \
        ("legacy-sns-topic-arn", TOPIC, "eu-west-1", "tk")  # … and from the ARN
    for target in (queue, topic):
        assert (target.auth_type, target.event_types) == ("keys", ("message.new",))
        assert target.wants("message.new") and not target.wants("reaction.new")
