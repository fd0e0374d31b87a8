"""emulator.consumer: every body form Stream may send, Lambda's event shape and its reading of
a partial batch response."""

from __future__ import annotations

import base64
import gzip
import json

import pytest
from aws_lambda_powertools.utilities.data_classes import SQSEvent
from aws_lambda_powertools.utilities.parser.models import SqsModel

from emulator import testing
from emulator.consumer import UndecodableBody, batch_failures, decode_body, lambda_event
from emulator.delivery.encoding import encode_body

EVENT = {"type": "message.new", "cid": "messaging:general", "message": {"text": "<b>é & ü</b>"}}


def sns_envelope(message: str) -> str:
    return json.dumps({
        "Type": "Notification", "MessageId": "5f0c…", "TopicArn": "arn:aws:sns:us-east-1:1:t",
        "Message": message, "Timestamp": "2026-12-01T09:00:00.000Z", "SignatureVersion": "1",
    })


@pytest.mark.parametrize("compress, always_base64", [(False, False), (False, True), (True, False)],
                         ids=["plain", "base64", "gzip"])
def test_decodes_what_the_emulator_sends(compress, always_base64):
    body = encode_body(EVENT, compress, always_base64)
    assert decode_body(body) == EVENT
    assert decode_body(sns_envelope(body)) == EVENT  # an SNS subscription without raw delivery


def test_decodes_base64_with_surrounding_whitespace():
    plain_b64 = base64.b64encode(json.dumps(EVENT).encode()).decode()
    assert decode_body(f"\n {plain_b64} \n") == EVENT
    gz = base64.b64encode(gzip.compress(json.dumps(EVENT).encode())).decode()
    assert decode_body(gz) == EVENT


@pytest.mark.parametrize("body, says", [
    ("not json at all", "neither JSON"),
    ("{broken", "neither JSON"),
    (base64.b64encode(b"\x1f\x8b garbage").decode(), "neither JSON"),
    (base64.b64encode(b"[1, 2]").decode(), "JSON list, not an event object"),
    (sns_envelope("%%%"), "neither JSON"),
])
def test_undecodable_bodies_say_why(body, says):
    with pytest.raises(UndecodableBody, match=says):
        decode_body(body)


def test_undecodable_is_a_value_error_and_testing_re_exports_the_same_function():
    assert issubclass(UndecodableBody, ValueError)
    assert testing.decode_body is decode_body
    # all of emulator.consumer, as the README says (lambda_event, batch_failures were not)
    assert (testing.lambda_event, testing.batch_failures, testing.UndecodableBody) == (
        lambda_event, batch_failures, UndecodableBody)
    with pytest.raises(UndecodableBody, match="is a str, got bytes"):
        decode_body(b"{}")  # type: ignore[arg-type]


def boto_message(body: str = "{}", **extra) -> dict:
    """A message as boto3's receive_message returns it with every attribute asked for."""
    return {
        "MessageId": "059f36b4-87a3-44ab-83d2-661975830a7d", "ReceiptHandle": "AQEBwJ…",
        "MD5OfBody": "99914b932bd37a50b983c5e7c90ae93b", "Body": body,
        "Attributes": {"SenderId": "AIDAIT2UOQQY3AUEKVGXU", "SentTimestamp": "1796118224216",
                       "ApproximateReceiveCount": "1",
                       "ApproximateFirstReceiveTimestamp": "1796118224223"},
        **extra,
    }


def test_lambda_record_has_lambdas_keys_in_lambdas_order():
    event = lambda_event([boto_message()], queue_arn="arn:aws:sqs:us-east-1:123456789012:q",
                         region="us-east-1")
    [record] = event["Records"]
    assert list(record) == ["messageId", "receiptHandle", "body", "attributes",
                            "messageAttributes", "md5OfBody", "eventSource", "eventSourceARN",
                            "awsRegion"]
    assert record["eventSource"] == "aws:sqs" and record["messageAttributes"] == {}
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    SqsModel.model_validate(event)  # Powertools' parser takes it as a real SQS event


def test_message_attributes_take_lambdas_camel_case_shape():
    message = boto_message(
        MD5OfMessageAttributes="fa20e2def088daf7b14bc51e836c5547",
        MessageAttributes={
            "kind": {"StringValue": "x", "DataType": "String"},
            "blob": {"BinaryValue": b"\x00\x01", "DataType": "Binary"},
        },
    )
    event = lambda_event([message], queue_arn="arn:aws:sqs:eu-west-1:1:q", region="eu-west-1")
    [record] = event["Records"]
    assert record["messageAttributes"] == {
        "kind": {"stringValue": "x", "stringListValues": [], "binaryListValues": [],
                 "dataType": "String"},
        "blob": {"binaryValue": "AAE=", "stringListValues": [], "binaryListValues": [],
                 "dataType": "Binary"},
    }
    assert record["md5OfMessageAttributes"] == "fa20e2def088daf7b14bc51e836c5547"
    parsed = SqsModel.model_validate(event).Records[0]
    assert parsed.messageAttributes["blob"].binaryValue == "AAE="
    assert parsed.awsRegion == "eu-west-1"
    assert next(iter(SQSEvent(event).records)).message_attributes["kind"].string_value == "x"


RECORDS = {"Records": [{"messageId": "a"}, {"messageId": "b"}]}


@pytest.mark.parametrize("response, failed", [
    (None, set()),
    ({}, set()),
    ({"batchItemFailures": []}, set()),
    ({"batchItemFailures": None}, set()),
    ({"batchItemFailures": [{"itemIdentifier": "b"}]}, {"b"}),
    ([{"itemIdentifier": "a"}, {"itemIdentifier": "b"}], {"a", "b"}),
    # Lambda: any of these fails the whole batch
    ({"batchItemFailures": [{"itemIdentifier": ""}]}, None),
    ({"batchItemFailures": [{"itemIdentifier": None}]}, None),
    ({"batchItemFailures": [{"itemId": "a"}]}, None),
    ({"batchItemFailures": [{"itemIdentifier": "not-in-batch"}]}, None),
    ({"batchItemFailures": "a"}, None),
])
def test_batch_failures_read_as_lambda_reads_them(response, failed):
    assert batch_failures(RECORDS, response) == failed
