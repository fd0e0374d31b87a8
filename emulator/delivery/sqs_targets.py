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
from .permissions import PermissionChecker, QueueUnavailable
from .records import Status

LEGACY_HOOK_ID = "legacy-sqs-url"


@dataclass(frozen=True)
class SqsTarget:
    hook_id: str
    queue_url: str
    region: str
    auth_type: str  # keys | resource
    key: str
    secret: str
    event_types: tuple[str, ...]

    @property
    def address(self) -> str:
        return self.queue_url

    def wants(self, event_type: str) -> bool:
        """Empty event_types = all current and future events (Stream docs)."""
        return not self.event_types or event_type in self.event_types


def sqs_targets(app: AppSettings, engine: SqsEngine, default_region: str) -> list[SqsTarget]:
    """`default_region`: the region of a legacy `sqs_url` whose host names none."""
    targets = [
        SqsTarget(
            hook_id=hook.id,
            queue_url=hook.get("sqs_queue_url"),
            region=hook.get("sqs_region"),
            auth_type=hook.get("sqs_auth_type") or "keys",
            key=hook.get("sqs_key"),
            secret=hook.get("sqs_secret"),
            event_types=hook.event_types,
        )
        for hook in app.event_hooks
        if hook.hook_type == "sqs" and hook.enabled
    ]
    legacy_url = app.get("sqs_url")
    if legacy_url:
        ref = engine.parse_queue_url(legacy_url)
        targets.append(
            SqsTarget(
                hook_id=LEGACY_HOOK_ID,
                queue_url=legacy_url,
                # The legacy settings have no region field: it comes from the URL.
                region=(ref.url_region if ref else None) or default_region,
                auth_type="keys",
                key=app.get("sqs_key"),
                secret=app.get("sqs_secret"),
                event_types=tuple(app.get("webhook_events")),
            )
        )
    return targets


@dataclass(frozen=True)
class Gate:
    """What stops every message to a target: (status, reason), or open with the queue ref."""

    ref: QueueRef | None
    status: Status | None = None  # None: open
    reason: str = ""


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
    else:
        decision = checker.check_keys(target.key, arn)
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


def missing_queue_reason(ref: QueueRef, region: str) -> str:
    return (f"queue {ref.name} does not exist in account {ref.account_id}, "
            f"region {region} (QueueDoesNotExist)")
