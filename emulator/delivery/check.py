"""POST /check_sqs: really talk to the queue, as Stream's check does (stream-api.md §1.3).

Answers `{"status": "ok"}` or `{"status": "error", "error": text, "data": {...}}` (always a
2xx: the SDKs return a failed check rather than raise). On success one small test message is
sent to the queue; its body is `TEST_MESSAGE` plus `created_at` (the real body is unknown).
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import timestamps
from ..app_settings import AppSettings
from ..errors import InputError
from ..fields import json_type
from ..sqs_engine import QueueRef, SqsEngine
from .targets import aws_error_reason, queue_problem

TEST_MESSAGE = {"type": "check_sqs", "message": "Stream SQS integration test message"}
_FIELDS = ("sqs_url", "sqs_key", "sqs_secret")


def check_request(body: Any, app: AppSettings) -> dict[str, str]:
    """The url/key/secret to check: the body's, else the stored legacy settings."""
    if not isinstance(body, dict):
        raise InputError(f"request body must be a JSON object, got {json_type(body)}")
    values = {}
    for name in _FIELDS:
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{name} must be a string, got {json_type(value)}")
        values[name] = value or app.get(name)
    return values


def check_sqs(engine: SqsEngine, checker_for: Any, request: dict[str, str]) -> dict[str, Any]:
    url, key, secret = request["sqs_url"], request["sqs_key"], request["sqs_secret"]
    ref = _parse(engine, url)
    if ref is None:
        return _error(f"invalid SQS url {url}", url, "InvalidSQSUrl")
    region = ref.url_region or engine.settings.region
    if not (key and secret):
        return _error(
            "sqs_key and sqs_secret are required to check the queue (none given, none stored)",
            url, "MissingCredentials",
        )
    problem = queue_problem(engine, ref, region)
    if problem:
        return _error(problem, url, "QueueUnavailable")
    decision = checker_for(region).check_keys(key, ref.arn(region))
    if not decision.allowed:
        return _error(f"AccessDenied: {decision.reason}", url, "AccessDenied")
    message = dict(TEST_MESSAGE, created_at=timestamps.rfc3339(timestamps.utcnow()))
    try:
        engine.client("sqs", region, key, secret).send_message(
            QueueUrl=engine.local_url(ref), MessageBody=json.dumps(message)
        )
    except ClientError as exc:
        return _error(aws_error_reason(exc, ref, region), url, "SendMessageFailed")
    except BotoCoreError as exc:
        return _error(f"SQS endpoint unreachable: {exc}", url, "EndpointUnreachable")
    return {"status": "ok"}


def _parse(engine: SqsEngine, url: str | None) -> QueueRef | None:
    try:
        return engine.parse_queue_url(url) if url else None
    except ValueError:  # urlparse raises on e.g. "http://[::1" (unbalanced IPv6 bracket)
        return None


def _error(text: str, url: str | None, kind: str) -> dict[str, Any]:
    return {"status": "error", "error": text, "data": {"sqs_url": url or "", "reason": kind}}
