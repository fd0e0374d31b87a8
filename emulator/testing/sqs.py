"""Queue set-up for the pytest helpers: straight into embedded moto, or over the SQS API.

`stream_sqs_queue` must cost ≤ 20 ms per test; through boto3 a queue + DLQ + two deletes is
six calls at ~3.5 ms each, so with the emulator's embedded moto in this process we create,
delete and peek queues in moto's backend directly (the same backend calls moto's HTTP handler
makes). Any other endpoint goes through boto3. `HookLock` serialises hook changes of tests
that share one external emulator (its app, like Stream's, has one set of hooks).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlparse

from ..queue_setup import create_queue_pair

_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
DEFAULT_ACCOUNT = "123456789012"  # moto's default account, as in every local queue URL


def check_queue_name(name: str, dlq: bool) -> None:
    """SQS's rule, checked up front so a bad name fails with a clear sentence."""
    longest = f"{name}-dlq" if dlq else name
    if not _QUEUE_NAME.match(name) or len(longest) > 80:
        raise ValueError(
            f"queue name must be 1-80 letters, digits, '-' or '_' (80 including the '-dlq' "
            f"suffix of its DLQ), got {name!r}"
        )


class QueueOps(Protocol):
    def create(self, name: str, dlq: bool, policy: dict | None, max_size: int,
               **timing: int | None) -> dict: ...

    def delete(self, url: str) -> None: ...

    def peek(self, url: str) -> list[str]: ...


class BotoQueueOps:
    """Any SQS endpoint (external emulator, LocalStack, …): plain SQS API calls.

    `client` builds the boto3 client on first use: loading boto3 costs ~0.3 s."""

    def __init__(self, client: Callable[[], Any]):
        self._client = client

    @property
    def _sqs(self) -> Any:
        return self._client()

    def create(self, name: str, dlq: bool, policy: dict | None, max_size: int,
               **timing: int | None) -> dict:
        def create_one(queue: str, attributes: dict[str, str]) -> tuple[str, str]:
            url = self._sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
            return url, self._arn(url)

        return create_queue_pair(create_one, name, dlq=dlq, policy=policy,
                                 max_message_size=max_size, **timing)

    def delete(self, url: str) -> None:
        try:
            self._sqs.delete_queue(QueueUrl=url)
        except self._sqs.exceptions.QueueDoesNotExist:
            pass  # the test deleted it itself

    def peek(self, url: str) -> list[str]:
        # VisibilityTimeout=0 leaves the messages visible; SQS still counts the receive.
        answer = self._sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0
        )
        return [m["Body"] for m in answer.get("Messages", [])]

    def _arn(self, url: str) -> str:
        attrs = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return attrs["Attributes"]["QueueArn"]


class MotoQueueOps:
    """The embedded moto of this process: backend calls, no HTTP (microseconds each)."""

    def __init__(self, endpoint_url: str, region: str, account_id: str = DEFAULT_ACCOUNT):
        from ..sqs_fast.inprocess import QueueBackend

        self._backend = QueueBackend(account_id, region, urlparse(endpoint_url))

    def create(self, name: str, dlq: bool, policy: dict | None, max_size: int,
               **timing: int | None) -> dict:
        return create_queue_pair(self._backend.create, name, dlq=dlq, policy=policy,
                                 max_message_size=max_size, **timing)

    def delete(self, url: str) -> None:
        self._backend.delete(_name(url))

    def peek(self, url: str) -> list[str]:
        return self._backend.bodies(_name(url))


def _name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


class HookLock:
    """An exclusive lock per external emulator URL, across the processes of this machine.

    Tests of several xdist workers share the external emulator's one set of hooks; each
    `stream_sqs_queue` test holds the lock from hook set-up to tear-down, so events of one
    worker's test never reach another's queue. Without fcntl (Windows) it does nothing.
    """

    def __init__(self, url: str):
        digest = hashlib.sha1(url.encode()).hexdigest()[:12]
        self.path = os.path.join(tempfile.gettempdir(), f"stream-sqs-emulator-{digest}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None
