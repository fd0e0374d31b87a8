"""sqs_fast's clock for moto's messages: moto's value to the last bit, moto's own when frozen."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

import pytest
from moto.core import utils as moto_utils
from moto.sqs import models as sqs_models

from emulator import sqs_fast
from emulator.sqs_fast import clock


@pytest.fixture
def installed() -> Iterator[None]:
    was = sqs_fast.speedups_installed()
    sqs_fast.install_speedups()
    yield
    if not was:
        sqs_fast.uninstall_speedups()


def test_the_arithmetic_is_motos_to_the_last_bit() -> None:
    rng = random.Random(7)
    epoch = datetime.datetime(1970, 1, 1)
    samples = [0, 1, 999_999, 86_400_000_000 - 1, 1_764_000_000_123_456]
    samples += [rng.randrange(0, 4_102_444_800_000_000) for _ in range(20_000)]  # to 2100
    for micros in samples:
        moment = epoch + datetime.timedelta(microseconds=micros)
        assert clock.millis(micros) == moto_utils.unix_time_millis(moment), micros


def test_it_reads_the_same_clock_as_moto() -> None:
    for _ in range(1_000):
        before = clock.unix_time_millis()
        motos = moto_utils.unix_time_millis()
        after = clock.unix_time_millis()
        assert before <= motos <= after


def test_installed_with_the_speedups(installed: None) -> None:
    assert clock.mirrors_moto()  # the venv's moto has the clock functions this mirrors
    assert sqs_models.unix_time_millis is clock.unix_time_millis
    assert sqs_models.unix_time_millis() > 1.7e12


def test_frozen_time_is_motos(installed: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """What freezegun does (moto's own tests freeze time; `make moto-suite` runs them):
    `datetime.datetime` becomes a subclass whose now() answers the frozen time."""
    frozen = datetime.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc)

    class Frozen(datetime.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return frozen

    monkeypatch.setattr(datetime, "datetime", Frozen)
    assert moto_utils.unix_time_millis() == 1893553445678.901
    assert sqs_models.unix_time_millis() == 1893553445678.901
    monkeypatch.undo()
    given = datetime.datetime(2001, 2, 3, 4, 5, 6)
    assert clock.unix_time_millis(given) == moto_utils.unix_time_millis(given)


def test_uninstall_puts_motos_clock_back(installed: None) -> None:
    sqs_fast.uninstall_speedups()
    assert sqs_models.unix_time_millis is moto_utils.unix_time_millis
    sqs_fast.install_speedups()
    assert sqs_models.unix_time_millis is clock.unix_time_millis


def test_a_changed_moto_clock_is_left_alone(
    installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs_fast.uninstall_speedups()
    monkeypatch.setitem(clock.EXPECTED_SOURCES, "unix_time", "0" * 16)
    sqs_fast.install_speedups()  # the other speed-ups still go in
    assert sqs_fast.speedups_installed()
    assert sqs_models.unix_time_millis is moto_utils.unix_time_millis
    sqs_fast.uninstall_speedups()
    monkeypatch.undo()
    sqs_fast.install_speedups()
