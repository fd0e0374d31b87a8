"""pytest plugin for scripts/moto_suite.py: moto's tests run on the patched moto."""

from __future__ import annotations

import pytest

from emulator import sqs_fast


def pytest_configure(config: pytest.Config) -> None:
    sqs_fast.acquire_speedups()  # what an embedded emulator does on start


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    assert sqs_fast.speedups_installed(), "the speed-ups must stay installed for every test"
    return (yield)


def pytest_report_header() -> str:
    return "stream-sqs-emulator: moto's SQS speed-ups installed"
