"""PermissionChecker against a real moto server over HTTP (IAM users and queue policies).

Every test creates its own users and queues (unique names), so tests never share state.
"""

from __future__ import annotations

import http.server
import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from emulator.delivery.permissions import PermissionChecker, QueueUnavailable
from emulator.delivery.policy_examples import load_policy

REGION = "us-east-1"
CREDS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
QUICK = Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=5)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def client(service: str, url: str) -> Any:
    return boto3.client(service, region_name=REGION, endpoint_url=url, config=QUICK, **CREDS)


@pytest.fixture(scope="module")
def iam(endpoint: str) -> Any:
    return client("iam", endpoint)


@pytest.fixture(scope="module")
def sqs(endpoint: str) -> Any:
    return client("sqs", endpoint)


@pytest.fixture
def checker(iam: Any, sqs: Any) -> PermissionChecker:
    return PermissionChecker(iam, sqs, cache_ttl=0)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def make_queue(sqs: Any, policy_name: str | None = None) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=unique("q"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    if policy_name:
        policy = json.dumps(load_policy(policy_name, arn))
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy})
    return url, arn


def make_policy(iam: Any, fixture: str, arn: str) -> str:
    doc = json.dumps(load_policy(fixture, arn))
    return iam.create_policy(PolicyName=unique(fixture), PolicyDocument=doc)["Policy"]["Arn"]


def make_user(
    iam: Any,
    arn: str,
    *,
    inline: tuple[str, ...] = (),
    managed: tuple[str, ...] = (),
    group_inline: tuple[str, ...] = (),
    group_managed: tuple[str, ...] = (),
) -> tuple[str, str]:
    """An IAM user with the named fixture policies; returns (user name, access key id)."""
    user = unique("user")
    iam.create_user(UserName=user)
    for name in inline:
        iam.put_user_policy(
            UserName=user, PolicyName=name, PolicyDocument=json.dumps(load_policy(name, arn))
        )
    for name in managed:
        iam.attach_user_policy(UserName=user, PolicyArn=make_policy(iam, name, arn))
    if group_inline or group_managed:
        group = unique("group")
        iam.create_group(GroupName=group)
        iam.add_user_to_group(GroupName=group, UserName=user)
        for name in group_inline:
            doc = json.dumps(load_policy(name, arn))
            iam.put_group_policy(GroupName=group, PolicyName=name, PolicyDocument=doc)
        for name in group_managed:
            iam.attach_group_policy(GroupName=group, PolicyArn=make_policy(iam, name, arn))
    key = iam.create_access_key(UserName=user)["AccessKey"]["AccessKeyId"]
    return user, key


USER_CASES = {
    "inline-allow": (
        {"inline": ("identity-allow-send",)},
        True,
        'by statement "AllowStreamDelivery" of inline policy',
    ),
    "managed-allow": (
        {"managed": ("identity-allow-send",)},
        True,
        'of managed policy "identity-allow-send-',
    ),
    "group-inline-allow": (
        {"group_inline": ("identity-allow-send",)},
        True,
        'of inline policy "identity-allow-send" of group',
    ),
    "group-managed-allow": ({"group_managed": ("identity-allow-send",)}, True, "attached to group"),
    "deny-wins-user": (
        {"inline": ("identity-allow-send", "identity-deny-send")},
        False,
        'explicitly denied by statement "DenySend" of inline policy "identity-deny-send"',
    ),
    "deny-wins-group": (
        {"managed": ("identity-allow-send",), "group_managed": ("identity-deny-send",)},
        False,
        'explicitly denied by statement "DenySend" of managed policy',
    ),
    "read-only": (
        {"inline": ("identity-read-only",)},
        False,
        "has no policy allowing sqs:SendMessage on",
    ),
    "no-policies": ({}, False, "(it has no policies at all)"),
}


@pytest.mark.parametrize("case", sorted(USER_CASES))
def test_keys_of_iam_users(case: str, iam: Any, sqs: Any, checker: PermissionChecker) -> None:
    kwargs, allowed, fragment = USER_CASES[case]
    _, arn = make_queue(sqs)
    user, key = make_user(iam, arn, **kwargs)
    decision = checker.check_keys(key, arn)
    assert decision.allowed is allowed, decision.reason
    assert fragment in decision.reason
    assert f'IAM user "{user}" (key {key})' in decision.reason


def test_user_allowed_on_one_queue_is_denied_on_another(
    iam: Any, sqs: Any, checker: PermissionChecker
) -> None:
    _, arn = make_queue(sqs)
    _, other_arn = make_queue(sqs)
    _, key = make_user(iam, arn, inline=("identity-allow-send",))
    assert checker.check_keys(key, arn).allowed
    denied = checker.check_keys(key, other_arn)
    assert not denied.allowed
    assert f"allows it only on {arn}" in denied.reason


def test_managed_policy_uses_default_version(
    iam: Any, sqs: Any, checker: PermissionChecker
) -> None:
    _, arn = make_queue(sqs)
    user, key = make_user(iam, arn)
    policy_arn = make_policy(iam, "identity-allow-send", arn)
    iam.attach_user_policy(UserName=user, PolicyArn=policy_arn)
    assert checker.check_keys(key, arn).allowed
    read_only = json.dumps(load_policy("identity-read-only", arn))
    iam.create_policy_version(PolicyArn=policy_arn, PolicyDocument=read_only, SetAsDefault=True)
    assert not checker.check_keys(key, arn).allowed


def test_inactive_key_is_invalid(iam: Any, sqs: Any, checker: PermissionChecker) -> None:
    _, arn = make_queue(sqs)
    user, key = make_user(iam, arn, inline=("identity-allow-send",))
    iam.update_access_key(UserName=user, AccessKeyId=key, Status="Inactive")
    decision = checker.check_keys(key, arn)
    assert not decision.allowed
    assert decision.reason.endswith(
        f'(InvalidClientTokenId): access key {key} of IAM user "{user}" is inactive'
    )


@pytest.mark.parametrize("shape", ["aws-like", "shorter-than-any-aws-key"])
def test_unknown_key_lenient_and_strict(shape: str, iam: Any, sqs: Any) -> None:
    # A key under 16 characters (botocore refuses it before sending) is simply unknown to IAM.
    key = "AKIA" + uuid.uuid4().hex[:16].upper() if shape == "aws-like" else "k"
    arn = "arn:aws:sqs:us-east-1:123456789012:whatever"
    lenient = PermissionChecker(iam, sqs).check_keys(key, arn)
    assert lenient.allowed
    assert lenient.reason == f"access key {key} unknown to the emulated IAM; allowed (lenient mode)"
    strict = PermissionChecker(iam, sqs, strict_iam=True).check_keys(key, arn)
    assert not strict.allowed
    assert strict.reason == (
        "The security token included in the request is invalid (InvalidClientTokenId): "
        f"access key {key} is not known to IAM"
    )


def test_one_identity_look_up_per_key_serves_every_queue(iam: Any, sqs: Any) -> None:
    # New queues (a fresh ARN each) must not cost IAM round trips again within the TTL.
    _, key = make_user(iam, "arn:aws:sqs:us-east-1:123456789012:*",
                       inline=("identity-allow-send",))
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    iam.meta.events.register("before-call.iam", count)
    try:
        checker = PermissionChecker(iam, sqs)
        decisions = [checker.check_keys(key, f"arn:aws:sqs:us-east-1:123456789012:q{i}")
                     for i in range(5)]
    finally:
        iam.meta.events.unregister("before-call.iam", count)
    assert [d.allowed for d in decisions] == [True] * 5
    assert calls.count("GetAccessKeyLastUsed") == 1 and calls.count("ListUserPolicies") == 1


RESOURCE_CASES = {
    "allow-stream": (True, 'allowed by statement "AllowStreamSendMessage" of the queue policy'),
    "missing-principal": (
        False,
        "queue policy has no statement allowing principal arn:aws:iam::185583345998:root",
    ),
    "explicit-deny": (False, 'explicitly denied by statement "DenyStream" of the queue policy'),
    "wrong-resource": (
        False,
        "allows it only on arn:aws:sqs:us-east-1:123456789012:some-other-queue",
    ),
    "condition": (False, "that the emulator does not evaluate, so it counts as no match"),
    None: (False, "the queue has no policy"),
}


@pytest.mark.parametrize("policy", list(RESOURCE_CASES), ids=lambda p: p or "no-policy")
def test_queue_policies(policy: str | None, sqs: Any, checker: PermissionChecker) -> None:
    allowed, fragment = RESOURCE_CASES[policy]
    url, arn = make_queue(sqs, policy)
    decision = checker.check_resource(url, arn)
    assert decision.allowed is allowed, decision.reason
    assert fragment in decision.reason


def test_missing_queue_raises_queue_unavailable(sqs: Any, checker: PermissionChecker) -> None:
    url, arn = make_queue(sqs)
    sqs.delete_queue(QueueUrl=url)
    with pytest.raises(QueueUnavailable, match="does not exist"):
        checker.check_resource(url, arn)
    with pytest.raises(QueueUnavailable, match="does not exist"):
        PermissionChecker(None, None, in_process=True).check_resource(url, arn)


def test_cache_serves_until_ttl_or_invalidate(iam: Any, sqs: Any) -> None:
    now = [100.0]
    cached = PermissionChecker(iam, sqs, cache_ttl=1.0, clock=lambda: now[0])
    url, arn = make_queue(sqs, "allow-stream")
    assert cached.check_resource(url, arn).allowed
    deny = json.dumps(load_policy("explicit-deny", arn))
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": deny})
    assert cached.check_resource(url, arn).allowed  # stale within the TTL, by design
    cached.invalidate()
    assert not cached.check_resource(url, arn).allowed
    sqs.set_queue_attributes(
        QueueUrl=url, Attributes={"Policy": json.dumps(load_policy("allow-stream", arn))}
    )
    now[0] += 1.01
    assert cached.check_resource(url, arn).allowed  # expired: looked up again


class _NotIam(http.server.BaseHTTPRequestHandler):
    """Answers every request as ElasticMQ answers an action it does not know."""

    body = (
        b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
        b"<Message>Unknown action</Message></Error><RequestId>1</RequestId></ErrorResponse>"
    )

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(400)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def not_iam_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotIam)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port_url() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"  # nothing listens once closed


@pytest.mark.parametrize("kind", ["answers-not-iam", "connection-refused"])
def test_endpoint_without_iam_is_an_unknown_key(kind: str, not_iam_url: str) -> None:
    url = not_iam_url if kind == "answers-not-iam" else closed_port_url()
    iam_client = client("iam", url)
    arn = "arn:aws:sqs:us-east-1:000000000000:q"
    key = "AKIAELASTICMQ0001"  # IAM's length (16+), so the request reaches the endpoint
    lenient = PermissionChecker(iam_client, None).check_keys(key, arn)
    assert lenient.allowed
    assert lenient.reason.startswith(f"access key {key} unknown to the emulated IAM")
    assert "does not answer IAM calls" in lenient.reason
    assert lenient.reason.endswith("; allowed (lenient mode)")
    strict = PermissionChecker(iam_client, None, strict_iam=True).check_keys(key, arn)
    assert not strict.allowed
    assert f"(InvalidClientTokenId): access key {key} is not known to IAM" in strict.reason
    role = "arn:aws:iam::000000000000:role/stream"  # role auth: the same rule as for keys
    lenient = PermissionChecker(iam_client, None).check_role(role, arn)
    assert lenient.allowed and "does not answer IAM calls" in lenient.reason
    strict = PermissionChecker(iam_client, None, strict_iam=True).check_role(role, arn)
    assert not strict.allowed
    assert strict.reason.startswith(f"AccessDenied on sts:AssumeRole: role {role} is not known")


def test_in_process_path_decides_like_the_api_path(iam: Any, sqs: Any) -> None:
    """Same moto state, read over HTTP and from moto's memory: identical decisions and reasons."""
    queues = [make_queue(sqs, name) for name in [*RESOURCE_CASES]]
    _, arn = queues[0]
    keys = [make_user(iam, arn, **kwargs)[1] for kwargs, _, _ in USER_CASES.values()]
    user, inactive = make_user(iam, arn, inline=("identity-allow-send",))
    iam.update_access_key(UserName=user, AccessKeyId=inactive, Status="Inactive")
    keys += [inactive, "AKIANOTKNOWN00000000"]
    seen = set()
    for strict in (False, True):
        api = PermissionChecker(iam, sqs, strict_iam=strict, cache_ttl=0)
        memory = PermissionChecker(None, None, strict_iam=strict, in_process=True)
        for key in keys:
            for _, queue_arn in queues:
                decision = api.check_keys(key, queue_arn)
                assert decision == memory.check_keys(key, queue_arn)
                seen.add(decision.allowed)
        for url, queue_arn in queues:
            assert api.check_resource(url, queue_arn) == memory.check_resource(url, queue_arn)
    assert seen == {True, False}


def test_empty_key_is_denied_without_a_lookup() -> None:
    arn = "arn:aws:sqs:us-east-1:123456789012:q"
    decision = PermissionChecker(None, None).check_keys("", arn)  # None clients: no call made
    assert decision == PermissionChecker(None, None, in_process=True).check_keys("", arn)
    assert not decision.allowed
    assert "no access key configured" in decision.reason
