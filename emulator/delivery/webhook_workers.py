"""The webhook hook type as a sender: one worker thread per webhook hook.

Deliveries to one hook stay in event order (a FIFO per hook), and a slow or hanging receiver
holds up only its own hook: `send` hands the batch to the hook's worker and returns a Future,
which the dispatcher waits for after every other hook's batch was sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ..app_settings import AppSettings
from .context import DeliveryContext
from .records import Outcome, Status
from .webhook import WebhookResult, WebhookSender, WebhookTarget, webhook_targets


class HookWorkers:
    def __init__(self) -> None:
        self._executors: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()
        self.closed = False

    def submit(self, hook_id: str, job: Callable[[], Any]) -> Future | None:
        """None once closed."""
        with self._lock:
            if self.closed:
                return None
            executor = self._executors.get(hook_id)
            if executor is None:
                executor = ThreadPoolExecutor(1, thread_name_prefix=f"webhook-{hook_id[:8]}")
                self._executors[hook_id] = executor
        return executor.submit(job)

    def close(self) -> None:
        """Stop taking work; queued batches end at once as failed, one in flight within its
        timeout."""
        with self._lock:
            self.closed = True
        self.clear()

    def clear(self) -> None:
        """Let every worker thread end once its queue is done (reset: hooks come and go)."""
        with self._lock:
            executors, self._executors = list(self._executors.values()), {}
        for executor in executors:
            executor.shutdown(wait=False)


class WebhookHookSender:
    hook_type = "webhook"

    def __init__(self, context: DeliveryContext) -> None:
        s = context.settings
        self.sender = WebhookSender(s.api_key, s.api_secret, s.webhook_timeout_ms,
                                    s.webhook_backoff_ms)
        self.workers = HookWorkers()

    def targets(self, app: AppSettings) -> list[WebhookTarget]:
        return webhook_targets(app)

    def send(self, target: WebhookTarget, events: Sequence[dict[str, Any]],
             app: AppSettings) -> Future:
        """A Future of one Outcome per event, in order (sent one after the other); it never
        raises: whatever goes wrong becomes a `failed` outcome."""
        compress = app.compress_payloads
        events = list(events)

        def job() -> list[Outcome]:
            outcomes = []
            for event in events:
                if self.workers.closed:
                    outcomes.append(Outcome(Status.FAILED, "not sent: the emulator stopped"))
                    continue
                try:
                    outcomes.append(as_outcome(self.sender.send(target.address, event, compress)))
                except Exception as exc:  # a record, never a lost event
                    outcomes.append(Outcome(Status.FAILED, f"not sent: {exc}"))
            return outcomes

        pending = self.workers.submit(target.hook_id, job)
        if pending is None:
            pending = Future()
            pending.set_result([Outcome(Status.FAILED, "not sent: the emulator stopped")]
                               * len(events))
        return pending

    def reset(self) -> None:
        """No state between batches; the threads of hooks that may be gone are let go."""
        self.workers.clear()

    def close(self) -> None:
        self.workers.close()
        self.sender.close()


def as_outcome(result: WebhookResult) -> Outcome:
    if result.delivered:
        return Outcome.delivered(result.size_bytes, result.webhook_id, result.attempts)
    return Outcome(Status.FAILED, result.reason, result.size_bytes, result.webhook_id,
                   result.attempts)
