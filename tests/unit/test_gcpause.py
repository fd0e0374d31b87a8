"""emulator/gcpause.py: the collector is paused while a batch request runs, resumed after, and a
collector that was off before stays off (the server may run in a user's pytest process)."""

from __future__ import annotations

import gc
import threading

import pytest

from emulator.gcpause import collector_paused


@pytest.fixture(autouse=True)
def collector_back_on():
    yield
    gc.enable()


def test_paused_inside_and_resumed_after_even_on_an_error():
    gc.enable()
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("the view failed")
    assert gc.isenabled()


def test_overlapping_requests_resume_it_when_the_last_one_leaves():
    gc.enable()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        seen["after first"] = gc.isenabled()
        first_out.set()

    def second():
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen["second, after first left"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after first": False, "second, after first left": False}
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
