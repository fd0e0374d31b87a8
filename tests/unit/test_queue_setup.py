"""The one queue + DLQ recipe every creator (engine, plugin helpers) goes through."""

from __future__ import annotations

import json

from emulator.queue_setup import DLQ_MAX_RECEIVE_COUNT, create_queue_pair


def test_dlq_first_then_the_queue_redriving_to_it():
    made = []

    def create(name: str, attributes: dict[str, str]) -> tuple[str, str]:
        made.append((name, attributes))
        return f"http://q/{name}", f"arn:aws:sqs:us-east-1:123456789012:{name}"

    policy = {"Version": "2012-10-17", "Statement": []}
    queue = create_queue_pair(create, "orders", policy=policy, max_message_size=1024)
    assert [name for name, _ in made] == ["orders-dlq", "orders"] and made[0][1] == {}
    attributes = made[1][1]
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": queue["dlq_arn"], "maxReceiveCount": str(DLQ_MAX_RECEIVE_COUNT)}
    assert attributes["MaximumMessageSize"] == "1024" and json.loads(attributes["Policy"]) == policy
    assert queue == {"name": "orders", "url": "http://q/orders", "dlq_url": "http://q/orders-dlq",
                     "arn": "arn:aws:sqs:us-east-1:123456789012:orders",
                     "dlq_arn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq"}


def test_without_a_dlq_there_is_no_redrive():
    made = []
    queue = create_queue_pair(lambda n, a: made.append(a) or ("u", "a"), "solo", dlq=False)
    assert made == [{"MaximumMessageSize": "262144"}]
    assert queue["dlq_url"] is None and queue["dlq_arn"] is None
