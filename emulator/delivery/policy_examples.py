"""Example policies shipped in fixtures/policies/, with the placeholder queue ARN filled in.

Queue policies: allow-stream, missing-principal, explicit-deny, wrong-resource, condition.
Topic policies (SNS hooks, `resource` auth): topic-allow-stream, topic-missing-principal,
topic-explicit-deny, topic-wrong-resource.
Identity policies: identity-allow-send, identity-deny-send, identity-read-only (SQS);
identity-allow-publish, identity-deny-publish (SNS).
Role trust policy (`role` auth, SQS and SNS): role-trust-stream (Stream's account may assume
the role; give the role identity-allow-send or identity-allow-publish as its permissions).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import emulator

PLACEHOLDER_ARN = "arn:aws:sqs:us-east-1:123456789012:QUEUE_NAME"
TOPIC_PLACEHOLDER_ARN = "arn:aws:sns:us-east-1:123456789012:TOPIC_NAME"


def policies_dir() -> Path:
    try:  # package data, also from an installed wheel (emulator/resources.py, if present)
        from emulator.resources import fixtures_dir  # type: ignore[import-not-found]
    except ImportError:
        return Path(emulator.__file__).resolve().parent.parent / "fixtures" / "policies"
    return Path(fixtures_dir()) / "policies"


def policy_names() -> list[str]:
    return sorted(p.stem for p in policies_dir().glob("*.json"))


def load_policy(name: str, queue_arn: str) -> dict[str, Any]:
    """The fixture `name` (with or without `.json`) with its placeholder ARN set to `queue_arn`
    (a queue ARN, or a topic ARN for the topic-/…-publish fixtures)."""
    stem = name[:-5] if name.endswith(".json") else name
    path = policies_dir() / f"{stem}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no policy fixture {stem!r}; known: {', '.join(policy_names())}")
    return _substitute(json.loads(path.read_text(encoding="utf-8")), queue_arn)


def _substitute(value: Any, queue_arn: str) -> Any:
    # Only the placeholder ARNs are replaced: another queue's ARN (wrong-resource) stays as is.
    if isinstance(value, str):
        return value.replace(PLACEHOLDER_ARN, queue_arn).replace(TOPIC_PLACEHOLDER_ARN, queue_arn)
    if isinstance(value, list):
        return [_substitute(v, queue_arn) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, queue_arn) for k, v in value.items()}
    return value
