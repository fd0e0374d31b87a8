"""Reads and writes of moto's in-memory backends for the rest of the emulator (same process).

Everything outside ``sqs_fast/`` that would touch moto's model objects asks here instead, so
all reliance on moto internals sits behind the one version check (``check_moto_version``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import ParseResult

from moto.sqs.models import sqs_backends

from .version import check_moto_version


class NoSuchQueue(LookupError):
    pass


@dataclass(frozen=True)
class OwnedPolicy:
    """One identity policy of an IAM user, of a group the user is in, or of a role."""

    owner_kind: str  # "user", "group" or "role"
    owner_name: str
    policy_name: str
    managed: bool
    document: dict[str, Any] | str


@dataclass(frozen=True)
class KeyOwner:
    user_name: str
    key_active: bool
    policies: list[OwnedPolicy]


def key_owner(access_key_id: str) -> KeyOwner | None:
    """The IAM user holding this access key, with every identity policy that applies to it."""
    for backend in _iam_backends():
        for user in list(backend.users.values()):
            for access_key in list(user.access_keys):
                if access_key.access_key_id == access_key_id:
                    policies = _policies("user", user)
                    for group in backend.get_groups_for_user(user.name):
                        policies += _policies("group", group)
                    return KeyOwner(user.name, access_key.status == "Active", policies)
    return None


@dataclass(frozen=True)
class Role:
    role_name: str
    trust_policy: dict[str, Any] | str  # AssumeRolePolicyDocument, as stored
    policies: list[OwnedPolicy]  # inline and attached permission policies


def role(role_arn: str) -> Role | None:
    """The IAM role with this ARN, with its trust policy and permission policies."""
    for backend in _iam_backends():
        for found in list(backend.roles.values()):
            if found.arn == role_arn:
                return Role(found.name, found.assume_role_policy_document or "",
                            _policies("role", found))
    return None


def queue_policy(account: str, region: str, name: str) -> str | None:
    """The queue's ``Policy`` attribute; ``NoSuchQueue`` when there is no such queue."""
    # dict.get does not create backends as a side effect (BackendDict.__getitem__ would).
    account_backends = dict.get(sqs_backends, account)
    backend = dict.get(account_backends, region) if account_backends is not None else None
    queue = backend.queues.get(name) if backend is not None else None
    if queue is None:
        raise NoSuchQueue(name)
    return queue.policy or None  # `policy` is cheap; `attributes` would recount messages


class QueueBackend:
    """Queue set-up calls on one account/region's SQS backend (what moto's handler calls)."""

    def __init__(self, account: str, region: str, endpoint: ParseResult):
        check_moto_version()
        self._account, self._region = account, region
        self._endpoint = endpoint

    @property
    def _backend(self) -> Any:
        # Looked up per call: a moto reset (/moto-api/reset) replaces the backend objects, and
        # a queue made in a stale one would be invisible to moto's own handlers.
        return sqs_backends[self._account][self._region]

    def create(self, name: str, attributes: dict[str, str]) -> tuple[str, str]:
        """Creates the queue (or returns the same one, as CreateQueue does): (url, arn)."""
        queue = self._backend.create_queue(name, None, **attributes)
        return queue.url(self._endpoint), queue.queue_arn

    def delete(self, name: str) -> None:
        if name in self._backend.queues:
            self._backend.delete_queue(name)  # the patched one also frees its messages

    def bodies(self, name: str) -> list[str]:
        queue = self._backend.get_queue(name)
        with queue._messages_lock:  # moto's own lock around its message list
            return [message.body for message in queue.messages]


def _iam_backends() -> Iterator[Any]:
    # Imported here: moto's IAM models (with its managed-policy catalogue) are needed only
    # when an access key is checked, not at start.
    from moto.iam.models import iam_backends

    for account in list(dict.values(iam_backends)):
        yield from list(dict.values(account))


def _policies(kind: str, owner: Any) -> list[OwnedPolicy]:
    found = [
        OwnedPolicy(kind, owner.name, name, False, document)
        for name, document in list(owner.policies.items())
    ]
    for managed in list(owner.managed_policies.values()):
        default = next(v for v in managed.versions if v.version_id == managed.default_version_id)
        found.append(OwnedPolicy(kind, owner.name, managed.name, True, default.document))
    return found
