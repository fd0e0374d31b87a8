"""Where permission decisions get their policies from: the AWS API, or moto's memory.

`ApiPolicySource` works with any endpoint (embedded moto, a moto server, LocalStack,
ElasticMQ, AWS) but costs several HTTP round trips per look-up. `InProcessPolicySource` reads
moto's backends directly and costs microseconds, but is only right when moto runs in this
process (the embedded mode). Both return the same data for the same state; a test checks that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

_NO_QUEUE_CODES = {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}


class IamUnavailable(Exception):
    """The endpoint does not answer IAM calls (e.g. ElasticMQ); keys count as unknown."""


class QueueUnavailable(Exception):
    """The queue is missing or SQS unreachable: the caller records `failed`, not `denied`."""


@dataclass(frozen=True)
class Identity:
    user_name: str
    key_active: bool
    policies: list[tuple[str, dict[str, Any] | str]]  # (label for reasons, document)


@dataclass(frozen=True)
class RoleIdentity:
    """An IAM role: who may assume it (trust policy) and what it may do once assumed."""

    role_name: str
    trust_policy: dict[str, Any] | str
    policies: list[tuple[str, dict[str, Any] | str]]  # (label for reasons, document)


class PolicySource(Protocol):
    def identity(self, access_key_id: str) -> Identity | None: ...  # None: key unknown

    def role(self, role_arn: str) -> RoleIdentity | None: ...  # None: no such role

    def queue_policy(self, queue_url: str, queue_arn: str) -> str | None: ...


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class ApiPolicySource:
    """Reads IAM and SQS through boto3 clients the caller created once."""

    def __init__(self, iam_client: Any, sqs_client: Any) -> None:
        self._iam = iam_client
        self._sqs = sqs_client

    def identity(self, access_key_id: str) -> Identity | None:
        try:
            return self._identity(access_key_id)
        except ClientError as exc:
            if _code(exc) == "NoSuchEntity":
                return None  # unknown key (or its user vanished meanwhile)
            raise IamUnavailable(f"{_code(exc) or 'error'}: {exc}") from exc
        except ParamValidationError:  # under IAM's 16 characters: no IAM holds such a key
            return None
        except BotoCoreError as exc:  # unreachable, or an answer that is not IAM's
            raise IamUnavailable(str(exc)) from exc
        except (KeyError, TypeError) as exc:  # a 200 whose body lacks IAM's fields
            raise IamUnavailable(f"unexpected answer ({exc!r})") from exc

    def role(self, role_arn: str) -> RoleIdentity | None:
        name = role_arn.rsplit("/", 1)[-1]
        try:
            role = self._iam.get_role(RoleName=name)["Role"]
            if role.get("Arn") != role_arn:  # same name on another path or in another account
                return None
            policies = self._principal_policies("role", name)
        except ClientError as exc:
            if _code(exc) == "NoSuchEntity":
                return None
            raise IamUnavailable(f"{_code(exc) or 'error'}: {exc}") from exc
        except BotoCoreError as exc:
            raise IamUnavailable(str(exc)) from exc
        except (KeyError, TypeError) as exc:
            raise IamUnavailable(f"unexpected answer ({exc!r})") from exc
        return RoleIdentity(name, role.get("AssumeRolePolicyDocument") or "", policies)

    def _identity(self, key: str) -> Identity:
        user = self._iam.get_access_key_last_used(AccessKeyId=key)["UserName"]
        keys = self._pages("list_access_keys", "AccessKeyMetadata", UserName=user)
        active = any(k["AccessKeyId"] == key and k.get("Status") == "Active" for k in keys)
        policies = self._principal_policies("user", user)
        for group in self._pages("list_groups_for_user", "Groups", UserName=user):
            policies += self._principal_policies("group", group["GroupName"])
        return Identity(user, active, policies)

    def _principal_policies(self, kind: str, name: str) -> list[tuple[str, dict[str, Any] | str]]:
        arg = {f"{kind.capitalize()}Name": name}
        found: list[tuple[str, dict[str, Any] | str]] = []
        for policy_name in self._pages(f"list_{kind}_policies", "PolicyNames", **arg):
            doc = getattr(self._iam, f"get_{kind}_policy")(PolicyName=policy_name, **arg)
            found.append((_label(policy_name, kind, name, managed=False), doc["PolicyDocument"]))
        for att in self._pages(f"list_attached_{kind}_policies", "AttachedPolicies", **arg):
            arn = att["PolicyArn"]
            version = self._iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
            doc = self._iam.get_policy_version(PolicyArn=arn, VersionId=version)
            found.append(
                (_label(att["PolicyName"], kind, name, managed=True), doc["PolicyVersion"]["Document"])
            )
        return found

    def _pages(self, operation: str, key: str, **kwargs: Any) -> list[Any]:
        paginator = self._iam.get_paginator(operation)
        return [item for page in paginator.paginate(**kwargs) for item in page.get(key, [])]

    def queue_policy(self, queue_url: str, queue_arn: str) -> str | None:
        try:
            answer = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])
        except ClientError as exc:
            if _code(exc) in _NO_QUEUE_CODES:
                raise QueueUnavailable(f"queue {queue_url} does not exist") from exc
            raise QueueUnavailable(f"GetQueueAttributes on {queue_url} failed: {exc}") from exc
        except BotoCoreError as exc:
            raise QueueUnavailable(f"SQS endpoint unreachable for {queue_url}: {exc}") from exc
        return answer.get("Attributes", {}).get("Policy") or None


class InProcessPolicySource:
    """Reads moto's in-memory backends (same process only; through sqs_fast.inprocess)."""

    def identity(self, access_key_id: str) -> Identity | None:
        return _retry_on_concurrent_change(lambda: self._identity(access_key_id))

    def _identity(self, key: str) -> Identity | None:
        from ..sqs_fast import inprocess

        owner = inprocess.key_owner(key)
        if owner is None:
            return None
        return Identity(owner.user_name, owner.key_active, _labelled(owner.policies))

    def role(self, role_arn: str) -> RoleIdentity | None:
        from ..sqs_fast import inprocess

        found = _retry_on_concurrent_change(lambda: inprocess.role(role_arn))
        if found is None:
            return None
        return RoleIdentity(found.role_name, found.trust_policy, _labelled(found.policies))

    def queue_policy(self, queue_url: str, queue_arn: str) -> str | None:
        from ..sqs_fast import inprocess

        _, _, _, region, account, name = (queue_arn.split(":", 5) + [""] * 6)[:6]
        try:
            return inprocess.queue_policy(account, region, name)
        except inprocess.NoSuchQueue:
            raise QueueUnavailable(f"queue {queue_url} does not exist") from None


T = TypeVar("T")


def _retry_on_concurrent_change(read: Callable[[], T]) -> T:
    # moto's server thread may mutate a dict while we iterate; a second read is consistent.
    try:
        return read()
    except RuntimeError:
        return read()


def _labelled(policies: list[Any]) -> list[tuple[str, dict[str, Any] | str]]:
    """moto's policies (sqs_fast.inprocess.OwnedPolicy) → (label for reasons, document)."""
    return [(_label(p.policy_name, p.owner_kind, p.owner_name, p.managed), p.document)
            for p in policies]


def _label(policy: str, kind: str, owner: str, managed: bool) -> str:
    if managed:
        return f'managed policy "{policy}" attached to {kind} "{owner}"'
    return f'inline policy "{policy}" of {kind} "{owner}"'
