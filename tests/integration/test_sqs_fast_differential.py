"""Differential test: moto with the emulator's SQS speed-ups vs unmodified moto.

The same seeded random operation sequence (send, batch send, receive, delete, batch delete,
change visibility, purge, attribute counts, DLQ redrive, FIFO groups and dedup, message
retention, clock steps) runs twice in this process with boto3 against one ThreadedMotoServer
(the embedded mode's path): once after ``uninstall_speedups()`` and once after
``install_speedups()``. Each run gets fresh backends through its own account id (moto's
``x-moto-account-id`` header) -- not ``mock_aws``, whose start/stop resets every backend in the
process, including an emulator another test in this worker may be running. Every response
(or error code and message) is logged; the two logs must be equal once the account ids are
normalised.

Determinism: moto reads time only through ``unix_time`` / ``unix_time_millis`` in
``moto.sqs.models``; both are patched to a fake clock that the sequence itself advances (and
occasionally steps back, to exercise the counters' rebuild). moto's MessageIds, receipt
handles and sequence numbers come from ``moto.moto_api._internal.mock_random``, which is
seeded identically before each run -- so they are compared exactly, and any extra or missing
random draw on one side shows up as a difference too. WaitTimeSeconds is always 0 here (a
long poll would wait on the real clock); long polling is covered by its own test.
"""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.moto_api._internal import mock_random
from moto.server import ThreadedMotoServer
from moto.sqs import models as sqs_models

from emulator import sqs_fast
from emulator.sqs_fast.store import MessageStore

REGION = "us-east-1"
STEPS = 220
SEEDS = list(range(6))
START_MS = 1_700_000_000_000.0


class FakeClock:
    def __init__(self) -> None:
        self.ms = START_MS

    def millis(self, dt: Any = None) -> float:
        return self.ms

    def seconds(self, dt: Any = None) -> float:
        return self.ms / 1000.0


_accounts = itertools.count(1)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """One moto server for the module (each xdist worker has its own)."""
    was_installed = sqs_fast.speedups_installed()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        sqs_fast.install_speedups() if was_installed else sqs_fast.uninstall_speedups()


def client_for(endpoint: str, account: str) -> Any:
    client = boto3.client(
        "sqs", region_name=REGION, endpoint_url=endpoint,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip

    def add_account(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account

    client.meta.events.register("before-send.sqs.*", add_account)
    return client


@contextmanager
def moto_world(endpoint: str, speedups: bool) -> Iterator[tuple[Any, FakeClock, str]]:
    """A fresh account on the shared server, with or without speed-ups, on a fake clock."""
    was_installed = sqs_fast.speedups_installed()
    sqs_fast.install_speedups() if speedups else sqs_fast.uninstall_speedups()
    account = f"{900_000_000_000 + next(_accounts)}"
    clock = FakeClock()
    saved = (sqs_models.unix_time, sqs_models.unix_time_millis)
    sqs_models.unix_time, sqs_models.unix_time_millis = clock.seconds, clock.millis
    try:
        mock_random.seed(1234)
        yield client_for(endpoint, account), clock, account
    finally:
        sqs_models.unix_time, sqs_models.unix_time_millis = saved
        sqs_models.sqs_backends[account].reset()  # free its queues
        sqs_fast.install_speedups() if was_installed else sqs_fast.uninstall_speedups()


def call(fn: Callable[..., dict[str, Any]], **kwargs: Any) -> Any:
    """A response without its (random request id) metadata, or the error it raised."""
    try:
        response = fn(**kwargs)
    except ClientError as err:
        return ("error", err.response["Error"]["Code"], err.response["Error"]["Message"])
    response.pop("ResponseMetadata", None)
    return response


class Scenario:
    """One seeded operation sequence over three queues (+ DLQs); returns the response log."""

    def __init__(self, client: Any, clock: FakeClock, seed: int) -> None:
        self.c, self.clock, self.rng = client, clock, random.Random(seed)
        self.urls: dict[str, str] = {}
        self.handles: list[tuple[str, str]] = []  # (queue key, receipt handle) ever received
        self._create_queues()

    def _create(self, key: str, name: str, attrs: dict[str, str]) -> None:
        self.urls[key] = self.c.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]

    def _redrive(self, dlq_key: str, max_receives: int) -> str:
        arn = self.c.get_queue_attributes(QueueUrl=self.urls[dlq_key], AttributeNames=["QueueArn"])
        target = arn["Attributes"]["QueueArn"]
        return json.dumps({"deadLetterTargetArn": target, "maxReceiveCount": str(max_receives)})

    def _create_queues(self) -> None:
        self._create("std_dlq", "std-dlq", {})
        self._create(
            "std",
            "std",
            {
                "RedrivePolicy": self._redrive("std_dlq", 2),
                "MaximumMessageSize": "1024",
                "MessageRetentionPeriod": "90",
                "VisibilityTimeout": "3",
            },
        )
        fifo = {"FifoQueue": "true"}
        self._create("fifo_dlq", "fifo-dlq.fifo", fifo)
        self._create(
            "fifo",
            "fifo.fifo",
            {**fifo, "RedrivePolicy": self._redrive("fifo_dlq", 3), "VisibilityTimeout": "2"},
        )
        self._create("cbd", "cbd.fifo", {**fifo, "ContentBasedDeduplication": "true"})  # fmt: skip

    # -- random inputs ----------------------------------------------------------------------
    def body(self) -> str:
        r = self.rng.random()
        if r < 0.03:
            return "x" * 1100  # over std's MaximumMessageSize
        return self.rng.choice(["hello", "ünïcødé ✓", '{"type":"message.new"}', "dup"]) + (
            str(self.rng.randrange(6)) if r < 0.6 else ""
        )

    def attributes(self) -> dict[str, Any]:
        if self.rng.random() < 0.6:
            return {}
        return {
            "a.kind": {"DataType": "String", "StringValue": self.rng.choice(["x", "ÿ"])},
            "n": {"DataType": "Number", "StringValue": str(self.rng.randrange(100))},
            "bin": {"DataType": "Binary", "BinaryValue": bytes([self.rng.randrange(256)])},
        }

    def fifo_params(self, key: str) -> dict[str, str]:
        params = {"MessageGroupId": self.rng.choice(["g1", "g2", "g3"])}
        if key == "fifo" or self.rng.random() < 0.3:
            params["MessageDeduplicationId"] = f"d{self.rng.randrange(8)}"
        return params

    def send_params(self, key: str) -> dict[str, Any]:
        params: dict[str, Any] = {"MessageBody": self.body()}
        attrs = self.attributes()
        if attrs:
            params["MessageAttributes"] = attrs
        if key in ("fifo", "cbd"):
            params.update(self.fifo_params(key))
        else:
            delay = self.rng.choice([None, 0, 0, 0, 1, 4, 1000])
            if delay is not None:
                params["DelaySeconds"] = delay
        return params

    def queue_key(self, with_dlqs: bool = False) -> str:
        keys = ["std", "std", "fifo", "cbd"] + (["std_dlq", "fifo_dlq"] if with_dlqs else [])
        return self.rng.choice(keys)

    def some_handles(self, n: int) -> list[tuple[str, str]]:
        pool = list(dict.fromkeys(self.handles))
        picked = self.rng.sample(pool, min(n, len(pool)))
        if self.rng.random() < 0.1:
            picked.append((self.queue_key(), "not-a-handle"))
        return picked

    # -- operations -------------------------------------------------------------------------
    def op_send(self) -> Any:
        key = self.queue_key()
        return call(self.c.send_message, QueueUrl=self.urls[key], **self.send_params(key))

    def op_send_batch(self) -> Any:
        key = self.queue_key()
        entries = [{"Id": f"e{i}", **self.send_params(key)} for i in range(self.rng.randint(1, 10))]
        return call(self.c.send_message_batch, QueueUrl=self.urls[key], Entries=entries)

    def op_receive(self) -> Any:
        key = self.queue_key(with_dlqs=True)
        params: dict[str, Any] = {"QueueUrl": self.urls[key], "WaitTimeSeconds": 0,
                                  "MaxNumberOfMessages": self.rng.randint(1, 10),
                                  "AttributeNames": ["All"]}  # fmt: skip
        params["MessageAttributeNames"] = self.rng.choice([["All"], ["a.*"], ["n"], []])
        visibility = self.rng.choice([None, 0, 0, 1, 3, 6])
        if visibility is not None:
            params["VisibilityTimeout"] = visibility
        result = call(self.c.receive_message, **params)
        for message in result.get("Messages", []) if isinstance(result, dict) else []:
            self.handles.append((key, message["ReceiptHandle"]))
        return result

    def op_delete(self) -> Any:
        picked = self.some_handles(1)
        if not picked:
            return None
        key, handle = picked[0]
        return call(self.c.delete_message, QueueUrl=self.urls[key], ReceiptHandle=handle)

    def op_delete_batch(self) -> Any:
        key = self.queue_key()
        picked = [h for k, h in self.some_handles(self.rng.randint(1, 6)) if k == key]
        if not picked:
            return None
        entries = [{"Id": f"d{i}", "ReceiptHandle": h} for i, h in enumerate(picked)]
        return call(self.c.delete_message_batch, QueueUrl=self.urls[key], Entries=entries)

    def op_change_visibility(self) -> Any:
        picked = self.some_handles(1)
        if not picked:
            return None
        key, handle = picked[0]
        timeout = self.rng.choice([0, 0, 1, 5, 10, 43200])
        return call(self.c.change_message_visibility, QueueUrl=self.urls[key],
                    ReceiptHandle=handle, VisibilityTimeout=timeout)  # fmt: skip

    def op_change_visibility_batch(self) -> Any:
        key = self.queue_key()
        picked = [h for k, h in self.some_handles(self.rng.randint(1, 4)) if k == key]
        if not picked:
            return None
        entries = [{"Id": f"c{i}", "ReceiptHandle": h, "VisibilityTimeout": self.rng.choice([0, 2])}
                   for i, h in enumerate(picked)]  # fmt: skip
        return call(self.c.change_message_visibility_batch, QueueUrl=self.urls[key],
                    Entries=entries)  # fmt: skip

    def op_purge(self) -> Any:
        return call(self.c.purge_queue, QueueUrl=self.urls[self.queue_key(with_dlqs=True)])

    def op_counts(self) -> Any:
        return {key: call(self.c.get_queue_attributes, QueueUrl=url, AttributeNames=["All"])
                for key, url in self.urls.items()}  # fmt: skip

    def op_tick(self) -> Any:
        step = self.rng.choice([0.0, 1.0, 250.0, 999.0, 1000.0, 1001.0, 2500.0, 6000.0])
        if self.rng.random() < 0.04:
            step = -self.rng.choice([500.0, 3000.0])  # the clock steps back now and then
        self.clock.ms += step
        return step

    WEIGHTS: ClassVar[dict[str, float]] = {
        "op_send": 14, "op_send_batch": 6, "op_receive": 16, "op_delete": 6,
        "op_delete_batch": 3, "op_change_visibility": 4, "op_change_visibility_batch": 2,
        "op_purge": 0.4, "op_counts": 4, "op_tick": 12,
    }  # fmt: skip

    def run(self, steps: int) -> list[tuple[int, str, Any]]:
        names, weights = list(self.WEIGHTS), list(self.WEIGHTS.values())
        log = []
        for step in range(steps):
            name = self.rng.choices(names, weights)[0]
            log.append((step, name, getattr(self, name)()))
        log.append((steps, "final_counts", self.op_counts()))
        log.append((steps, "final_drain", self.drain_all()))
        return log

    def drain_all(self) -> dict[str, list[Any]]:
        """Everything still receivable, per queue (what ends up where, incl. the DLQs)."""
        self.clock.ms += 10_000_000  # past every visibility timeout and delay
        drained: dict[str, list[Any]] = {key: [] for key in self.urls}
        for key, url in self.urls.items():
            for _ in range(60):  # received messages stay invisible, so each round gets new ones
                got = call(self.c.receive_message, QueueUrl=url, MaxNumberOfMessages=10,
                           AttributeNames=["All"], MessageAttributeNames=["All"])  # fmt: skip
                if not got.get("Messages"):
                    break
                drained[key] += got["Messages"]
        return drained


def run_scenario(endpoint: str, seed: int, speedups: bool, steps: int = STEPS) -> list[Any]:
    with moto_world(endpoint, speedups) as (client, clock, account):
        log = Scenario(client, clock, seed).run(steps)
        queues = sqs_models.sqs_backends[account][REGION].queues.values()
        # The fast run must really have run on the indexed store, the plain one on lists.
        assert {type(q._messages) is MessageStore for q in queues} == {speedups}
    return json.loads(json.dumps(log, default=repr).replace(account, "ACCOUNT"))


def first_difference(a: list[Any], b: list[Any]) -> str:
    for left, right in zip(a, b, strict=False):
        if left != right:
            return f"step {left[0]} {left[1]}:\n  moto: {left[2]!r}\n  fast: {right[2]!r}"
    return f"lengths differ: {len(a)} vs {len(b)}"


def coverage(log: list[tuple[int, str, Any]]) -> dict[str, int]:
    """How often the log shows the behaviours this test exists to compare."""
    queue_attrs = [
        q["Attributes"] for _, name, result in log if name in ("op_counts", "final_counts")
        for q in result.values() if isinstance(q, dict)
    ]  # fmt: skip
    return {
        "received": sum(
            1
            for _, name, result in log
            if name == "op_receive" and isinstance(result, dict) and result.get("Messages")
        ),
        "redriven": len(log[-1][2]["std_dlq"]) + len(log[-1][2]["fifo_dlq"]),
        "invalid_handle": json.dumps(log, default=repr).count("ReceiptHandleIsInvalid"),
        "not_visible": sum(a["ApproximateNumberOfMessagesNotVisible"] != "0" for a in queue_attrs),
        "delayed": sum(a["ApproximateNumberOfMessagesDelayed"] != "0" for a in queue_attrs),
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_fast_moto_matches_unmodified_moto(endpoint: str, seed: int) -> None:
    plain = run_scenario(endpoint, seed, speedups=False)
    fast = run_scenario(endpoint, seed, speedups=True)
    assert fast == plain, first_difference(plain, fast)
    # Guard against silently comparing trivial sequences.
    seen = coverage(plain)
    assert seen["received"] > 10 and seen["invalid_handle"] > 0, seen
    assert seen["not_visible"] > 0 and seen["delayed"] > 0, seen


def test_dlq_redrive_is_exercised(endpoint: str) -> None:
    assert coverage(run_scenario(endpoint, 0, speedups=True))["redriven"] > 0


def test_harness_detects_a_wrong_count(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Mutation check: a speed-up that is off by one must make the logs differ.
    from emulator.sqs_fast import store

    plain = run_scenario(endpoint, 0, speedups=False, steps=60)
    original = store.MessageStore.count_delayed
    monkeypatch.setattr(store.MessageStore, "count_delayed", lambda self: original(self) + 1)
    broken = run_scenario(endpoint, 0, speedups=True, steps=60)
    assert broken != plain


# -- send_direct vs boto3 SendMessage through the threaded server ------------------------------
@pytest.fixture
def server_client(endpoint: str) -> Any:
    sqs_fast.install_speedups()  # the embedded mode's state; `endpoint` restores the original
    return client_for(endpoint, sqs_fast.direct.DEFAULT_ACCOUNT)


def _receive_one(client: Any, url: str) -> dict[str, Any]:
    got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=0,
                                 AttributeNames=["All"], MessageAttributeNames=["All"])  # fmt: skip
    assert len(got.get("Messages", [])) == 1, got
    return got["Messages"][0]


def _strip(message: dict[str, Any]) -> dict[str, Any]:
    """The parts that differ per message by design: ids, handles, timestamps."""
    kept = {k: v for k, v in message.items() if k not in ("MessageId", "ReceiptHandle")}
    kept["Attributes"] = {k: v for k, v in message["Attributes"].items()
                          if "Timestamp" not in k and k != "SequenceNumber"}  # fmt: skip
    return kept


ATTRS = {
    "kind": {"DataType": "String", "StringValue": "message.new ✓"},
    "n": {"DataType": "Number", "StringValue": "42"},
    "raw": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
}


def test_send_direct_reads_back_like_boto3_send(server_client: Any) -> None:
    url = server_client.create_queue(QueueName=f"direct-{time.time_ns()}")["QueueUrl"]
    body = '{"type": "message.new", "text": "héllo"}'
    before_ms = int(time.time() * 1000)
    sent = sqs_fast.send_direct(url, body, region=REGION, message_attributes=ATTRS)
    via_direct = _receive_one(server_client, url)
    boto_sent = server_client.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=ATTRS)
    via_boto = _receive_one(server_client, url)

    assert via_direct["MessageId"] == sent.message_id
    assert via_direct["MD5OfBody"] == sent.md5_of_body == boto_sent["MD5OfMessageBody"]
    assert sent.md5_of_message_attributes == boto_sent["MD5OfMessageAttributes"]
    assert sent.sequence_number is None
    assert _strip(via_direct) == _strip(via_boto)
    assert via_direct["Body"] == body and via_direct["MessageAttributes"]["raw"]["BinaryValue"] == (
        b"\x00\xff"
    )
    assert int(via_direct["Attributes"]["SentTimestamp"]) >= before_ms - 1000
    assert via_direct["Attributes"]["SenderId"] == via_boto["Attributes"]["SenderId"]


def test_send_direct_fifo_dedups_with_boto3_sends(server_client: Any) -> None:
    url = server_client.create_queue(QueueName=f"direct-{time.time_ns()}.fifo",
                                     Attributes={"FifoQueue": "true"})["QueueUrl"]  # fmt: skip
    sent = sqs_fast.send_direct(url, "one", region=REGION, group_id="g", dedup_id="same")
    assert sent.sequence_number and sent.sequence_number.isdigit()
    server_client.send_message(QueueUrl=url, MessageBody="two", MessageGroupId="g",
                               MessageDeduplicationId="same")  # fmt: skip
    got = _receive_one(server_client, url)
    assert got["Body"] == "one" and got["Attributes"]["SequenceNumber"] == sent.sequence_number
    assert got["Attributes"]["MessageGroupId"] == "g"
    attrs = server_client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "1"


def test_send_direct_errors(server_client: Any) -> None:
    url = server_client.create_queue(QueueName=f"direct-{time.time_ns()}",
                                     Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]  # fmt: skip
    with pytest.raises(sqs_fast.FastQueueMissing) as missing:
        sqs_fast.send_direct(url + "-nope", "x", region=REGION)
    assert missing.value.code == "AWS.SimpleQueueService.NonExistentQueue"
    with pytest.raises(sqs_fast.FastMessageTooLarge, match="shorter than 1024"):
        sqs_fast.send_direct(url, "x" * 1025, region=REGION)
    fifo = server_client.create_queue(QueueName=f"f-{time.time_ns()}.fifo",
                                      Attributes={"FifoQueue": "true"})["QueueUrl"]  # fmt: skip
    with pytest.raises(sqs_fast.FastInvalidMessage, match="MessageGroupId"):
        sqs_fast.send_direct(fifo, "x", region=REGION)


def test_long_poll_wakes_on_a_send_with_speedups(server_client: Any) -> None:
    # The patched wait_for_messages must still be woken by add_message's notify.
    url = server_client.create_queue(QueueName=f"poll-{time.time_ns()}")["QueueUrl"]
    timer = threading.Timer(0.3, sqs_fast.send_direct, (url, "late"), {"region": REGION})
    timer.start()
    started = time.monotonic()
    got = server_client.receive_message(QueueUrl=url, WaitTimeSeconds=5)
    timer.join()
    assert [m["Body"] for m in got["Messages"]] == ["late"]
    assert time.monotonic() - started < 3.0


def test_send_direct_honours_the_queue_delay_like_boto3(server_client: Any) -> None:
    url = server_client.create_queue(
        QueueName=f"delay-{time.time_ns()}", Attributes={"DelaySeconds": "60"}
    )["QueueUrl"]
    sqs_fast.send_direct(url, "direct", region=REGION)
    server_client.send_message(QueueUrl=url, MessageBody="boto3")  # no DelaySeconds either
    attrs = server_client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesDelayed"] == "2"
    assert attrs["ApproximateNumberOfMessages"] == "0"
    sqs_fast.send_direct(url, "now", region=REGION, delay_seconds=0)
    assert _receive_one(server_client, url)["Body"] == "now"
