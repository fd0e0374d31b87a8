"""moto's instance tracker keeps what is alive while the speed-ups are installed.

moto appends every Message (sent, or copied by a receive) to its tracker; with the speed-ups
messages that left their queues are trimmed away, and deleted queues give their messages up,
while /moto-api/data.json keeps listing queues and the messages in them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto.sqs import models as m

from emulator import sqs_fast
from emulator.sqs_fast import tracking

ACCOUNT = "900000000777"  # an account of its own: other tests' queues stay out of the way


@pytest.fixture
def backend() -> Iterator[object]:
    sqs_fast.acquire_speedups()
    backend = m.sqs_backends[ACCOUNT]["us-east-1"]
    yield backend
    for name in list(backend.queues):
        backend.delete_queue(name)
    sqs_fast.release_speedups()


def tracked_bodies(prefix: str) -> list[str]:
    return sorted(msg.body for msg in m.Message.instances_tracked if msg.body.startswith(prefix))


def test_only_messages_in_a_queue_stay_tracked(backend) -> None:
    backend.create_queue("tracked")
    for i in range(6):
        backend.send_message("tracked", f"trk-{i}")
    received = backend.receive_message("tracked", 3, 0, 30)  # three tracked copies
    assert len(received) == 3
    backend.delete_message("tracked", received[0].receipt_handle)
    assert len(tracked_bodies("trk-")) == 9  # moto's own tracking: 6 sent + 3 copies

    dropped = tracking.trim(force=True, recent=0)

    assert dropped >= 4  # three copies and the deleted message
    in_queue = sorted(msg.body for msg in backend.get_queue("tracked")._messages)
    assert tracked_bodies("trk-") == in_queue and len(in_queue) == 5


def test_a_deleted_queue_stays_tracked_without_its_messages(backend) -> None:
    queue = backend.create_queue("doomed")
    for i in range(3):
        backend.send_message("doomed", f"doomed-{i}")
    backend.delete_queue("doomed")
    assert list(queue._messages) == []
    tracking.trim(force=True, recent=0)
    assert tracked_bodies("doomed-") == []
    assert any(q is queue for q in m.Queue.instances_tracked)  # as in moto, until a reset


def test_trimming_waits_until_enough_is_dead(backend) -> None:
    backend.create_queue("calm")
    backend.send_message("calm", "calm-0")
    received = backend.receive_message("calm", 1, 0, 30)
    backend.delete_message("calm", received[0].receipt_handle)
    assert tracking.trim() == 0  # far below SLACK dead entries: not worth a pass
    assert tracked_bodies("calm-") == ["calm-0", "calm-0"]


def test_newest_entries_are_left_alone(backend) -> None:
    backend.create_queue("young")
    backend.send_message("young", "young-0")
    received = backend.receive_message("young", 1, 0, 30)
    backend.delete_message("young", received[0].receipt_handle)
    tracking.trim(force=True, recent=len(m.Message.instances_tracked))
    assert tracked_bodies("young-") == ["young-0", "young-0"]  # a Message being built is safe
