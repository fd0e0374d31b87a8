"""pytester runs of the plugin: inner test files use only the fixtures, as a downstream repo.

The `pytester` plugin itself is enabled in tests/conftest.py: pytest accepts `pytest_plugins`
only in the top-level conftest."""

from __future__ import annotations

import pytest

from emulator.config import Settings
from emulator.server import EmulatorServer


@pytest.fixture(scope="module")
def outer_emulator():
    """An emulator in this (outer) process, for the inner runs' --stream-emulator-url."""
    with EmulatorServer(Settings(port=0, sqs_port=0)) as server:
        yield server


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # The inner runs must not inherit an emulator URL, seed or dialect from the outer shell,
    # nor the outer xdist worker's identity.
    for name in ("STREAM_EMULATOR_URL", "STREAM_EMULATOR_SEED", "STREAM_EMULATOR_DIALECT",
                 "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)
    return pytester
