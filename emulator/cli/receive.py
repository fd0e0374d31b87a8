"""`stream-sqs-emulator receive`: read the queue as a consumer would and print the events.

Bodies are decoded whatever form Stream sent (plain JSON, base64, base64 gzip, an SNS
envelope) and printed as JSON lines; received messages are deleted unless --keep.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from ..config import QUEUE_URL_EXAMPLE, ClientSettings, check_url
from .client import ControlClient
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail

DEFAULT_QUEUE_NAME = "stream-events"  # what `run` creates


def add_receive(commands: Any) -> None:
    cmd = commands.add_parser(
        "receive", help="read events from the queue (decoded, as JSON lines)",
        description="Receive messages from $STREAM_SQS_QUEUE_URL (or --queue-url, or the "
                    "running emulator's default queue), decode each body and print the events "
                    "as JSON lines. Exit 0 when at least one arrived, 1 when none did, 2 for a "
                    "missing queue.")
    cmd.add_argument("--count", type=int, default=10,
                     help="receive at most this many messages (default 10)")
    cmd.add_argument("--wait", type=float, default=2.0,
                     help="seconds to wait for them to arrive (default 2)")
    cmd.add_argument("--queue-url", help="the queue (default: $STREAM_SQS_QUEUE_URL)")
    cmd.add_argument("--keep", action="store_true",
                     help="leave the messages in the queue (they become visible again after "
                          "its visibility timeout)")
    cmd.add_argument("--url", help="the emulator to ask for its SQS endpoint when "
                                   "$AWS_ENDPOINT_URL_SQS is not set")
    cmd.set_defaults(handler=run_receive)


def run_receive(args: argparse.Namespace) -> int:
    if args.count < 1:
        return fail(f"--count: expected at least 1, received {args.count}", EXIT_USAGE)
    if args.queue_url:
        check_url(args.queue_url, "--queue-url", QUEUE_URL_EXAMPLE)
    from botocore.exceptions import BotoCoreError, ClientError

    env = ClientSettings.from_env()
    endpoint = env.sqs_endpoint or _emulator_sqs(args.url)
    sqs = _sqs_client(env, endpoint)
    try:
        queue_url = args.queue_url or env.queue_url or sqs.get_queue_url(
            QueueName=DEFAULT_QUEUE_NAME)["QueueUrl"]
        events, skipped = _receive(sqs, queue_url, args)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if "NonExistentQueue" in code or code == "QueueDoesNotExist":
            where = args.queue_url or env.queue_url or DEFAULT_QUEUE_NAME
            return fail(f"queue {where} does not exist on {endpoint} (list them with `aws "
                        f"--endpoint-url {endpoint} sqs list-queues`)", EXIT_USAGE)
        return fail(f"SQS at {endpoint} refused: {exc}")
    except BotoCoreError as exc:
        return fail(f"no SQS answers at {endpoint} ({exc}); is the emulator running?")
    for event in events:
        print(json.dumps(event, ensure_ascii=False), flush=True)
    if not events:
        what = (f"no Stream event arrived ({skipped} other message(s) skipped and left in the "
                "queue)") if skipped else "no message arrived"
        return fail(f"{what} on {queue_url} within {args.wait:g} s", EXIT_FAILED)
    return EXIT_OK


def _emulator_sqs(url: str | None) -> str:
    """No AWS_ENDPOINT_URL_SQS: the running emulator says where its SQS is."""
    return ControlClient.from_env(url, timeout=10).health()["sqs_endpoint"]


def _sqs_client(env: ClientSettings, endpoint: str) -> Any:
    import boto3

    return boto3.session.Session().client(
        "sqs", endpoint_url=endpoint, region_name=env.region,
        aws_access_key_id=env.aws_access_key_id, aws_secret_access_key=env.aws_secret_access_key)


def _receive(sqs: Any, queue_url: str, args: argparse.Namespace
             ) -> tuple[list[dict[str, Any]], int]:
    """The decoded events, and how many messages were not Stream's (left in the queue)."""
    from ..consumer import UndecodableBody, decode_body

    deadline = time.monotonic() + max(args.wait, 0)
    events: list[dict[str, Any]] = []
    skipped = 0
    while len(events) < args.count:
        remaining = deadline - time.monotonic()
        answer = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=min(10, args.count - len(events)),
            WaitTimeSeconds=int(min(max(remaining, 0), 20)))
        messages = answer.get("Messages", [])
        for message in messages:
            try:
                events.append(decode_body(message["Body"]))
            except UndecodableBody as exc:  # not Stream's: say so, leave it be
                print(f"skipped message {message['MessageId']}: {exc}", file=sys.stderr)
                skipped += 1
                continue
            if not args.keep:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if not messages and remaining <= 0:
            break
    return events, skipped
