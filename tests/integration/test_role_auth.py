"""`role` auth for SQS and SNS hooks: Stream's account assumes `<prefix>_role_arn`.

The official SDKs configure the hooks (`update_app_settings`, getstream `update_app`) and run
`check_sns`; the embedded moto holds the roles, queues and topics; boto3 reads what arrived.
The decision itself is checked over the AWS API and from moto's memory, which must agree.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from getstream import Stream
from getstream.models import EventHook
from stream_chat.base.exceptions import StreamAPIException

from emulator.config import STREAM_PRINCIPAL
from emulator.delivery.permissions import PermissionChecker
from emulator.delivery.policy_examples import load_policy
from tests.helpers import boto_sqs

from .test_delivery import receive_all, sqs_hook, trigger
from .test_sns_delivery import Fanout, sns_hook

OTHER_ACCOUNT = "arn:aws:iam::111122223333:root"


def make_role(iam: Any, resource_arn: str, *, trusted: str = STREAM_PRINCIPAL,
              inline: tuple[str, ...] = (), attached: tuple[str, ...] = ()) -> str:
    """A role `trusted` may assume, with the named fixture policies on `resource_arn`."""
    name = f"stream-{uuid.uuid4().hex[:10]}"
    trust = load_policy("role-trust-stream", resource_arn)
    trust["Statement"][0]["Principal"] = {"AWS": trusted}
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    for fixture in inline:
        iam.put_role_policy(RoleName=name, PolicyName=fixture,
                            PolicyDocument=json.dumps(load_policy(fixture, resource_arn)))
    for fixture in attached:
        document = json.dumps(load_policy(fixture, resource_arn))
        policy = iam.create_policy(PolicyName=f"{name}-{fixture}", PolicyDocument=document)
        iam.attach_role_policy(RoleName=name, PolicyArn=policy["Policy"]["Arn"])
    return arn


# (role set-up, allowed, words in the reason); {action} is sqs:SendMessage or sns:Publish.
CASES = {
    "inline": ({"inline": ("{allow}",)}, True, ""),
    "attached": ({"attached": ("{allow}",)}, True, ""),
    "no-permission": ({}, False, "has no policy allowing {action} on {arn} (it has no policies"),
    "untrusted": ({"trusted": OTHER_ACCOUNT, "inline": ("{allow}",)}, False,
                  "Stream's account cannot assume role {role}: role's trust policy has no "
                  "statement allowing principal arn:aws:iam::185583345998:root to "
                  "sts:AssumeRole"),
    "deny-wins": ({"inline": ("{allow}", "{deny}")}, False, "explicitly denied by statement"),
}


def role_for(iam: Any, case: str, kind: str, arn: str) -> tuple[str, bool, str]:
    setup, allowed, words = CASES[case]
    names = {"allow": f"identity-allow-{kind}", "deny": f"identity-deny-{kind}"}
    kwargs = {k: tuple(p.format(**names) for p in v) if isinstance(v, tuple) else v
              for k, v in setup.items()}
    role = make_role(iam, arn, **kwargs)
    action = "sqs:SendMessage" if kind == "send" else "sns:Publish"
    return role, allowed, words.format(action=action, arn=arn, role=role)


@pytest.mark.parametrize("case", sorted(CASES))
def test_sqs_role_hooks_deliver_only_what_the_role_allows(case, chat, control, fresh, iam):
    queue = fresh.engine.create_queue(f"role-{case}", dlq=False)
    role, allowed, words = role_for(iam, case, "send", queue["arn"])
    chat.update_app_settings(event_hooks=[sqs_hook(
        queue["url"], sqs_auth_type="role", sqs_role_arn=role, sqs_key="", sqs_secret="")])
    [record] = trigger(control, "message.new")["deliveries"]
    assert record["status"] == ("delivered" if allowed else "denied"), record["reason"]
    assert words in record["reason"]
    assert len(receive_all(boto_sqs(fresh), queue["url"], 1, rounds=2)) == int(allowed)


@pytest.mark.parametrize("case", sorted(CASES))
def test_sns_role_hooks_publish_only_what_the_role_allows(case, chat, control, fresh, iam):
    fanout = Fanout(fresh, f"role-topic-{case}", raw=True)
    role, allowed, words = role_for(iam, case, "publish", fanout.arn)
    chat.update_app_settings(event_hooks=[sns_hook(
        fanout.arn, sns_auth_type="role", sns_role_arn=role, sns_key=None, sns_secret=None)])
    [record] = trigger(control, "message.new")["deliveries"]
    assert record["status"] == ("delivered" if allowed else "denied"), record["reason"]
    assert words in record["reason"]
    bodies = fanout.bodies(1, rounds=2)
    assert [json.loads(b)["type"] for b in bodies] == (["message.new"] if allowed else [])


def test_check_sns_of_a_stored_role_hook_through_both_sdks(chat, fresh, iam):
    fanout = Fanout(fresh, "role-checked", raw=True)
    untrusted = make_role(iam, fanout.arn, trusted=OTHER_ACCOUNT,
                          inline=("identity-allow-publish",))
    s = fresh.settings
    stream = Stream(api_key=s.api_key, api_secret=s.api_secret, base_url=fresh.base_url)
    stream.update_app(event_hooks=[EventHook(
        hook_type="sns", enabled=True, sns_topic_arn=fanout.arn, sns_region="us-east-1",
        sns_auth_type="role", sns_role_arn=untrusted)])
    refused = chat.check_sns()
    assert refused["status"] == "error"
    assert refused["error"].startswith(
        f"publishing the message failed. AuthorizationError: Stream's account cannot assume "
        f"role {untrusted}")
    assert refused["data"] == {"sns_topic_arn": fanout.arn, "reason": "AuthorizationError"}
    trusted = make_role(iam, fanout.arn, inline=("identity-allow-publish",))
    chat.update_app_settings(event_hooks=[sns_hook(
        fanout.arn, sns_auth_type="role", sns_role_arn=trusted, sns_key=None, sns_secret=None)])
    assert stream.check_sns().data.status == "ok"
    assert [json.loads(b)["type"] for b in fanout.bodies(1)] == ["check_sns"]


@pytest.mark.parametrize("prefix", ["sqs", "sns"])
def test_a_role_hook_needs_its_role_arn(prefix, chat, fresh):
    queue = "http://127.0.0.1:1/123456789012/q"
    hook = sqs_hook(queue) if prefix == "sqs" else sns_hook("arn:aws:sns:us-east-1:1:t")
    hook.update({f"{prefix}_auth_type": "role", f"{prefix}_key": "", f"{prefix}_secret": ""})
    with pytest.raises(StreamAPIException) as caught:
        chat.update_app_settings(event_hooks=[hook])
    assert caught.value.error_code == 4
    assert (f'event_hooks[0].{prefix}_role_arn is required when {prefix}_auth_type is '
            '"role"') in caught.value.error_message
    assert chat.get_app_settings()["app"]["event_hooks"] == []  # nothing half-stored


def test_api_and_memory_paths_decide_roles_alike_lenient_and_strict(fresh, iam, sqs):
    """The same moto state read over HTTP (any endpoint) and from moto's memory (embedded)."""
    queue = fresh.engine.create_queue("role-parity", dlq=False)
    roles = [role_for(iam, case, "send", queue["arn"])[0] for case in sorted(CASES)]
    roles += ["arn:aws:iam::123456789012:role/not-there", "not-a-role-arn"]
    seen = set()
    for strict in (False, True):
        api = PermissionChecker(iam, sqs, strict_iam=strict, cache_ttl=0)
        memory = PermissionChecker(None, None, strict_iam=strict, in_process=True)
        for role in roles:
            decision = api.check_role(role, queue["arn"])
            assert decision == memory.check_role(role, queue["arn"])
            seen.add((strict, decision.allowed))
        missing = api.check_role(roles[-2], queue["arn"])
        assert missing.allowed is not strict
        assert (f"role {roles[-2]} is not known to IAM" in missing.reason) is strict
    assert seen == {(False, True), (False, False), (True, True), (True, False)}
    bad = api.check_role("not-a-role-arn", queue["arn"])
    assert not bad.allowed and "sqs_role_arn 'not-a-role-arn' is not an IAM role ARN" in bad.reason
