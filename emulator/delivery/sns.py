"""SNS hooks: one SNS `Publish` per event, in event order per hook.

`Message` is exactly the body an SQS hook gets (raw JSON, or base64(gzip) with compression),
measured by the same 256 KB rule; queues subscribed to the topic get moto's standard SNS
envelope (or the bare message with RawMessageDelivery). The embedded moto serves SNS on the
SQS port; with an external endpoint, SNS goes there too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..app_settings import AppSettings
from .context import DeliveryContext
from .encoding import body_size, encode_body, oversize_reason
from .records import Outcome, Status
from .retry import Circuit, send_with_retries
from .sns_targets import SnsTarget, TopicGate, publish, sns_targets, topic_gate


class SnsSender:
    hook_type = "sns"

    def __init__(self, context: DeliveryContext):
        self._ctx = context

    def targets(self, app: AppSettings) -> list[SnsTarget]:
        return sns_targets(app, self._ctx.settings.region)

    def send(self, target: SnsTarget, events: Sequence[dict[str, Any]],
             app: AppSettings) -> list[Outcome]:
        ctx = self._ctx
        gate = topic_gate(target, ctx.engine, ctx.permissions.for_region(target.region))
        circuit = Circuit(ctx.retry)
        base64 = ctx.body_base64()  # the same body an SQS hook gets
        return [
            self._send_one(target, gate, event,
                           encode_body(event, app.compress_payloads, base64), circuit)
            for event in events
        ]

    def reset(self) -> None:
        """Nothing is kept between batches (gates and circuits live for one batch)."""

    def close(self) -> None:
        """No threads of its own: publishes run on the dispatcher's caller."""

    def _send_one(self, target: SnsTarget, gate: TopicGate, event: dict[str, Any], body: str,
                  circuit: Circuit) -> Outcome:
        size = body_size(body)
        too_big = oversize_reason(size, "SNS")
        if too_big:
            return Outcome(Status.DROPPED_OVERSIZE, too_big, size)
        if gate.status is not None or gate.ref is None:
            return Outcome(Status(gate.status or Status.FAILED), gate.reason, size)
        ref = gate.ref
        group = event.get("type", "stream") if target.group_by_event else "stream-events"
        attempt = send_with_retries(
            lambda: publish(self._ctx.engine, ref, body, target.key, target.secret, group),
            circuit, self._ctx.faults,
        )
        if attempt.value is None:
            return Outcome(Status.FAILED, attempt.error, size, None, attempt.attempts)
        message_id, status, error = attempt.value
        if error:
            return Outcome(Status(status), error, size, None, attempt.attempts)
        return Outcome.delivered(size, message_id, attempt.attempts)
