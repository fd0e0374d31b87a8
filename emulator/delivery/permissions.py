"""Permission decisions for SQS and SNS hooks: gather the policies, then evaluate them
(policy.py). `check_keys`: the key's IAM user; `check_resource`: the queue's policy;
`check_role`: the role Stream's account assumes (its trust policy, then its own policies).

Speed vs freshness (the trade-off chosen):
- Embedded moto (`in_process=True`): policies are read straight from moto's backends, which
  costs microseconds and no HTTP, so every decision sees the current state and nothing is
  cached (`cache_ttl` defaults to 0). This relies on moto internals (users, access keys,
  policies, `Queue.policy`), pinned by the project's moto range and checked by a test that
  compares it with the API path on the same state.
- Any other endpoint (`in_process=False`): a keys (or role) decision costs ~6+ IAM round
  trips and a resource decision one GetQueueAttributes (which makes moto recount the whole
  queue), so decisions are memoised for `cache_ttl` seconds (default 1 s). A 20,000-event burst then
  pays a few look-ups per second instead of per event. The price: a policy change made through
  the AWS API is seen up to `cache_ttl` later, unless the caller calls `invalidate()` (do so
  after creating queues/policies through the emulator, and on reset).

`check_resource` raises `QueueUnavailable` when the queue is missing or SQS is unreachable, so
the caller records `failed` rather than `denied`. `check_keys` and `check_role` never raise:
an endpoint that does not speak IAM (ElasticMQ) is treated like an unknown key or role.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from emulator.config import STREAM_PRINCIPAL
from emulator.delivery.policy import (
    Decision,
    evaluate_identity,
    evaluate_resource_policy,
    resource_denial,
)
from emulator.delivery.policy_sources import (
    ApiPolicySource,
    IamUnavailable,
    InProcessPolicySource,
    PolicySource,
    QueueUnavailable,
)

__all__ = ["Decision", "PermissionChecker", "QueueUnavailable", "SEND_ACTION"]

SEND_ACTION = "sqs:SendMessage"  # AWS counts SendMessageBatch under SendMessage too
ASSUME_ACTION = "sts:AssumeRole"  # what a role's trust policy must allow Stream's account
_ROLE_ARN = re.compile(r"arn:aws(-cn|-us-gov)?:iam::\d{12}:role/[\w+=,.@/-]+")
_INVALID_TOKEN = "The security token included in the request is invalid (InvalidClientTokenId)"
_NO_ROLE = "AccessDenied on sts:AssumeRole"
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
        self._in_process = in_process
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

    def check_keys_on_queue(self, access_key_id: str, queue_url: str, queue_arn: str
                            ) -> Decision:
        """check_keys, then the queue's own `Policy`: its explicit Deny of the key's user,
        account or everyone denies too, as AWS decides (a queue policy that denies every
        principal stopped no keys hook here). Embedded moto only: moto enforces no policy,
        while a real endpoint does on the send itself, which costs no look-up per queue. A
        missing queue is left to the send to report."""
        decision = self.check_keys(access_key_id, queue_arn)
        if not decision.allowed or not self._in_process:
            return decision
        try:
            policy = self._memo(("queue-policy", queue_url),
                                lambda: self._source.queue_policy(queue_url, queue_arn))
        except QueueUnavailable:
            return decision
        return self.keys_denied_by(access_key_id, policy, SEND_ACTION, queue_arn) or decision

    def keys_denied_by(self, access_key_id: str, policy: dict[str, Any] | str | None,
                       action: str, resource_arn: str, kind: str = "queue") -> Decision | None:
        """The resource policy's explicit Deny of the key's caller, if there is one."""
        account = (resource_arn.split(":") + [""] * 5)[4]
        callers = [("an unknown caller", f"access key {access_key_id}")]  # only "*" names it
        try:
            identity = self._memo(("identity", access_key_id),
                                  lambda: self._source.identity(access_key_id))
        except IamUnavailable:
            identity = None
        if identity is not None:
            subject = f'IAM user "{identity.user_name}" (key {access_key_id})'
            callers = [(f"arn:aws:iam::{account}:user/{identity.user_name}", subject),
                       (f"arn:aws:iam::{account}:root", subject)]
        return resource_denial(policy, callers, action, resource_arn, kind=kind)

    def check_resource(self, queue_url: str, queue_arn: str) -> Decision:
        """May Stream's principal send to the queue, per its `Policy` attribute?

        Raises QueueUnavailable when the queue is missing or SQS cannot be reached.
        """

        def decide() -> Decision:
            policy = self._source.queue_policy(queue_url, queue_arn)
            return evaluate_resource_policy(policy, STREAM_PRINCIPAL, SEND_ACTION, queue_arn)

        return self._memo(("resource", queue_url, queue_arn), decide)

    def check_role(self, role_arn: str, resource_arn: str, action: str = SEND_ACTION) -> Decision:
        """May Stream's account assume `role_arn` (its trust policy), and may the role then do
        `action` on `resource_arn` (its permission policies)?"""
        return self._memo(
            ("role", role_arn, resource_arn, action),
            lambda: self._role(role_arn, resource_arn, action),
        )

    def _role(self, role_arn: str, resource_arn: str, action: str) -> Decision:
        if not _ROLE_ARN.fullmatch(role_arn or ""):
            prefix = action.split(":", 1)[0].lower()
            return Decision(False, f"{prefix}_role_arn {role_arn!r} is not an IAM role ARN "
                                   "(arn:aws:iam::<account>:role/<name>)")
        try:
            role = self._source.role(role_arn)
        except IamUnavailable as exc:
            return self._unknown(f"role {role_arn}",
                                 f" (the endpoint does not answer IAM calls: {exc})", _NO_ROLE)
        if role is None:
            return self._unknown(f"role {role_arn}", "", _NO_ROLE)
        trust = evaluate_resource_policy(role.trust_policy, STREAM_PRINCIPAL, ASSUME_ACTION,
                                         role_arn, kind="role's trust")
        if not trust.allowed:
            return Decision(False, f"Stream's account cannot assume role {role_arn}: "
                                   f"{trust.reason}")
        return evaluate_identity(
            [doc for _, doc in role.policies], action, resource_arn,
            subject=f'IAM role "{role.role_name}" (assumed by {STREAM_PRINCIPAL})',
            names=[label for label, _ in role.policies],
        )

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
            return self._unknown(f"access key {key}",
                                 f" (the endpoint does not answer IAM calls: {exc})")
        if identity is None:
            return self._unknown(f"access key {key}", "")
        subject = f'IAM user "{identity.user_name}" (key {key})'
        if not identity.key_active:
            owner = f'IAM user "{identity.user_name}"'
            return Decision(False, f"{_INVALID_TOKEN}: access key {key} of {owner} is inactive")
        labels = [label for label, _ in identity.policies]
        documents = [doc for _, doc in identity.policies]
        return evaluate_identity(documents, action, resource_arn, subject=subject, names=labels)

    def _unknown(self, what: str, detail: str, error: str = _INVALID_TOKEN) -> Decision:
        """An access key or role IAM does not know: denied with --strict-iam (`error` is what
        AWS would answer), else allowed, so hooks with made-up values work in casual use."""
        if self.strict_iam:
            return Decision(False, f"{error}: {what} is not known to IAM{detail}")
        return Decision(True, f"{what} unknown to the emulated IAM{detail}; allowed (lenient mode)")

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
