"""The pytest examples of README.md (pytest plugin, wire variants) and
docs/ci-contract-check.md run as written in a downstream project, with `my_consumer` being the
smallest consumer that fits them (it gets its SQS client handed in, as a real one must: its
own `boto3.client("sqs")` would not find the test's emulator)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MY_CONSUMER = '''
from emulator.consumer import decode_body


def handle(events):
    return sum(1 for event in events if event["type"] == "message.new")


def poll(sqs, queue_url):
    seen = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            return seen
        for message in messages:
            seen += decode_body(message["Body"])["type"] == "message.new"
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
'''


def python_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    blocks = []
    for chunk in text.split("```python\n")[1:]:
        body = chunk.split("```", 1)[0]
        blocks.append(textwrap.dedent(body))  # the docs indent theirs inside a list item
    return blocks


def test_the_documented_pytest_examples_pass(pytester: pytest.Pytester) -> None:
    blocks = python_blocks(ROOT / "README.md") + python_blocks(ROOT / "docs" / "ci-contract-check.md")
    assert len(blocks) == 3
    pytester.makepyfile(my_consumer=MY_CONSUMER)
    pytester.makepyfile(test_snippets="import my_consumer\n\n\n" + "\n\n".join(blocks))
    pytester.syspathinsert()
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)  # one README test, one over the 6 variants, the CI one
