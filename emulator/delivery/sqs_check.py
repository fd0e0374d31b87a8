"""POST /check_sqs: really talk to the queue, as Stream's check does.

Answers `{"status": "ok"}` or `{"status": "error", "error": text, "data": {...}}` (always a
2xx: the SDKs return a failed check rather than raise). On success one small test message is
sent to the queue; its body is `TEST_MESSAGE` plus `created_at` (the real body is unknown).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import timestamps
from ..app_settings import AppSettings
from ..sqs_engine import QueueRef, SqsEngine
from .permissions import PermissionChecker
from .sqs_targets import aws_error_reason, queue_problem

TEST_MESSAGE = {"type": "check_sqs", "message": "Stream SQS integration test message"}


def stored_sqs(app: AppSettings, url: str | None, key: str | None, secret: str | None
               ) -> tuple[str | None, str | None, str | None]:
    """Absent fields come from the app's SQS hook (an enabled one first), else the legacy
    top-level sqs_* settings: as check_sns does with its hook (`run`'s app has a hook and no
    sqs_url, so `check_sqs()` checked nothing)."""
    hooks = sorted((h for h in app.event_hooks if h.hook_type == "sqs"),
                   key=lambda h: not h.enabled)
    hook = hooks[0] if hooks else None

    def stored(hook_field: str, legacy: str) -> str | None:
        return (hook.get(hook_field) if hook else None) or app.get(legacy)

    return (url or stored("sqs_queue_url", "sqs_url"), key or stored("sqs_key", "sqs_key"),
            secret or stored("sqs_secret", "sqs_secret"))


def check_sqs(
    engine: SqsEngine, checker_for: Callable[[str], PermissionChecker], default_region: str,
    url: str | None, key: str | None, secret: str | None,
) -> dict[str, Any]:
    """`default_region`: for queue URLs whose host names no region (local URLs)."""
    if not url:
        return _error("no sqs_url given and none stored (no SQS hook, no sqs_url)", url,
                      "InvalidSQSUrl")
    ref = _parse(engine, url)
    if ref is None:
        return _error(f"invalid SQS url {url}", url, "InvalidSQSUrl")
    region = ref.url_region or default_region
    if not (key and secret):
        return _error(
            "sqs_key and sqs_secret are required to check the queue (none given, none stored)",
            url, "MissingCredentials",
        )
    problem = queue_problem(engine, ref, region)
    if problem:
        return _error(problem, url, "QueueUnavailable")
    decision = checker_for(region).check_keys_on_queue(key, engine.local_url(ref),
                                                       ref.arn(region))
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
