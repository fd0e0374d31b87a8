"""Which URLs are SQS queue URLs, and where their queues really live."""

from __future__ import annotations

import pytest

from emulator.config import Settings
from emulator.sqs_engine import SqsEngine


@pytest.fixture
def engine():
    return SqsEngine(Settings(sqs_endpoint="http://127.0.0.1:4566"))


@pytest.mark.parametrize("url, name, account, region", [
    ("https://sqs.us-east-1.amazonaws.com/123456789012/my-queue", "my-queue", "123456789012",
     "us-east-1"),
    ("https://sqs.eu-west-1.amazonaws.com/210987654321/orders.fifo", "orders.fifo",
     "210987654321", "eu-west-1"),
    ("https://queue.amazonaws.com/123456789012/legacy", "legacy", "123456789012", "us-east-1"),
    ("http://127.0.0.1:4566/000000000000/local", "local", "000000000000", None),
    ("http://localhost:9324/123456789012/q", "q", "123456789012", None),
])
def test_sqs_urls_are_recognised(engine, url, name, account, region):
    ref = engine.parse_queue_url(url)
    assert (ref.name, ref.account_id, ref.url_region) == (name, account, region)
    assert engine.local_url(ref) == f"http://127.0.0.1:4566/{account}/{name}"
    assert ref.arn("us-west-2").endswith(f":{account}:{name}")


@pytest.mark.parametrize("url", [
    "https://foo.com/bar", "https://foobar.com/123456789012/MyQueue", "foobar",
    "https://sqs.us-east-1.amazonaws.com/12345/short-account",
    "https://sqs.us-east-1.amazonaws.com/123456789012/bad name",
    "ftp://sqs.us-east-1.amazonaws.com/123456789012/q",
])
def test_other_urls_are_not_sqs_urls(engine, url):
    assert engine.parse_queue_url(url) is None
