"""SQS hooks: one SQS message per event, in event order per hook.

Per event: encode the body → 256 KB rule → the target's gate (URL, region, queue,
permission; looked up once per batch) → send, retrying transient failures. The embedded
queue takes each message in-process; an external endpoint gets SendMessageBatch
(sqs_batch.py), or one SendMessage per event with STREAM_EMULATOR_SQS_SEND=single.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .. import sqs_fast
from ..app_settings import AppSettings
from ..sqs_engine import QueueRef
from .context import DeliveryContext
from .encoding import encoded_body, oversize_reason
from .records import Outcome, Status
from .retry import Circuit, TransientSendError, send_with_retries
from .sqs_batch import BatchSender, send_batched
from .sqs_targets import Gate, SqsTarget, aws_error_reason, gate_for, sqs_targets


class SqsSender:
    hook_type = "sqs"

    def __init__(self, context: DeliveryContext):
        self._ctx = context
        self._batcher = BatchSender(context.faults, context.settings.send_concurrency)

    def targets(self, app: AppSettings) -> list[SqsTarget]:
        return sqs_targets(app, self._ctx.engine, self._ctx.settings.region)

    def send(self, target: SqsTarget, events: Sequence[dict[str, Any]],
             app: AppSettings) -> list[Outcome] | Future:
        ctx = self._ctx
        gate = gate_for(target, ctx.engine, ctx.permissions.for_region(target.region))
        circuit = Circuit(ctx.retry)
        base64 = ctx.body_base64()
        bodies = [encoded_body(event, app.compress_payloads, base64) for event in events]
        if not ctx.engine.embedded and ctx.settings.sqs_send == "batch":
            return send_batched(self._batcher, ctx.engine, target, gate,
                                [body for body, _ in bodies], circuit)
        local_url = ctx.engine.local_url(gate.ref) if gate.ref is not None else ""
        return [self._send_one(target, gate, local_url, body, size, circuit)
                for body, size in bodies]

    def reset(self) -> None:
        """Nothing is kept between batches (gates and circuits live for one batch)."""

    def close(self) -> None:
        """Stop the SendMessageBatch pools (the server calls it when it stops)."""
        self._batcher.shutdown()

    def _send_one(self, target: SqsTarget, gate: Gate, local_url: str, body: str, size: int,
                  circuit: Circuit) -> Outcome:
        too_big = oversize_reason(size)
        if too_big:
            return Outcome(Status.DROPPED_OVERSIZE, too_big, size)
        if gate.status is not None or gate.ref is None:
            return Outcome(gate.status or Status.FAILED, gate.reason, size)
        ref = gate.ref
        attempt = send_with_retries(lambda: self._send(target, ref, local_url, body), circuit,
                                    self._ctx.faults)
        if attempt.value is None:
            return Outcome(Status.FAILED, attempt.error, size, None, attempt.attempts)
        message_id, error = attempt.value
        if error:
            return Outcome(Status.FAILED, error, size, None, attempt.attempts)
        return Outcome.delivered(size, message_id, attempt.attempts)

    def _send(self, target: SqsTarget, ref: QueueRef, local_url: str,
              body: str) -> tuple[str | None, str]:
        """One attempt: (message id, "") or (None, permanent error); transient errors raise.
        `local_url`: `engine.local_url(ref)`, worked out once per batch."""
        engine = self._ctx.engine
        try:
            if engine.embedded:
                # In-process: same result as SendMessage without HTTP (sqs_fast module).
                sent = sqs_fast.send_direct(
                    local_url, body, region=target.region, account_id=ref.account_id
                )
                return sent.message_id, ""
            client = engine.client("sqs", target.region, target.key, target.secret)
            return client.send_message(QueueUrl=local_url, MessageBody=body)["MessageId"], ""
        except ClientError as exc:
            if "Throttl" in exc.response.get("Error", {}).get("Code", ""):
                raise TransientSendError(f"SQS answered {exc}") from None
            return None, aws_error_reason(exc, ref, target.region)
        except BotoCoreError as exc:
            raise TransientSendError(
                f"SQS endpoint {engine.endpoint_url} unreachable: {exc}"
            ) from None
        except sqs_fast.FastSQSError as exc:
            return None, f"SQS SendMessage failed: {exc}"
