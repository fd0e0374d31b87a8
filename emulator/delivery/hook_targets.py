"""What SQS and SNS hooks share: where their settings live, and one target per hook.

An SQS or SNS target is an enabled hook of that type, or the legacy top-level fields
(`sqs_url`/`sqs_key`/`sqs_secret`, `sns_topic_arn`/`sns_key`/`sns_secret`, filtered by
`webhook_events`). The two hook types name their fields alike (`<prefix>_region`,
`<prefix>_auth_type`, `<prefix>_key`, …), so one reader serves both; what differs (the field
naming the queue or topic, how a legacy value yields a region, SNS's FIFO grouping) is said by
an `AwsHookKind` and by the target class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..app_settings import AppSettings, EventHook
from .records import Status


@dataclass(frozen=True)
class AwsHookKind:
    """Where one AWS hook type keeps its settings, in a hook and at the app's top level."""

    prefix: str  # "sqs" | "sns": the hook_type, and the prefix of its fields
    address_field: str  # the hook field naming the queue or topic
    legacy_address_field: str  # the top-level field doing the same
    legacy_hook_id: str  # the ledger's hook_id for deliveries to the legacy fields

    def field(self, name: str) -> str:
        return f"{self.prefix}_{name}"


def wants_event(event_types: tuple[str, ...], event_type: str) -> bool:
    """Empty event_types = all current and future events (Stream docs)."""
    return not event_types or event_type in event_types


@dataclass(frozen=True)
class AwsTarget:
    hook_id: str
    address: str  # queue URL or topic ARN: the ledger record's `target`
    region: str
    auth_type: str  # keys | resource | role
    key: str
    secret: str
    event_types: tuple[str, ...]
    role_arn: str = ""  # role auth: the IAM role Stream's account assumes

    def wants(self, event_type: str) -> bool:
        return wants_event(self.event_types, event_type)

    @classmethod
    def hook_extras(cls, hook: EventHook) -> dict[str, Any]:
        """Fields a subclass reads from a hook beyond the shared ones (none here)."""
        return {}


T = TypeVar("T", bound=AwsTarget)


def aws_targets(app: AppSettings, kind: AwsHookKind, cls: type[T],
                legacy_region: Callable[[str], str | None], default_region: str) -> list[T]:
    """Enabled hooks of `kind`, then the legacy top-level target if the app has one.

    `legacy_region(address)`: the region a legacy queue URL or topic ARN names (the legacy
    settings have no region field), or None, and then `default_region` is used.
    """
    targets = [
        cls(hook_id=hook.id, address=hook.get(kind.address_field),
            region=hook.get(kind.field("region")),
            auth_type=hook.get(kind.field("auth_type")) or "keys",
            key=hook.get(kind.field("key")), secret=hook.get(kind.field("secret")),
            event_types=hook.event_types, role_arn=hook.get(kind.field("role_arn")) or "",
            **cls.hook_extras(hook))
        for hook in app.event_hooks
        if hook.hook_type == kind.prefix and hook.enabled
    ]
    legacy = app.get(kind.legacy_address_field)
    if legacy:
        targets.append(cls(
            hook_id=kind.legacy_hook_id, address=legacy,
            region=legacy_region(legacy) or default_region, auth_type="keys",
            key=app.get(kind.field("key")), secret=app.get(kind.field("secret")),
            event_types=tuple(app.get("webhook_events")),
        ))
    return targets


R = TypeVar("R")


@dataclass(frozen=True)
class Gate(Generic[R]):
    """What stops every message to a target, looked up once per batch: closed with the
    status and reason each message gets, or open (`status` None) with the parsed address."""

    ref: R | None
    status: Status | None = None  # None: open
    reason: str = ""
