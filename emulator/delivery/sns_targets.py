"""Which SNS topics an app publishes to, and whether a topic can take messages right now.

A `SnsTarget` is an enabled SNS hook, or the legacy top-level `sns_topic_arn`. `topic_gate`
answers once per batch what would stop every publish to that target (bad ARN, region
mismatch, missing topic, permission). Everything goes through boto3 against the engine's
endpoint (embedded moto or an external one): no moto internals here.

Permissions, as Stream documents them for SNS: `keys` → the key's IAM identity policies must allow
`sns:Publish` on the topic (the same evaluator as SQS); `resource` → the topic's `Policy`
attribute must allow Stream's principal `SNS:Publish`; `role` (as for SQS) → the trust policy
of `sns_role_arn` lets Stream's account assume it and its policies allow `sns:Publish`.
moto enforces none of them.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import sqs_fast
from ..app_settings import AppSettings, EventHook
from ..config import STREAM_PRINCIPAL
from ..sqs_engine import SqsEngine
from .hook_targets import AwsHookKind, AwsTarget, Gate, aws_targets
from .permissions import Decision, PermissionChecker
from .policy import evaluate_resource_policy
from .records import Status
from .retry import TransientSendError
from .sqs_targets import unknown_region_reason

PUBLISH_ACTION = "sns:Publish"  # identity policies: IAM actions are case-insensitive
RESOURCE_ACTION = "SNS:Publish"  # as Stream's docs spell it for topic policies
SNS_HOOKS = AwsHookKind("sns", "sns_topic_arn", "sns_topic_arn", "legacy-sns-topic-arn")
LEGACY_HOOK_ID = SNS_HOOKS.legacy_hook_id
_DENIED_CODES = ("AuthorizationError", "AccessDenied", "InvalidClientTokenId")

_ARN = re.compile(
    r"^arn:aws(-cn|-us-gov)?:sns:(?P<region>[a-z]{2}(-[a-z]+)+-\d+):(?P<account>\d{12})"
    r":(?P<name>[A-Za-z0-9_-]{1,256}(\.fifo)?)$"
)


@dataclass(frozen=True)
class TopicRef:
    arn: str
    region: str
    account_id: str
    name: str

    @property
    def fifo(self) -> bool:
        return self.name.endswith(".fifo")


def parse_topic_arn(arn: str | None) -> TopicRef | None:
    """None when `arn` is not an SNS topic ARN."""
    match = _ARN.match(arn or "")
    if not match:
        return None
    return TopicRef(arn or "", match.group("region"), match.group("account"), match.group("name"))


@dataclass(frozen=True)
class SnsTarget(AwsTarget):
    group_by_event: bool = False  # sns_event_based_message_group_id_enabled (FIFO topics)

    @property
    def topic_arn(self) -> str:
        return self.address

    @classmethod
    def hook_extras(cls, hook: EventHook) -> dict[str, Any]:
        return {"group_by_event": bool(hook.get("sns_event_based_message_group_id_enabled"))}


def sns_targets(app: AppSettings, default_region: str) -> list[SnsTarget]:
    """`default_region`: the region of a legacy `sns_topic_arn` that is not an ARN."""

    def arn_region(arn: str) -> str | None:
        ref = parse_topic_arn(arn)
        return ref.region if ref else None

    return aws_targets(app, SNS_HOOKS, SnsTarget, arn_region, default_region)


TopicGate = Gate[TopicRef]


def topic_gate(target: SnsTarget, engine: SqsEngine, checker: PermissionChecker) -> TopicGate:
    ref = parse_topic_arn(target.topic_arn)
    if ref is None:
        return TopicGate(None, Status.FAILED, f"invalid SNS topic ARN {target.topic_arn!r}")
    if ref.region != target.region:
        return TopicGate(ref, Status.FAILED, (
            f"hook region {target.region} differs from the topic ARN's region {ref.region}: "
            "SNS answers NotFound (Topic does not exist)"
        ))
    attributes, problem = topic_attributes(engine, ref)
    if problem:
        return TopicGate(ref, Status.FAILED, problem)
    decision = permission(target.auth_type, target.key, ref, attributes, checker,
                          target.role_arn)
    if not decision.allowed:
        return TopicGate(ref, Status.DENIED, decision.reason)
    return TopicGate(ref)


def permission(auth_type: str, key: str, ref: TopicRef, attributes: dict[str, str],
               checker: PermissionChecker, role_arn: str = "") -> Decision:
    """May this hook publish to the topic? The same three auth types as SQS hooks."""
    if auth_type == "resource":
        return evaluate_resource_policy(
            attributes.get("Policy"), STREAM_PRINCIPAL, RESOURCE_ACTION, ref.arn, kind="topic"
        )
    if auth_type == "role":
        return checker.check_role(role_arn, ref.arn, PUBLISH_ACTION)
    decision = checker.check_keys(key, ref.arn, PUBLISH_ACTION)
    if not decision.allowed:
        return decision
    denial = checker.keys_denied_by(key, attributes.get("Policy"), RESOURCE_ACTION, ref.arn,
                                    kind="topic")  # the topic's own explicit Deny, as in AWS
    return denial or decision


def topic_attributes(engine: SqsEngine, ref: TopicRef) -> tuple[dict[str, str], str]:
    """(the topic's attributes, "") when it exists; else ({}, why it cannot be reached)."""
    if engine.embedded and not sqs_fast.known_region(ref.region, "sns"):
        return {}, unknown_region_reason(ref.region, "topic")
    try:
        answer = engine.client("sns", ref.region).get_topic_attributes(TopicArn=ref.arn)
    except ClientError as exc:
        return {}, sns_error_reason(exc, ref)
    except BotoCoreError as exc:
        return {}, f"SNS endpoint {engine.endpoint_url} unreachable: {exc}"
    return answer.get("Attributes", {}), ""


def sns_error_reason(exc: ClientError, ref: TopicRef) -> str:
    error: dict[str, Any] = exc.response.get("Error", {})
    return _reason(error.get("Code", ""), error.get("Message", str(exc)), ref)


def _reason(code: str, message: str, ref: TopicRef) -> str:
    if code in ("NotFound", "NotFoundException"):
        return (
            f"topic {ref.name} does not exist in account {ref.account_id}, "
            f"region {ref.region} (NotFound)"
        )
    return f"SNS error {code}: {message}"


def publish(engine: SqsEngine, ref: TopicRef, body: str, key: str = "", secret: str = "",
            group_id: str = "stream-events") -> tuple[str | None, str, str]:
    """One Publish: (message id, "", "") or (None, status, permanent error); transient
    failures (throttling, endpoint unreachable) raise TransientSendError."""
    extra: dict[str, str] = {}
    if ref.fifo:  # FIFO topics need a group; a fresh dedup id keeps every event
        extra = {"MessageGroupId": group_id, "MessageDeduplicationId": uuid.uuid4().hex}
    try:
        if engine.embedded:  # in-process: moto's own Publish without HTTP (sqs_fast)
            message_id = sqs_fast.publish_direct(
                ref.arn, body, region=ref.region, account_id=ref.account_id,
                group_id=extra.get("MessageGroupId"), dedup_id=extra.get("MessageDeduplicationId"),
            )
            return message_id, "", ""
        client = engine.client("sns", ref.region, key, secret)
        answer = client.publish(TopicArn=ref.arn, Message=body, **extra)
    except sqs_fast.FastSNSError as exc:
        return None, "failed", _reason(exc.code, exc.message, ref)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if "Throttl" in code:
            raise TransientSendError(f"SNS answered {exc}") from None
        status = "denied" if code in _DENIED_CODES else "failed"
        return None, status, sns_error_reason(exc, ref)
    except BotoCoreError as exc:
        raise TransientSendError(f"SNS endpoint {engine.endpoint_url} unreachable: {exc}") from None
    return answer["MessageId"], "", ""
