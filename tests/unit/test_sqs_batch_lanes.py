"""BatchSender's lanes: per hook, batches start in submission order with at most
`concurrency` in flight; hooks share one pool of threads and leave nothing behind.

The stand-in client only answers SendMessageBatch like SQS does and holds every call until the
test lets it go, so what is in flight at once is observed, not timed (the SQS side itself is
tested against a real moto_server in tests/integration/test_sqs_batch.py)."""

from __future__ import annotations

import threading
from typing import Any

from emulator.delivery.faults import FaultInjector
from emulator.delivery.retry import Circuit, RetryPolicy
from emulator.delivery.sqs_batch import BatchSender, plan_batches


class HeldClient:
    """Records each batch's first body when it starts; answers once `release` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started: list[str] = []
        self.in_flight = self.most_in_flight = 0
        self._lock = threading.Lock()

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> dict[str, Any]:
        with self._lock:
            self.started.append(Entries[0]["MessageBody"])
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        assert self.release.wait(30), "the test never released the batches"
        with self._lock:
            self.in_flight -= 1
        return {"Successful": [{"Id": e["Id"], "MessageId": f"id-{e['MessageBody']}"}
                               for e in Entries], "Failed": []}


def submit(sender: BatchSender, hook: str, client: HeldClient, bodies: list[str]) -> list:
    return sender.submit(hook, client, "http://127.0.0.1:1/000000000000/q", bodies,
                         [len(b) for b in bodies], Circuit(RetryPolicy(retries=0)),
                         lambda exc: str(exc))


def wait_until(condition: Any) -> None:
    event = threading.Event()
    for _ in range(3000):  # up to 30 s on a loaded machine; returns as soon as it holds
        if condition():
            return
        event.wait(0.01)
    raise AssertionError("condition never held")


def test_one_hook_has_at_most_concurrency_batches_in_flight() -> None:
    sender, client = BatchSender(FaultInjector(), concurrency=2), HeldClient()
    bodies = [f"b{i:02d}" for i in range(50)]  # 5 batches of 10
    parts = submit(sender, "hook-a", client, bodies)
    wait_until(lambda: len(client.started) == 2)
    assert client.started == ["b00", "b10"]  # the first two; the rest wait for room
    client.release.set()
    outcomes = [entry for _, future in parts for entry in future.result(timeout=30)]
    sender.shutdown()
    assert client.most_in_flight == 2 and sorted(client.started) == bodies[::10]
    assert [o.message_id for o in outcomes] == [f"id-{b}" for b in bodies]
    assert not sender._lanes  # an idle hook leaves no lane behind


def test_one_batch_in_flight_keeps_the_whole_order_across_submits() -> None:
    sender, client = BatchSender(FaultInjector(), concurrency=1), HeldClient()
    client.release.set()
    parts = [part for start in range(0, 60, 20)
             for part in submit(sender, "hook-a", client, [f"b{i:02d}" for i in
                                                           range(start, start + 20)])]
    assert all(not o.error for _, future in parts for o in future.result(timeout=30))
    sender.shutdown()
    assert client.started == [f"b{i:02d}" for i in range(0, 60, 10)]
    assert client.most_in_flight == 1


def test_hooks_have_lanes_of_their_own_over_one_bounded_pool() -> None:
    # 12 hooks, one batch each: 8 run at once (8 lanes at full speed), the others wait; a
    # pool per hook would have started 12 threads.
    sender, client = BatchSender(FaultInjector(), concurrency=1), HeldClient()
    before = set(threading.enumerate())  # other senders of this process keep theirs
    parts = [submit(sender, f"hook-{h}", client, [f"{h}-{i}" for i in range(10)])
             for h in range(12)]
    wait_until(lambda: len(client.started) == 8)
    threads = {t for t in set(threading.enumerate()) - before if t.name.startswith("sqs-send")}
    client.release.set()
    for hook_parts in parts:
        for _, future in hook_parts:
            assert all(not o.error for o in future.result(timeout=30))
    sender.shutdown()
    assert len(threads) == 8 and len(client.started) == 12 and not sender._lanes


def test_batches_hold_at_most_ten_entries_and_256_kib() -> None:
    assert plan_batches([1] * 25) == [list(range(10)), list(range(10, 20)), list(range(20, 25))]
    assert plan_batches([200_000, 100_000, 10]) == [[0], [1, 2]]
