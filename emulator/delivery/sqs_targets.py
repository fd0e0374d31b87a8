"""Which SQS queues an app delivers to, and whether a queue can take messages right now.

An `SqsTarget` is an enabled SQS hook, or the legacy top-level `sqs_url`. `gate_for` answers
once per batch of events what would stop every message to that target (bad URL, region
mismatch, missing queue, permission), so bursts do not pay per-event IAM look-ups; to an
external endpoint the send itself reports a missing queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import sqs_fast
from ..app_settings import AppSettings
from ..sqs_engine import QueueRef, SqsEngine
from .hook_targets import AwsHookKind, AwsTarget, aws_targets
from .hook_targets import Gate as AwsGate
from .permissions import PermissionChecker, QueueUnavailable
from .records import Status

SQS_HOOKS = AwsHookKind("sqs", "sqs_queue_url", "sqs_url", "legacy-sqs-url")
LEGACY_HOOK_ID = SQS_HOOKS.legacy_hook_id


@dataclass(frozen=True)
class SqsTarget(AwsTarget):
    @property
    def queue_url(self) -> str:
        return self.address


def sqs_targets(app: AppSettings, engine: SqsEngine, default_region: str) -> list[SqsTarget]:
    """`default_region`: the region of a legacy `sqs_url` whose host names none."""

    def url_region(url: str) -> str | None:
        ref = engine.parse_queue_url(url)
        return ref.url_region if ref else None

    return aws_targets(app, SQS_HOOKS, SqsTarget, url_region, default_region)


Gate = AwsGate[QueueRef]


def gate_for(target: SqsTarget, engine: SqsEngine, checker: PermissionChecker) -> Gate:
    """Open, or closed with the status and reason every message to the target would get.

    To an external endpoint with keys auth the queue is not looked up before sending: SQS's
    answer to the send names a missing queue itself (the same reason, via aws_error_reason),
    so a new queue costs no GetQueueAttributes round trip. Only a denied key looks, because
    a missing queue is reported before a denial."""
    ref = engine.parse_queue_url(target.queue_url)
    if ref is None:
        return Gate(None, Status.FAILED, f"invalid SQS url {target.queue_url}")
    if ref.url_region and ref.url_region != target.region:
        return Gate(ref, Status.FAILED, (
            f"hook region {target.region} differs from the queue URL's region "
            f"{ref.url_region}: SQS answers QueueDoesNotExist"
        ))
    send_answers = not engine.embedded and target.auth_type != "resource"
    missing = None if send_answers else _missing(target, engine, checker, ref)
    if missing:
        return Gate(ref, Status.FAILED, missing)
    arn = ref.arn(target.region)
    if target.auth_type == "resource":
        try:
            decision = checker.check_resource(engine.local_url(ref), arn)
        except QueueUnavailable as exc:  # deleted since queue_problem() looked
            return Gate(ref, Status.FAILED, str(exc))
    elif target.auth_type == "role":
        decision = checker.check_role(target.role_arn, arn)
    else:
        decision = checker.check_keys_on_queue(target.key, engine.local_url(ref), arn)
    if decision.allowed:
        return Gate(ref)
    missing = _missing(target, engine, checker, ref) if send_answers else None
    return Gate(ref, Status.FAILED, missing) if missing else Gate(ref, Status.DENIED,
                                                                   decision.reason)


def _missing(target: SqsTarget, engine: SqsEngine, checker: PermissionChecker,
             ref: QueueRef) -> str | None:
    """Why the queue cannot be reached (remembered for the checker's TTL once found)."""
    return checker.queue_problem(engine.local_url(ref),
                                 lambda: queue_problem(engine, ref, target.region))


def queue_problem(engine: SqsEngine, ref: QueueRef, region: str) -> str | None:
    """None when the queue exists in that region; else why it cannot be reached."""
    if engine.embedded:  # in-process: no HTTP round trip per batch (sqs_fast)
        if not sqs_fast.known_region(region):
            return unknown_region_reason(region)
        if sqs_fast.queue_exists(engine.local_url(ref), region=region,
                                 account_id=ref.account_id):
            return None
        return missing_queue_reason(ref, region)
    try:
        engine.client("sqs", region).get_queue_attributes(
            QueueUrl=engine.local_url(ref), AttributeNames=["QueueArn"]
        )
    except ClientError as exc:
        return aws_error_reason(exc, ref, region)
    except BotoCoreError as exc:
        return f"SQS endpoint {engine.endpoint_url} unreachable: {exc}"
    return None


def aws_error_reason(exc: ClientError, ref: QueueRef, region: str) -> str:
    error: dict[str, Any] = exc.response.get("Error", {})
    code = error.get("Code", "")
    if "NonExistentQueue" in code or "QueueDoesNotExist" in code:
        return missing_queue_reason(ref, region)
    return f"SQS error {code}: {error.get('Message', exc)}"


def unknown_region_reason(region: str, what: str = "queue") -> str:
    """Embedded moto has no such region (a typo, or not AWS's): nothing can be there."""
    return (f"region {region!r} is not an AWS region (e.g. us-east-1, eu-west-1): no {what} "
            "can be there")


def missing_queue_reason(ref: QueueRef, region: str) -> str:
    return (f"queue {ref.name} does not exist in account {ref.account_id}, "
            f"region {region} (QueueDoesNotExist)")
