"""The webhook hook type as a sender: one background worker (a FIFO and a thread) per hook.

As in Stream, nobody waits for a webhook: `send` queues each event on its hook's worker and
answers at once with one Future per event; the dispatcher writes each record to the ledger
when that event's attempts end. Deliveries to one hook stay in event order, and a slow or
hanging receiver holds up only its own hook. The threads are daemons: a receiver that hangs
never keeps the process alive; reset and close stop the workers without waiting for them
(events still queued end at once, unsent; a send in flight ends within its timeout).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from ..app_settings import AppSettings
from .context import DeliveryContext
from .records import Outcome, Status
from .webhook import WebhookResult, WebhookSender, WebhookTarget, webhook_targets

Job = Callable[[], Outcome]


class HookWorker:
    """One hook's FIFO, worked through by one daemon thread until `stop`."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future, Job] | None] = queue.SimpleQueue()
        self.stopped = ""  # why it stopped: queued events then end unsent, with this reason
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    def put(self, future: Future, job: Job) -> None:
        self._jobs.put((future, job))

    def stop(self, reason: str) -> None:
        self.stopped = reason
        self._jobs.put(None)  # the thread ends once it reaches this

    def _run(self) -> None:
        while (item := self._jobs.get()) is not None:
            future, job = item
            if self.stopped:
                future.set_result(Outcome(Status.FAILED, f"not sent: {self.stopped}"))
                continue
            try:
                future.set_result(job())
            except Exception as exc:  # a record, never a lost event
                future.set_result(Outcome(Status.FAILED, f"not sent: {exc}"))


class HookWorkers:
    def __init__(self) -> None:
        self._workers: dict[str, HookWorker] = {}
        self._lock = threading.Lock()
        self.closed = False

    def submit(self, hook_id: str, job: Job) -> Future:
        """The Future of the job's Outcome, run after every job submitted before for the hook."""
        future: Future = Future()
        with self._lock:
            if self.closed:
                future.set_result(Outcome(Status.FAILED, "not sent: the emulator stopped"))
                return future
            worker = self._workers.get(hook_id)
            if worker is None:
                worker = self._workers[hook_id] = HookWorker(f"webhook-worker-{hook_id}")
            worker.put(future, job)
        return future

    def threads(self) -> list[threading.Thread]:
        with self._lock:
            return [worker.thread for worker in self._workers.values()]

    def close(self) -> None:
        with self._lock:
            self.closed = True
        self.clear("the emulator stopped")

    def clear(self, reason: str = "the emulator was reset") -> None:
        """Stop every worker without waiting: what was queued ends unsent at once."""
        with self._lock:
            workers, self._workers = list(self._workers.values()), {}
        for worker in workers:
            worker.stop(reason)


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
             app: AppSettings) -> list[Future]:
        """One Future per event, each resolving to its Outcome (never raising) when that
        event's attempts end; the events are sent one after the other, in order."""
        compress = app.compress_payloads

        def job(event: dict[str, Any]) -> Job:
            return lambda: as_outcome(self.sender.send(target.address, event, compress))

        return [self.workers.submit(target.hook_id, job(event)) for event in events]

    def reset(self) -> None:
        """The hooks may be gone: their workers stop, and new ones start on the next send."""
        self.workers.clear()

    def close(self) -> None:
        self.workers.close()
        self.sender.close()


def as_outcome(result: WebhookResult) -> Outcome:
    if result.delivered:
        return Outcome.delivered(result.size_bytes, result.webhook_id, result.attempts)
    return Outcome(Status.FAILED, result.reason, result.size_bytes, result.webhook_id,
                   result.attempts)
