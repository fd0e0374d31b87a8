"""IAM policy evaluation for the auth types of SQS and SNS hooks: pure, no I/O.

moto stores queue policies and IAM policies but enforces neither (a queue Policy with an
explicit Deny still accepts SendMessage; moto's IAM auth would apply to every caller of the
server and its 403s misparse under the JSON protocol), so the emulator decides itself:

- `sqs_auth_type: keys` → `evaluate_identity`: the identity policies of the key's IAM user
  (its own and its groups'). Default deny; an Allow that matches allows; an explicit Deny wins.
- `sqs_auth_type: resource` → `evaluate_resource_policy`: the queue's `Policy` attribute must
  allow Stream's principal. Same rules, plus Principal/NotPrincipal matching.
- `sqs_auth_type: role` → both: the role's trust policy (a resource policy on the role) must
  let Stream's principal `sts:AssumeRole`, then the role's own policies decide as for `keys`.
SNS hooks use the same functions with `sns:Publish` and the topic's `Policy`.

Deliberate simplifications (each shows up in the reason when it matters):
- A statement with a `Condition` is never evaluated; it counts as *no match*, both for Allow
  and for Deny. AWS would evaluate it, so a policy relying on conditions is reported, not
  guessed.
- Wildcards are matched over the whole string (`*`, `?`), actions case-insensitively and
  resources case-sensitively; policy variables such as `${aws:username}` are literal.
- A malformed document (AWS would refuse to store it) denies, with a reason saying what is
  wrong; these functions never raise for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from emulator.delivery.policy_parse import MalformedPolicy, Statement, glob_match, parse_statements

_ACCOUNT_ID = re.compile(r"\d{12}")
_MAX_HINTS = 3


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # a human sentence; for denials it names what was missing or what denied


@dataclass
class _Scan:
    deny: tuple[str, Statement] | None = None
    allow: tuple[str, Statement] | None = None
    conditional_allows: list[tuple[str, Statement]] = field(default_factory=list)
    conditional_denies: list[tuple[str, Statement]] = field(default_factory=list)
    near_misses: list[tuple[str, Statement, str]] = field(default_factory=list)


def evaluate_identity(
    policies: list[dict[str, Any] | str],
    action: str,
    resource: str,
    *,
    subject: str = "the identity",
    names: Sequence[str] | None = None,
) -> Decision:
    """Decide `action` on `resource` from identity-based policies (a user's and its groups').

    `subject` (e.g. 'IAM user "alice" (key AKIA…)') and `names` (one label per policy, e.g.
    'inline policy "send" of user "alice"') only shape the reason.
    """
    given = list(names or [])
    labels = [
        given[i] if i < len(given) else f"identity policy #{i + 1}" for i in range(len(policies))
    ]
    parsed: list[tuple[str, list[Statement]]] = []
    for label, doc in zip(labels, policies, strict=True):
        try:
            parsed.append((label, parse_statements(doc, resource_policy=False)))
        except MalformedPolicy as exc:
            return Decision(False, f"{label} is malformed: {exc}; {subject} is denied")
    scan = _scan(parsed, action, resource, principal=None)
    wanted = f"{action} on {resource}"
    if scan.deny:
        where, st = scan.deny
        return Decision(
            False, f"explicitly denied by {st.label} of {where}: {subject} may not {wanted}"
        )
    if scan.allow:
        where, st = scan.allow
        reason = f"{subject} is allowed {wanted} by {st.label} of {where}"
        return Decision(True, reason + _ignored_denies(scan))
    reason = f"{subject} has no policy allowing {wanted}"
    if not policies:
        reason += " (it has no policies at all)"
    return Decision(False, reason + _hints(scan, action))


def evaluate_resource_policy(
    policy: dict[str, Any] | str | None, principal: str, action: str, resource: str,
    *, kind: str = "queue",
) -> Decision:
    """Decide whether the resource policy lets `principal` perform `action` on `resource`.

    `kind` ("queue" for SQS, "topic" for SNS) only shapes the reason.
    """
    wanted = f"principal {principal} to {action} on {resource}"
    if _is_empty(policy):
        return Decision(
            False, f"the {kind} has no policy (empty Policy attribute), so nothing allows {wanted}"
        )
    try:
        statements = parse_statements(policy, resource_policy=True)  # type: ignore[arg-type]
    except MalformedPolicy as exc:
        return Decision(False, f"the {kind} policy is malformed: {exc}; denied")
    if not statements:
        return Decision(
            False, f"the {kind} has no policy (no statements), so nothing allows {wanted}"
        )
    scan = _scan([(f"the {kind} policy", statements)], action, resource, principal)
    if scan.deny:
        _, st = scan.deny
        return Decision(
            False,
            f"explicitly denied by {st.label} of the {kind} policy: "
            f"principal {principal} may not {action} on {resource}",
        )
    if scan.allow:
        _, st = scan.allow
        reason = f"allowed by {st.label} of the {kind} policy: principal {principal} may {action}"
        reason += f" on {resource}"
        return Decision(True, reason + _ignored_denies(scan))
    return Decision(
        False, f"{kind} policy has no statement allowing {wanted}" + _hints(scan, action)
    )


def resource_denial(
    policy: dict[str, Any] | str | None, callers: Sequence[tuple[str, str]], action: str,
    resource: str, *, kind: str = "queue",
) -> Decision | None:
    """The Decision of an explicit Deny in a resource policy naming one of `callers`
    ((principal, label) pairs) or everyone, else None. AWS applies such a Deny to every
    request, the resource account's own IAM users' included (keys auth); a malformed policy
    denies no one here (AWS would not have stored it)."""
    if _is_empty(policy):
        return None
    try:
        statements = parse_statements(policy, resource_policy=True)  # type: ignore[arg-type]
    except MalformedPolicy:
        return None
    for principal, label in callers:
        scan = _scan([(f"the {kind} policy", statements)], action, resource, principal)
        if scan.deny:
            _, st = scan.deny
            return Decision(False, f"explicitly denied by {st.label} of the {kind} policy: "
                                   f"{label} may not {action} on {resource}")
    return None


def _scan(
    docs: list[tuple[str, list[Statement]]], action: str, resource: str, principal: str | None
) -> _Scan:
    scan = _Scan()
    for where, statements in docs:
        for st in statements:
            failed = _failures(st, action, resource, principal)
            if st.effect == "Deny":
                if not failed and st.conditions:
                    scan.conditional_denies.append((where, st))
                elif not failed and scan.deny is None:
                    scan.deny = (where, st)
            elif failed:
                if len(failed) == 1:
                    scan.near_misses.append((where, st, failed[0]))
            elif st.conditions:
                scan.conditional_allows.append((where, st))
            elif scan.allow is None:
                scan.allow = (where, st)
    return scan


def _failures(st: Statement, action: str, resource: str, principal: str | None) -> tuple[str, ...]:
    failed = []
    if principal is not None and not _principal_ok(st, principal):
        failed.append("principal")
    if any(glob_match(p, action, ignore_case=True) for p in st.actions) == st.not_action:
        failed.append("action")
    if st.resources is not None:  # no Resource in a queue policy: the queue it is attached to
        if any(glob_match(p, resource, ignore_case=False) for p in st.resources) == st.not_resource:
            failed.append("resource")
    return tuple(failed)


def _principal_ok(st: Statement, principal: str) -> bool:
    wanted = _canonical_principal(principal)
    hit = any(v == "*" or _canonical_principal(v) == wanted for v in st.principals or ())
    return hit != st.not_principal


def _canonical_principal(value: str) -> str:
    # A bare account id in a policy means that account's root principal.
    return f"arn:aws:iam::{value}:root" if _ACCOUNT_ID.fullmatch(value) else value


def _is_empty(policy: dict[str, Any] | str | None) -> bool:
    if policy is None:
        return True
    if isinstance(policy, str):
        return not policy.strip()
    return isinstance(policy, dict) and not policy


def _hints(scan: _Scan, action: str) -> str:
    hints = [
        f"{st.label} of {where} would allow it but has a Condition ({', '.join(st.conditions)}) "
        "that the emulator does not evaluate, so it counts as no match"
        for where, st in scan.conditional_allows
    ]
    hints += [_near_miss(where, st, failed, action) for where, st, failed in scan.near_misses]
    return "".join(f"; {hint}" for hint in hints[:_MAX_HINTS])


def _near_miss(where: str, st: Statement, failed: str, action: str) -> str:
    if failed == "resource":
        scope = "on everything except" if st.not_resource else "only on"
        return f"{st.label} of {where} allows it {scope} {', '.join(st.resources or ())}"
    if failed == "principal":
        scope = "for everyone except" if st.not_principal else "only for"
        return f"{st.label} of {where} allows it {scope} {', '.join(st.principals or ())}"
    key = "NotAction" if st.not_action else "Action"
    return f"{st.label} of {where} has {key} {', '.join(st.actions)}, which does not cover {action}"


def _ignored_denies(scan: _Scan) -> str:
    notes = [
        f" (note: {st.label} of {where} would deny it but has a Condition "
        f"({', '.join(st.conditions)}) that the emulator does not evaluate, so it was ignored)"
        for where, st in scan.conditional_denies
    ]
    return "".join(notes[:_MAX_HINTS])
