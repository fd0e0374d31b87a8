"""Delivers events to every matching SQS target and writes one ledger record per pair.

Per event and target: encode the body → 256 KB rule → the target's gate (URL, region,
queue, permission) → send. Deliveries are serialized so that, per hook, messages reach the
queue in event order.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import sqs_fast, timestamps
from ..app_settings import AppSettings
from ..sqs_engine import QueueRef, SqsEngine
from .encoding import body_size, encode_body, oversize_reason
from .faults import FaultInjector, RetryPolicy, TransientSendError
from .ledger import Ledger
from .permissions import PermissionChecker
from .targets import Gate, Target, aws_error_reason, open_gate, targets_for
from .webhook_workers import WebhookHooks, finish_webhooks, start_webhooks


class Dispatcher:
    def __init__(self, engine: SqsEngine, ledger: Ledger, strict_iam: bool,
                 retry: RetryPolicy | None = None, always_base64: bool = False,
                 webhooks: WebhookHooks | None = None):
        self.engine = engine
        self.webhooks = webhooks
        self.always_base64 = always_base64
        self.ledger = ledger
        self.strict_iam = strict_iam
        self.retry = retry or RetryPolicy()
        self.faults = FaultInjector()
        self._lock = threading.Lock()
        self._checkers: dict[str, PermissionChecker] = {}

    def deliver(self, events: list[dict[str, Any]], app: AppSettings) -> list[dict[str, Any]]:
        with self._lock:
            # Enqueued first, under the lock (per-hook order); they run on the hooks' own
            # workers while the SQS sends happen here, and are waited for after the lock.
            webhooks = start_webhooks(self.webhooks, events, app)
            targets = targets_for(app, self.engine)
            gates: dict[str, Gate] = {}
            down: set[str] = set()  # targets whose last send exhausted its retries
            records = []
            for event in events:
                for target in targets:
                    if not target.wants(event["type"]):
                        continue
                    if target.hook_id not in gates:
                        gates[target.hook_id] = open_gate(
                            target, self.engine, self.checker(target.region)
                        )
                    body = encode_body(event, app.compress_payloads, self.always_base64)
                    records.append(
                        self._deliver_one(event, target, gates[target.hook_id], body, down)
                    )
            self.ledger.add_many(records)
        if webhooks:
            sent = finish_webhooks(webhooks)
            self.ledger.add_many(sent)
            records = records + sent
        return records

    def close(self) -> None:
        if self.webhooks is not None:
            self.webhooks.close()

    def checker(self, region: str) -> PermissionChecker:
        if region not in self._checkers:
            # Embedded moto: read IAM and queue policies in-process (µs, never stale);
            # an external endpoint: over the API, memoised for a second.
            embedded = self.engine.embedded
            self._checkers[region] = PermissionChecker(
                None if embedded else self.engine.client("iam", region),
                None if embedded else self.engine.client("sqs", region),
                strict_iam=self.strict_iam,
                in_process=embedded,
            )
        return self._checkers[region]

    def forget_decisions(self) -> None:
        for checker in self._checkers.values():
            checker.invalidate()

    def _deliver_one(
        self, event: dict, target: Target, gate: Gate, body: str, down: set[str]
    ) -> dict:
        size = body_size(body)
        record = {
            "id": str(uuid.uuid4()),
            "event_type": event["type"],
            "hook_id": target.hook_id,
            "hook_type": "sqs",
            "target": target.queue_url,
            "status": "delivered",
            "reason": "",
            "size_bytes": size,
            "message_id": None,
            "at": timestamps.rfc3339(timestamps.utcnow()),
        }
        too_big = oversize_reason(size)
        if too_big:
            record.update(status="dropped_oversize", reason=too_big)
        elif gate.status:
            record.update(status=gate.status, reason=gate.reason)
        else:
            message_id, error = self._send_with_retries(target, gate.ref, body, down)
            if error:
                record.update(status="failed", reason=error)
            record["message_id"] = message_id
        return record

    def _send_with_retries(
        self, target: Target, ref: QueueRef, body: str, down: set[str]
    ) -> tuple[str | None, str]:
        # Circuit breaker: once a target exhausted its retries in this batch, the next
        # events get one attempt each until one goes through, so an outage during a burst
        # costs milliseconds per event, not the whole backoff.
        delays = [] if target.hook_id in down else self.retry.delays()
        for attempt in range(len(delays) + 1):
            try:
                self.faults.before_send()
                result = self._send(target, ref, body)
                down.discard(target.hook_id)
                return result
            except TransientSendError as exc:
                if attempt == len(delays):
                    down.add(target.hook_id)
                    return None, f"{exc}; gave up after {attempt + 1} attempt(s)"
                time.sleep(delays[attempt])
        raise AssertionError("the loop always returns")

    def _send(self, target: Target, ref: QueueRef, body: str) -> tuple[str | None, str]:
        """One attempt: (message id, "") or (None, permanent error); transient errors raise."""
        local_url = self.engine.local_url(ref)
        try:
            if self.engine.embedded:
                # In-process: same result as SendMessage without HTTP (sqs_fast module).
                sent = sqs_fast.send_direct(
                    local_url, body, region=target.region, account_id=ref.account_id
                )
                return sent.message_id, ""
            client = self.engine.client("sqs", target.region, target.key, target.secret)
            return client.send_message(QueueUrl=local_url, MessageBody=body)["MessageId"], ""
        except ClientError as exc:
            if "Throttl" in exc.response.get("Error", {}).get("Code", ""):
                raise TransientSendError(f"SQS answered {exc}") from None
            return None, aws_error_reason(exc, ref, target.region)
        except BotoCoreError as exc:
            raise TransientSendError(
                f"SQS endpoint {self.engine.endpoint_url} unreachable: {exc}"
            ) from None
        except sqs_fast.FastSQSError as exc:
            return None, f"SQS SendMessage failed: {exc}"
