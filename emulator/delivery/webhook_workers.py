"""One worker thread per webhook hook.

Deliveries to one hook stay in event order (a FIFO per hook), and a slow or hanging receiver
holds up only its own hook: the dispatcher hands webhook sends to these workers, does the SQS
and SNS sends itself, and only then waits for the webhook outcomes.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from .. import timestamps
from ..app_settings import AppSettings
from .webhook import WebhookResult, WebhookSender, WebhookTarget, webhook_targets


class HookWorkers:
    def __init__(self) -> None:
        self._executors: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, hook_id: str, job: Callable[..., Any], *args: Any) -> Future:
        with self._lock:
            if self._closed:
                raise RuntimeError("the emulator is stopping: no more webhook deliveries")
            executor = self._executors.get(hook_id)
            if executor is None:
                executor = ThreadPoolExecutor(1, thread_name_prefix=f"webhook-{hook_id[:8]}")
                self._executors[hook_id] = executor
        return executor.submit(job, *args)

    def close(self) -> None:
        """Stop taking work; queued sends are cancelled, one in flight ends within its timeout."""
        with self._lock:
            self._closed = True
            executors, self._executors = list(self._executors.values()), {}
        for executor in executors:
            executor.shutdown(wait=False, cancel_futures=True)


class WebhookHooks:
    """The webhook hook type: targets of an app, and sends that run on the hook's worker."""

    hook_type = "webhook"

    def __init__(self, sender: WebhookSender) -> None:
        self.sender = sender
        self.workers = HookWorkers()

    def targets(self, app: AppSettings) -> list[WebhookTarget]:
        return webhook_targets(app)

    def send(self, target: WebhookTarget, events: list[dict[str, Any]],
             app: AppSettings) -> Future:
        """A Future of one WebhookResult per event, in order (sent one after the other)."""
        compress = app.compress_payloads
        return self.workers.submit(
            target.hook_id,
            lambda: [self.sender.send(target.address, event, compress) for event in events],
        )

    def close(self) -> None:
        self.workers.close()
        self.sender.close()


def results_or_failure(pending: Future, count: int) -> list[WebhookResult]:
    """Wait for a send; a cancelled or crashed one becomes `failed` records, never lost."""
    try:
        return pending.result()
    except (CancelledError, RuntimeError, OSError) as exc:
        reason = f"not sent: {exc or 'the emulator stopped'}"
        return [WebhookResult(False, reason, 0, "", 0)] * count


@dataclass(frozen=True)
class Started:
    target: WebhookTarget
    events: list[dict[str, Any]]
    pending: Future


def start_webhooks(hooks: WebhookHooks | None, events: list[dict[str, Any]],
                   app: AppSettings) -> list[Started]:
    """Hand every matching (event, webhook hook) to the hook's worker; returns at once."""
    started: list[Started] = []
    for target in hooks.targets(app) if hooks else ():
        wanted = [event for event in events if target.wants(event["type"])]
        if not wanted:
            continue
        try:
            pending = hooks.send(target, wanted, app)
        except RuntimeError as exc:  # stopping: record the events as failed, not lost
            pending = Future()
            pending.set_exception(exc)
        started.append(Started(target, wanted, pending))
    return started


def finish_webhooks(started: list[Started]) -> list[dict[str, Any]]:
    """Wait for the sends; one ledger record per (event, webhook hook)."""
    records = []
    for item in started:
        results = results_or_failure(item.pending, len(item.events))
        for event, result in zip(item.events, results, strict=True):
            records.append(webhook_record(event, item.target, result))
    return records


def webhook_record(event: dict[str, Any], target: WebhookTarget,
                   result: WebhookResult) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "event_type": event["type"],
        "hook_id": target.hook_id,
        "hook_type": "webhook",
        "target": target.address,
        "status": "delivered" if result.delivered else "failed",
        "reason": result.reason,
        "size_bytes": result.size_bytes,
        "message_id": result.webhook_id or None,
        "attempts": result.attempts,
        "at": timestamps.rfc3339(timestamps.utcnow()),
    }
