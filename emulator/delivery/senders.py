"""The interface between the dispatcher and one module per hook type (sqs.py, …).

A sender names the targets of its hook type in an app (enabled hooks, plus the legacy
top-level fields) and sends one target's share of a batch of events, in order, reporting one
`Outcome` per event. It may answer with a Future of them, or one Future per event, instead
(webhooks: a worker thread per hook): the dispatcher records each when it resolves, and
waits for it only as long as its caller asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any, Protocol

from ..app_settings import AppSettings
from .context import DeliveryContext
from .records import Outcome
from .sns import SnsSender
from .sqs import SqsSender
from .webhook_workers import WebhookHookSender


class HookTarget(Protocol):
    hook_id: str

    @property
    def address(self) -> str:
        """What the delivery record names as `target`: queue URL, topic ARN, webhook URL."""

    def wants(self, event_type: str) -> bool: ...


Sent = list[Outcome] | list[Future] | Future  # Future[Outcome] each, or Future[list[Outcome]]


class Sender(Protocol):
    hook_type: str  # "sqs" | "sns" | "webhook": the records' hook_type

    def targets(self, app: AppSettings) -> Sequence[HookTarget]: ...

    def send(self, target: Any, events: Sequence[dict[str, Any]], app: AppSettings) -> Sent:
        """One Outcome per event, in the events' order."""

    def reset(self) -> None:
        """Forget what was cached between batches (called by the backend's reset)."""

    def close(self) -> None:
        """Stop the threads the sender owns, if any (called when the backend stops)."""


def build_senders(context: DeliveryContext) -> list[Sender]:
    """Every hook type that delivers; the order is the order of records per event."""
    return [SqsSender(context), SnsSender(context), WebhookHookSender(context)]
