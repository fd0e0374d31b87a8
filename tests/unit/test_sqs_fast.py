"""Unit tests of emulator.sqs_fast: the moto version gate, install/uninstall, the counters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto.sqs import models as sqs_models

from emulator import sqs_fast
from emulator.sqs_fast import install as fast_install
from emulator.sqs_fast.store import MessageStore
from emulator.sqs_fast.tracker import ThresholdCounter
from emulator.sqs_fast.version import installed_moto_version, version_in_range


@pytest.fixture
def restore_install_state() -> Iterator[None]:
    was = sqs_fast.speedups_installed()
    yield
    sqs_fast.install_speedups() if was else sqs_fast.uninstall_speedups()


@pytest.mark.parametrize(
    ("version", "ok"),
    [("5.2.0", True), ("5.2.5", True), ("5.2.6.dev1", True), ("5.1.22", False),
     ("5.1.10", False), ("5.3.0", False), ("6.0", False), ("4.2.14", False)],
)  # fmt: skip
def test_version_range(version: str, ok: bool) -> None:
    assert version_in_range(version) is ok


def test_check_moto_version_names_the_range_and_the_way_out() -> None:
    assert sqs_fast.check_moto_version() == installed_moto_version()
    with pytest.raises(sqs_fast.MotoVersionUnsupported) as err:
        sqs_fast.check_moto_version("5.3.1")
    text = str(err.value)
    assert "5.3.1" in text and sqs_fast.SUPPORTED_MOTO in text
    assert "STREAM_EMULATOR_SQS_ENDPOINT" in text


def test_installed_moto_is_supported_and_unchanged() -> None:
    sqs_fast.check_moto_version()  # the venv's moto must pass the gate it ships with
    sqs_fast.check_moto_source()


def test_changed_moto_source_is_refused(
    # Order matters: fixtures tear down in reverse, so monkeypatch's undo runs before the
    # re-install that restore_install_state does when the speed-ups were on.
    restore_install_state: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs_fast.uninstall_speedups()
    monkeypatch.setattr(fast_install, "KNOWN_MODELS_FILES", {})  # force the AST check
    monkeypatch.setitem(fast_install.EXPECTED_FINGERPRINTS, "Queue.add_message", "0" * 16)
    with pytest.raises(sqs_fast.MotoVersionUnsupported, match="Queue.add_message"):
        sqs_fast.install_speedups()
    assert not sqs_fast.speedups_installed()
    assert vars(sqs_models.Queue)["add_message"].__module__ == "moto.sqs.models"


def test_install_is_idempotent_and_uninstall_restores(restore_install_state: None) -> None:
    sqs_fast.uninstall_speedups()
    originals = {name: vars(sqs_models.Queue)[name] for name in ("add_message", "delete_message")}
    receive = vars(sqs_models.SQSBackend)["receive_message"]

    assert sqs_fast.install_speedups() is True
    patched = vars(sqs_models.Queue)["add_message"]
    assert sqs_fast.install_speedups() is False  # second call changes nothing
    assert vars(sqs_models.Queue)["add_message"] is patched is not originals["add_message"]
    assert isinstance(vars(sqs_models.Queue)["_messages"], property)

    assert sqs_fast.uninstall_speedups() is True
    assert sqs_fast.uninstall_speedups() is False
    assert {n: vars(sqs_models.Queue)[n] for n in originals} == originals
    assert vars(sqs_models.SQSBackend)["receive_message"] is receive
    assert "_messages" not in vars(sqs_models.Queue)


def test_existing_queues_are_converted_both_ways(restore_install_state: None) -> None:
    # An account of its own, not mock_aws: that would reset every backend in this process.
    sqs_fast.uninstall_speedups()
    backend = sqs_models.sqs_backends["900000000999"]["us-east-1"]
    queue = backend.create_queue("q")
    try:
        backend.send_message("q", "before")
        assert type(queue.__dict__["_messages"]) is list
        sqs_fast.install_speedups()
        assert isinstance(queue.__dict__["_messages"], MessageStore)
        backend.send_message("q", "after")
        assert queue.approximate_number_of_messages == 2
        sqs_fast.uninstall_speedups()
        assert [msg.body for msg in queue.__dict__["_messages"]] == ["before", "after"]
        assert type(queue.__dict__["_messages"]) is list
    finally:
        backend.delete_queue("q")


def test_threshold_counter_follows_time_and_changes() -> None:
    a, b = object(), object()
    counter = ThresholdCounter(now=0.0)
    counter.set(a, (10.0, 1))  # pending while t <= 10
    counter.set(b, (10.0, 0))  # pending while t < 10
    assert counter.count(5.0) == 2
    assert counter.count(10.0) == 1
    counter.set(b, (20.0, 0))
    assert counter.count(10.5) == 1
    counter.set(a, (0.0, 1))  # already past: dropped at once
    counter.discard(b)
    assert counter.count(11.0) == 0


def test_store_keeps_list_semantics() -> None:
    class Msg:
        def __init__(self, n: int) -> None:
            self.n, self.visible_at, self.delayed_until = n, 0.0, 0.0
            self.deduplication_id, self.receipt_handle = None, None
            self.all_receipt_handles = [None]

    msgs = [Msg(i) for i in range(5)]
    store = MessageStore(msgs)
    store.remove(msgs[2])
    assert list(store) == [msgs[0], msgs[1], msgs[3], msgs[4]] == store
    assert len(store) == 4 and msgs[2] not in store and store[-1] is msgs[4]
    with pytest.raises(ValueError):
        store.remove(msgs[2])


def test_known_models_file_hash_agrees_with_the_function_by_function_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The fast path may only skip what the slow path would pass.
    monkeypatch.setattr(fast_install, "KNOWN_MODELS_FILES", {})
    fast_install.check_moto_source()  # the AST check passes on the installed moto
