"""sqs_fast.publish_direct against Publish over HTTP on the same embedded moto: subscribers
cannot tell them apart, and errors carry the same codes."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from emulator import sqs_fast

ACCOUNT = "123456789012"


@pytest.fixture
def sns(fresh):
    return fresh.engine.client("sns")


def subscribed(fresh, sns, topic_arn: str, name: str, raw: bool) -> str:
    queue = fresh.engine.create_queue(name, dlq=False)
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue["arn"],
                  Attributes={"RawMessageDelivery": "true"} if raw else {})
    return queue["url"]


def bodies(sqs, url: str) -> list[str]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    return [m["Body"] for m in messages]


def test_subscribers_see_the_same_envelope_and_raw_body(fresh, sns, sqs):
    arn = sns.create_topic(Name="direct-topic")["TopicArn"]
    envelope_url = subscribed(fresh, sns, arn, "direct-envelope", raw=False)
    raw_url = subscribed(fresh, sns, arn, "direct-raw", raw=True)
    body = json.dumps({"type": "message.new", "text": "héllo <b>"}, ensure_ascii=False)
    via_http = sns.publish(TopicArn=arn, Message=body)["MessageId"]
    direct = sqs_fast.publish_direct(arn, body, region="us-east-1", account_id=ACCOUNT)
    assert bodies(sqs, raw_url) == [body, body]
    http_envelope, direct_envelope = (json.loads(b) for b in bodies(sqs, envelope_url))
    assert set(http_envelope) == set(direct_envelope)
    assert (http_envelope["MessageId"], direct_envelope["MessageId"]) == (via_http, direct)
    for name in ("Type", "TopicArn", "Message", "SignatureVersion"):
        assert http_envelope[name] == direct_envelope[name]


def test_errors_have_the_codes_of_the_api(sns):
    missing = f"arn:aws:sns:us-east-1:{ACCOUNT}:no-such-topic"
    fifo = sns.create_topic(Name="direct.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    for arn in (missing, fifo):
        with pytest.raises(ClientError) as over_http:
            sns.publish(TopicArn=arn, Message="x")
        with pytest.raises(sqs_fast.FastSNSError) as direct:
            sqs_fast.publish_direct(arn, "x", region="us-east-1", account_id=ACCOUNT)
        assert direct.value.code == over_http.value.response["Error"]["Code"]


def test_fifo_topic_takes_group_and_dedup_ids(fresh, sns, sqs):
    arn = sns.create_topic(Name="ordered.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    queue = sqs.create_queue(QueueName="ordered-sub.fifo", Attributes={"FifoQueue": "true"})
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue["QueueUrl"],
                                         AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn,
                  Attributes={"RawMessageDelivery": "true"})
    for text in ("one", "two"):
        sqs_fast.publish_direct(arn, text, region="us-east-1", account_id=ACCOUNT,
                                group_id="message.new", dedup_id=text)
    assert bodies(sqs, queue["QueueUrl"]) == ["one", "two"]
