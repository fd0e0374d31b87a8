"""Pure policy evaluation: data-driven allow/deny cases (emulator/delivery/policy.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.config import STREAM_PRINCIPAL
from emulator.delivery.policy import Decision, evaluate_identity, evaluate_resource_policy
from emulator.delivery.policy_examples import PLACEHOLDER_ARN, load_policy, policy_names

ARN = "arn:aws:sqs:us-east-1:123456789012:orders"
OTHER = "arn:aws:sqs:us-east-1:123456789012:other"
SEND = "sqs:SendMessage"


def stmt(effect: str = "Allow", action: Any = SEND, resource: Any = ARN, **extra: Any) -> dict:
    out: dict[str, Any] = {"Effect": effect}
    if action is not None:
        out["Action"] = action
    if resource is not None:
        out["Resource"] = resource
    out.update(extra)
    return out


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


# (id, policies, action, resource, allowed, fragment expected in the reason)
IDENTITY_CASES = [
    ("exact", [doc(stmt())], SEND, ARN, True, "is allowed sqs:SendMessage"),
    ("statement-as-object", [{"Statement": stmt()}], SEND, ARN, True, "allowed"),
    ("json-string", [json.dumps(doc(stmt()))], SEND, ARN, True, "allowed"),
    (
        "url-encoded-string",
        [
            "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22"
            "%3A%22sqs%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D"
        ],
        SEND,
        ARN,
        True,
        "allowed",
    ),
    ("action-list", [doc(stmt(action=["sqs:ReceiveMessage", SEND]))], SEND, ARN, True, "allowed"),
    ("action-star", [doc(stmt(action="*", resource="*"))], SEND, ARN, True, "allowed"),
    ("action-service-star", [doc(stmt(action="sqs:*"))], SEND, ARN, True, "allowed"),
    ("action-prefix-star", [doc(stmt(action="sqs:Send*"))], SEND, ARN, True, "allowed"),
    ("action-question-mark", [doc(stmt(action="sqs:SendMessag?"))], SEND, ARN, True, "allowed"),
    (
        "action-question-too-short",
        [doc(stmt(action="sqs:SendMessage?"))],
        SEND,
        ARN,
        False,
        "does not cover",
    ),
    ("action-case-insensitive", [doc(stmt(action="SQS:sendmessage"))], SEND, ARN, True, "allowed"),
    (
        "action-other-service",
        [doc(stmt(action="sns:Publish"))],
        SEND,
        ARN,
        False,
        "no policy allowing",
    ),
    (
        "action-batch-only",
        [doc(stmt(action="sqs:SendMessageBatch"))],
        SEND,
        ARN,
        False,
        "does not cover",
    ),
    (
        "bracket-is-literal",
        [doc(stmt(action="sqs:[S]endMessage"))],
        SEND,
        ARN,
        False,
        "no policy allowing",
    ),
    ("resource-star", [doc(stmt(resource="*"))], SEND, ARN, True, "allowed"),
    (
        "resource-wildcard-name",
        [doc(stmt(resource="arn:aws:sqs:us-east-1:123456789012:ord*"))],
        SEND,
        ARN,
        True,
        "allowed",
    ),
    (
        "resource-wildcard-account",
        [doc(stmt(resource="arn:aws:sqs:*:*:orders"))],
        SEND,
        ARN,
        True,
        "allowed",
    ),
    (
        "resource-question",
        [doc(stmt(resource="arn:aws:sqs:us-east-1:123456789012:order?"))],
        SEND,
        ARN,
        True,
        "allowed",
    ),
    ("resource-case-sensitive", [doc(stmt(resource=ARN.upper()))], SEND, ARN, False, "only on"),
    ("resource-other-queue", [doc(stmt(resource=OTHER))], SEND, ARN, False, f"only on {OTHER}"),
    ("resource-list", [doc(stmt(resource=[OTHER, ARN]))], SEND, ARN, True, "allowed"),
    (
        "not-action-excludes",
        [doc(stmt(action=None, NotAction="sqs:SendMessage"))],
        SEND,
        ARN,
        False,
        "NotAction",
    ),
    (
        "not-action-other",
        [doc(stmt(action=None, NotAction=["sqs:Delete*"]))],
        SEND,
        ARN,
        True,
        "allowed",
    ),
    (
        "not-resource-excludes",
        [doc(stmt(resource=None, NotResource=ARN))],
        SEND,
        ARN,
        False,
        "everything except",
    ),
    (
        "not-resource-other",
        [doc(stmt(resource=None, NotResource=OTHER))],
        SEND,
        ARN,
        True,
        "allowed",
    ),
    (
        "deny-wins-same-policy",
        [doc(stmt(), stmt("Deny", Sid="NoSend"))],
        SEND,
        ARN,
        False,
        'explicitly denied by statement "NoSend"',
    ),
    (
        "deny-wins-across-policies",
        [doc(stmt(action="*", resource="*")), doc(stmt("Deny", action="sqs:Send*"))],
        SEND,
        ARN,
        False,
        "explicitly denied by statement #1 of identity policy #2",
    ),
    (
        "deny-other-queue-ignored",
        [doc(stmt(), stmt("Deny", resource=OTHER))],
        SEND,
        ARN,
        True,
        "allowed",
    ),
    ("deny-only", [doc(stmt("Deny"))], SEND, ARN, False, "explicitly denied"),
    (
        "not-action-deny",
        [doc(stmt(), stmt("Deny", action=None, NotAction="sqs:Receive*"))],
        SEND,
        ARN,
        False,
        "explicitly denied",
    ),
    ("no-policies", [], SEND, ARN, False, "no policies at all"),
    ("empty-statement-list", [doc()], SEND, ARN, False, "no policy allowing"),
    (
        "condition-allow",
        [doc(stmt(Condition={"Bool": {"aws:SecureTransport": "true"}}))],
        SEND,
        ARN,
        False,
        "Condition (Bool aws:SecureTransport) that the emulator does not evaluate, "
        "so it counts as no match",
    ),
    (
        "condition-deny-ignored",
        [doc(stmt(), stmt("Deny", Condition={"IpAddress": {"aws:SourceIp": "1.2.3.4"}}))],
        SEND,
        ARN,
        True,
        "so it was ignored",
    ),
    ("empty-condition-matches", [doc(stmt(Condition={}))], SEND, ARN, True, "allowed"),
    ("malformed-json", ["{not json"], SEND, ARN, False, "is malformed: it is not valid JSON"),
    ("malformed-not-object", [["a list"]], SEND, ARN, False, "must be a JSON object"),
    ("malformed-no-statement", [{"Version": "2012-10-17"}], SEND, ARN, False, "has no Statement"),
    ("malformed-statement-type", [{"Statement": "x"}], SEND, ARN, False, "Statement must be"),
    (
        "malformed-statement-item",
        [{"Statement": [42]}],
        SEND,
        ARN,
        False,
        "statement #1 must be an object",
    ),
    ("malformed-effect", [doc(stmt(effect="allow"))], SEND, ARN, False, "Effect 'allow'"),
    ("malformed-no-action", [doc(stmt(action=None))], SEND, ARN, False, "no Action or NotAction"),
    (
        "malformed-both-actions",
        [doc(stmt(NotAction="x"))],
        SEND,
        ARN,
        False,
        "both Action and NotAction",
    ),
    (
        "malformed-no-resource",
        [doc(stmt(resource=None))],
        SEND,
        ARN,
        False,
        "no Resource or NotResource",
    ),
    (
        "malformed-action-type",
        [doc(stmt(action=5))],
        SEND,
        ARN,
        False,
        "Action must be a string or a list",
    ),
    (
        "malformed-condition",
        [doc(stmt(Condition="x"))],
        SEND,
        ARN,
        False,
        "Condition must be an object",
    ),
    ("malformed-beats-allow", [doc(stmt()), "nope"], SEND, ARN, False, "identity policy #2"),
]


@pytest.mark.parametrize(
    "policies, action, resource, allowed, fragment",
    [case[1:] for case in IDENTITY_CASES],
    ids=[case[0] for case in IDENTITY_CASES],
)
def test_identity(policies: list, action: str, resource: str, allowed: bool, fragment: str) -> None:
    decision = evaluate_identity(policies, action, resource)
    assert isinstance(decision, Decision)
    assert decision.allowed is allowed, decision.reason
    assert fragment in decision.reason


def test_identity_reason_names_subject_and_policy() -> None:
    subject = 'IAM user "alice" (key AKIAEXAMPLE)'
    denied = evaluate_identity(
        [doc(stmt(action="sqs:ReceiveMessage"))],
        SEND,
        ARN,
        subject=subject,
        names=['inline policy "read" of user "alice"'],
    )
    assert denied == Decision(
        False,
        (
            f"{subject} has no policy allowing {SEND} on {ARN}; statement #1 of inline policy "
            f'"read" of user "alice" has Action sqs:ReceiveMessage, which does not cover {SEND}'
        ),
    )
    allowed = evaluate_identity([doc(stmt(Sid="Send"))], SEND, ARN, subject=subject, names=["P"])
    assert allowed.reason == f'{subject} is allowed {SEND} on {ARN} by statement "Send" of P'


def resource_doc(principal: Any = None, effect: str = "Allow", **extra: Any) -> dict:
    action = extra.pop("Action", "SQS:SendMessage")
    body = {"Principal": principal if principal is not None else {"AWS": STREAM_PRINCIPAL}, **extra}
    return doc(stmt(effect, action=action, **body))


RESOURCE_CASES = [
    ("principal-star", resource_doc("*"), True, "allowed by statement #1 of the queue policy"),
    ("principal-aws-star", resource_doc({"AWS": "*"}), True, "allowed"),
    ("principal-aws-star-list", resource_doc({"AWS": ["*"]}), True, "allowed"),
    ("principal-arn", resource_doc({"AWS": STREAM_PRINCIPAL}), True, "allowed"),
    (
        "principal-arn-list",
        resource_doc({"AWS": ["arn:aws:iam::111122223333:root", STREAM_PRINCIPAL]}),
        True,
        "allowed",
    ),
    ("principal-account-id", resource_doc({"AWS": "185583345998"}), True, "allowed"),
    ("principal-account-id-list", resource_doc({"AWS": ["185583345998"]}), True, "allowed"),
    (
        "principal-other-account",
        resource_doc({"AWS": "arn:aws:iam::111122223333:root"}),
        False,
        "only for arn:aws:iam::111122223333:root",
    ),
    (
        "principal-other-account-id",
        resource_doc({"AWS": "111122223333"}),
        False,
        "no statement allowing principal",
    ),
    (
        "principal-role-in-stream-account",
        resource_doc({"AWS": "arn:aws:iam::185583345998:role/x"}),
        False,
        "no statement allowing",
    ),
    (
        "principal-service",
        resource_doc({"Service": "sns.amazonaws.com"}),
        False,
        "Service:sns.amazonaws.com",
    ),
    (
        "principal-root-case",
        resource_doc({"AWS": "arn:aws:iam::185583345998:ROOT"}),
        False,
        "no statement",
    ),
    (
        "not-principal-other",
        doc(stmt(action="sqs:SendMessage", NotPrincipal={"AWS": "111122223333"})),
        True,
        "allowed",
    ),
    (
        "not-principal-stream",
        doc(stmt(action="sqs:SendMessage", NotPrincipal={"AWS": STREAM_PRINCIPAL})),
        False,
        "for everyone except",
    ),
    ("action-lower", resource_doc(Action="sqs:SendMessage"), True, "allowed"),
    ("action-upper", resource_doc(Action="SQS:SENDMESSAGE"), True, "allowed"),
    ("action-sqs-star", resource_doc(Action="sqs:*"), True, "allowed"),
    ("action-star", resource_doc(Action="*"), True, "allowed"),
    (
        "action-receive-only",
        resource_doc(Action="sqs:ReceiveMessage"),
        False,
        "does not cover sqs:SendMessage",
    ),
    ("resource-wildcard", resource_doc(Resource="arn:aws:sqs:*:123456789012:*"), True, "allowed"),
    (
        "resource-missing-means-this-queue",
        doc({"Effect": "Allow", "Principal": "*", "Action": SEND}),
        True,
        "allowed",
    ),
    ("resource-other", resource_doc(Resource=OTHER), False, f"only on {OTHER}"),
    (
        "explicit-deny-wins",
        doc(stmt(Principal="*"), stmt("Deny", Principal={"AWS": "185583345998"}, Sid="DenyAll")),
        False,
        'explicitly denied by statement "DenyAll" of the queue policy',
    ),
    (
        "deny-other-principal",
        doc(stmt(Principal="*"), stmt("Deny", Principal={"AWS": "111122223333"})),
        True,
        "allowed",
    ),
    (
        "condition-only-allow",
        resource_doc(Condition={"ArnEquals": {"aws:SourceArn": "arn:x"}}),
        False,
        "has a Condition (ArnEquals aws:SourceArn) that the emulator does not evaluate, "
        "so it counts as no match",
    ),
    (
        "condition-plus-plain-allow",
        doc(stmt(Principal="*", Condition={"Bool": {"a": "b"}}), stmt(Principal="*")),
        True,
        "allowed by statement #2",
    ),
    ("no-policy-none", None, False, "the queue has no policy"),
    ("no-policy-empty-string", "", False, "the queue has no policy"),
    ("no-policy-empty-dict", {}, False, "the queue has no policy"),
    ("no-statements", doc(), False, "the queue has no policy (no statements)"),
    ("json-string", json.dumps(resource_doc()), True, "allowed"),
    (
        "malformed-json",
        '{"Statement": [',
        False,
        "the queue policy is malformed: it is not valid JSON",
    ),
    ("malformed-list", "[1, 2]", False, "the queue policy is malformed: it must be a JSON object"),
    ("malformed-no-principal", doc(stmt()), False, "no Principal or NotPrincipal"),
    ("malformed-principal-type", resource_doc(5), False, "Principal must be"),
    (
        "malformed-principal-values",
        resource_doc({"AWS": [1]}),
        False,
        "Principal.AWS must be a string",
    ),
]


@pytest.mark.parametrize(
    "policy, allowed, fragment", [c[1:] for c in RESOURCE_CASES], ids=[c[0] for c in RESOURCE_CASES]
)
def test_resource_policy(policy: Any, allowed: bool, fragment: str) -> None:
    decision = evaluate_resource_policy(policy, STREAM_PRINCIPAL, SEND, ARN)
    assert decision.allowed is allowed, decision.reason
    assert fragment in decision.reason


def test_resource_denial_reason_is_a_full_sentence() -> None:
    decision = evaluate_resource_policy(
        resource_doc({"AWS": "111122223333"}), STREAM_PRINCIPAL, SEND, ARN
    )
    assert decision.reason.startswith(
        f"queue policy has no statement allowing principal {STREAM_PRINCIPAL} to {SEND} on {ARN}"
    )


EXAMPLES = {
    "allow-stream": (True, "allowed by statement"),
    "missing-principal": (False, "no statement allowing principal"),
    "explicit-deny": (False, "explicitly denied by statement"),
    "wrong-resource": (False, "only on arn:aws:sqs:us-east-1:123456789012:some-other-queue"),
    "condition": (False, "does not evaluate"),
    "identity-allow-send": (True, "is allowed"),
    "identity-deny-send": (False, "explicitly denied"),
    "identity-read-only": (False, "has no policy allowing"),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_fixture_policies(name: str) -> None:
    allowed, fragment = EXAMPLES[name]
    policy = load_policy(name, ARN)
    assert PLACEHOLDER_ARN not in json.dumps(policy)
    if name.startswith("identity-"):
        decision = evaluate_identity([policy], SEND, ARN)
    else:
        decision = evaluate_resource_policy(policy, STREAM_PRINCIPAL, SEND, ARN)
    assert decision.allowed is allowed, decision.reason
    assert fragment in decision.reason


TOPIC = "arn:aws:sns:us-east-1:123456789012:events-topic"
TOPIC_EXAMPLES = {
    "topic-allow-stream": (True, "allowed by statement \"AllowStreamPublish\" of the topic policy"),
    "topic-missing-principal": (False, "topic policy has no statement allowing principal"),
    "topic-explicit-deny": (False, "explicitly denied by statement \"DenyStream\" of the topic"),
    "topic-wrong-resource": (False, "only on arn:aws:sns:us-east-1:123456789012:some-other-topic"),
    "identity-allow-publish": (True, "is allowed sns:Publish on " + TOPIC),
    "identity-deny-publish": (False, "explicitly denied"),
}


@pytest.mark.parametrize("name", sorted(TOPIC_EXAMPLES))
def test_topic_fixture_policies(name: str) -> None:
    allowed, fragment = TOPIC_EXAMPLES[name]
    policy = load_policy(name, TOPIC)
    assert "TOPIC_NAME" not in json.dumps(policy)
    if name.startswith("identity-"):
        decision = evaluate_identity([policy], "sns:Publish", TOPIC)
    else:
        decision = evaluate_resource_policy(
            policy, STREAM_PRINCIPAL, "SNS:Publish", TOPIC, kind="topic")
    assert decision.allowed is allowed, decision.reason
    assert fragment in decision.reason
    # A topic policy never allows sending to a queue, nor a queue permission publishing.
    assert not evaluate_identity([policy], SEND, ARN).allowed


def test_the_role_trust_fixture_lets_stream_assume_the_role_and_no_one_else() -> None:
    role = "arn:aws:iam::123456789012:role/stream-delivery"
    policy = load_policy("role-trust-stream", role)
    assert evaluate_resource_policy(policy, STREAM_PRINCIPAL, "sts:AssumeRole", role).allowed
    other = evaluate_resource_policy(policy, "arn:aws:iam::111122223333:root", "sts:AssumeRole",
                                     role, kind="role's trust")
    assert not other.allowed and "only for arn:aws:iam::185583345998:root" in other.reason
    assert not evaluate_resource_policy(policy, STREAM_PRINCIPAL, SEND, ARN).allowed


def test_every_fixture_has_a_case_and_loads_by_file_name() -> None:
    assert policy_names() == sorted({**EXAMPLES, **TOPIC_EXAMPLES, "role-trust-stream": ()})
    assert load_policy("allow-stream.json", OTHER)["Statement"][0]["Resource"] == OTHER
    with pytest.raises(FileNotFoundError, match="known: allow-stream"):
        load_policy("nope", ARN)


def test_same_decision_for_same_input_and_no_mutation() -> None:
    policy = resource_doc()
    before = json.dumps(policy, sort_keys=True)
    first = evaluate_resource_policy(policy, STREAM_PRINCIPAL, SEND, ARN)
    assert first == evaluate_resource_policy(policy, STREAM_PRINCIPAL, SEND, ARN)
    assert json.dumps(policy, sort_keys=True) == before


def test_missing_names_fall_back_to_numbered_labels() -> None:
    decision = evaluate_identity([doc(stmt()), doc(stmt("Deny"))], SEND, ARN, names=["first"])
    assert decision.reason.startswith("explicitly denied by statement #1 of identity policy #2")
    malformed = evaluate_identity(["{"], SEND, ARN, subject="U", names=["P"])
    assert malformed.reason.startswith("P is malformed: it is not valid JSON")
    assert malformed.reason.endswith("; U is denied")
