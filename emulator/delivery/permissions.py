"""Permission decisions for SQS hooks: gather the policies, then evaluate them (policy.py).

Speed vs freshness (the trade-off chosen):
- Embedded moto (`in_process=True`): policies are read straight from moto's backends, which
  costs microseconds and no HTTP, so every decision sees the current state and nothing is
  cached (`cache_ttl` defaults to 0). This relies on moto internals (users, access keys,
  policies, `Queue.policy`), pinned by the project's moto range and checked by a test that
  compares it with the API path on the same state.
- Any other endpoint (`in_process=False`): a keys decision costs ~6+ IAM round trips and a
  resource decision one GetQueueAttributes (which makes moto recount the whole queue), so
  decisions are memoised for `cache_ttl` seconds (default 1 s). A 20,000-event burst then
  pays a few look-ups per second instead of per event. The price: a policy change made through
  the AWS API is seen up to `cache_ttl` later, unless the caller calls `invalidate()` (do so
  after creating queues/policies through the emulator, and on reset).

`check_resource` raises `QueueUnavailable` when the queue is missing or SQS is unreachable, so
the caller records `failed` rather than `denied`. `check_keys` never raises: an endpoint that
does not speak IAM (ElasticMQ) is treated like an unknown key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from emulator.config import STREAM_PRINCIPAL
from emulator.delivery.policy import Decision, evaluate_identity, evaluate_resource_policy
from emulator.delivery.policy_sources import (
    ApiPolicySource,
    IamUnavailable,
    InProcessPolicySource,
    PolicySource,
    QueueUnavailable,
)

__all__ = ["Decision", "PermissionChecker", "QueueUnavailable", "SEND_ACTION"]

SEND_ACTION = "sqs:SendMessage"  # AWS counts SendMessageBatch under SendMessage too
_INVALID_TOKEN = "The security token included in the request is invalid (InvalidClientTokenId)"
_MAX_CACHED = 10_000
_T = TypeVar("_T")


class PermissionChecker:
    def __init__(
        self,
        iam_client: Any,
        sqs_client: Any,
        strict_iam: bool = False,
        *,
        in_process: bool = False,
        cache_ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`in_process=True` reads moto's memory (clients may then be None); see module doc."""
        self.strict_iam = strict_iam
        self._source: PolicySource = (
            InProcessPolicySource() if in_process else ApiPolicySource(iam_client, sqs_client)
        )
        self._ttl = (0.0 if in_process else 1.0) if cache_ttl is None else cache_ttl
        self._clock = clock
        self._cache: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget memoised decisions (after the caller changed IAM or queue state)."""
        with self._lock:
            self._cache.clear()

    def check_keys(
        self, access_key_id: str, resource_arn: str, action: str = SEND_ACTION
    ) -> Decision:
        """May the IAM user owning `access_key_id` do `action` (default: send to a queue) on
        `resource_arn`, per its identity policies? SNS hooks ask for `sns:Publish`."""
        return self._memo(
            ("keys", access_key_id, resource_arn, action),
            lambda: self._keys(access_key_id, resource_arn, action),
        )

    def check_resource(self, queue_url: str, queue_arn: str) -> Decision:
        """May Stream's principal send to the queue, per its `Policy` attribute?

        Raises QueueUnavailable when the queue is missing or SQS cannot be reached.
        """

        def decide() -> Decision:
            policy = self._source.queue_policy(queue_url, queue_arn)
            return evaluate_resource_policy(policy, STREAM_PRINCIPAL, SEND_ACTION, queue_arn)

        return self._memo(("resource", queue_url, queue_arn), decide)

    def _keys(self, key: str, resource_arn: str, action: str) -> Decision:
        if not key:  # AWS would get an unsigned request; PATCH /app validation should prevent it
            prefix = action.split(":", 1)[0].lower()
            return Decision(
                False, f"no access key configured ({prefix}_auth_type keys needs {prefix}_key)"
            )
        try:
            # The identity (user, key state, policies) does not depend on the queue: one
            # look-up per key and TTL serves every queue it sends to (new queues too).
            identity = self._memo(("identity", key), lambda: self._source.identity(key))
        except IamUnavailable as exc:
            return self._unknown_key(key, f" (the endpoint does not answer IAM calls: {exc})")
        if identity is None:
            return self._unknown_key(key, "")
        subject = f'IAM user "{identity.user_name}" (key {key})'
        if not identity.key_active:
            owner = f'IAM user "{identity.user_name}"'
            return Decision(False, f"{_INVALID_TOKEN}: access key {key} of {owner} is inactive")
        labels = [label for label, _ in identity.policies]
        documents = [doc for _, doc in identity.policies]
        return evaluate_identity(documents, action, resource_arn, subject=subject, names=labels)

    def _unknown_key(self, key: str, detail: str) -> Decision:
        if self.strict_iam:
            return Decision(
                False, f"{_INVALID_TOKEN}: access key {key} is not known to IAM{detail}"
            )
        return Decision(
            True, f"access key {key} unknown to the emulated IAM{detail}; allowed (lenient mode)"
        )

    def queue_problem(self, queue_url: str, look: Callable[[], str | None]) -> str | None:
        """`look()`: None when the queue exists, else why not. A queue found over the API is
        remembered for the TTL, like the decisions (a send to one deleted since then gets
        SQS's own QueueDoesNotExist); a missing one is looked up again every time."""
        key = ("queue", queue_url)
        now = self._clock()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return None
        problem = look()
        if problem is None and self._ttl > 0:
            with self._lock:
                self._cache[key] = (now + self._ttl, Decision(True, "queue exists"))
        return problem

    def _memo(self, key: Hashable, decide: Callable[[], _T]) -> _T:
        """decide(), remembered for the TTL (an exception is not remembered)."""
        if self._ttl <= 0:
            return decide()
        now = self._clock()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        decision = decide()  # outside the lock: look-ups may take a while
        with self._lock:
            if len(self._cache) >= _MAX_CACHED:
                self._cache.clear()  # crude bound; entries live ~1 s anyway
            self._cache[key] = (now + self._ttl, decision)
        return decision
