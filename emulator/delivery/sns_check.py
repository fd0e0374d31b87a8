"""POST /check_sns: publish one test message to the topic, as Stream's check does.

Answers `{"status": "ok"}` or `{"status": "error", "error": text, "data": {...}}` (a 2xx either
way: the SDKs return a failed check rather than raise). Every failure's text starts with
Stream's wording `publishing the message failed.` (seen in the SDKs' check_sns tests), then
says why.
The test message's body is ours (`TEST_MESSAGE` plus `created_at`; the real one is unknown).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import timestamps
from ..app_settings import AppSettings
from ..sqs_engine import SqsEngine
from .permissions import PermissionChecker
from .retry import TransientSendError
from .sns_targets import parse_topic_arn, permission, publish, topic_attributes

TEST_MESSAGE = {"type": "check_sns", "message": "Stream SNS integration test message"}
FAILED = "publishing the message failed."


@dataclass(frozen=True)
class SnsCheck:
    """What to check: a topic and credentials (auth_type from the app's hook, else keys)."""

    topic_arn: str
    key: str
    secret: str
    auth_type: str = "keys"
    role_arn: str = ""  # role auth: the role Stream's account assumes


def resolve_check(app: AppSettings, topic_arn: str | None, key: str | None,
                  secret: str | None, auth_type: str | None = None,
                  role_arn: str | None = None) -> SnsCheck:
    """Absent fields come from the app's SNS hook (an enabled one first), else the legacy
    top-level sns_* settings."""
    hooks = sorted((h for h in app.event_hooks if h.hook_type == "sns"),
                   key=lambda h: not h.enabled)
    hook = hooks[0] if hooks else None

    def stored(name: str) -> str:
        return (hook.get(name) if hook else "") or app.get(name)

    if auth_type is None:
        auth_type = "keys"
        if hook is not None and not (topic_arn or key):  # checking the stored hook as it is
            auth_type = hook.get("sns_auth_type") or "keys"
    return SnsCheck(topic_arn or stored("sns_topic_arn"), key or stored("sns_key"),
                    secret or stored("sns_secret"), auth_type,
                    role_arn or (hook.get("sns_role_arn") if hook else ""))


def check_sns(engine: SqsEngine, checker_for: Callable[[str], PermissionChecker],
              check: SnsCheck) -> dict[str, Any]:
    arn = check.topic_arn
    if not arn:
        return _error("no sns_topic_arn given and none stored (no SNS hook, no sns_topic_arn)",
                      arn, "InvalidTopicArn")
    ref = parse_topic_arn(arn)
    if ref is None:
        return _error(f"invalid SNS topic ARN {arn!r}", arn, "InvalidTopicArn")
    missing = _missing_credentials(check)
    if missing:
        return _error(f"{missing} (none given, none stored)", arn, "MissingCredentials")
    attributes, problem = topic_attributes(engine, ref)
    if problem:
        return _error(problem, arn, "TopicUnavailable")
    decision = permission(check.auth_type, check.key, ref, attributes, checker_for(ref.region),
                          check.role_arn)
    if not decision.allowed:
        return _error(f"AuthorizationError: {decision.reason}", arn, "AuthorizationError")
    message = dict(TEST_MESSAGE, created_at=timestamps.rfc3339(timestamps.utcnow()))
    key, secret = (check.key, check.secret) if check.auth_type == "keys" else ("", "")
    try:
        _, _, error = publish(engine, ref, json.dumps(message), key, secret, "check_sns")
    except TransientSendError as exc:
        return _error(str(exc), arn, "EndpointUnreachable")
    if error:
        return _error(error, arn, "PublishFailed")
    return {"status": "ok"}


def _missing_credentials(check: SnsCheck) -> str:
    if check.auth_type == "keys" and not (check.key and check.secret):
        return "sns_key and sns_secret are required"
    if check.auth_type == "role" and not check.role_arn:
        return "sns_role_arn is required when sns_auth_type is \"role\""
    return ""


def _error(text: str, arn: str, kind: str) -> dict[str, Any]:
    return {"status": "error", "error": f"{FAILED} {text}",
            "data": {"sns_topic_arn": arn or "", "reason": kind}}
