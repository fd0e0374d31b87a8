"""Shared fixtures for the emulator's own tests: one real server per xdist worker."""

from __future__ import annotations

import pytest
from stream_chat import StreamChat

from emulator.cli.client import ControlClient
from emulator.config import Settings
from emulator.server import EmulatorServer

# For tests/plugin (pytester runs of the pytest plugin): pytest allows `pytest_plugins` only in
# the top-level conftest.
pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def server():
    settings = Settings(port=0, sqs_port=0)
    with EmulatorServer(settings) as running:
        yield running


@pytest.fixture(autouse=False)
def fresh(server):
    """A clean app, ledger and SQS state for the test (the server itself is shared)."""
    server.backend.reset(sqs=True)
    yield server


@pytest.fixture
def chat(fresh) -> StreamChat:
    """The official stream-chat SDK, pointed at the emulator by base URL only."""
    s = fresh.settings
    return StreamChat(api_key=s.api_key, api_secret=s.api_secret, base_url=fresh.base_url)


@pytest.fixture
def control(fresh) -> ControlClient:
    return ControlClient.for_settings(fresh.base_url, fresh.settings)


@pytest.fixture
def sqs(fresh):
    return fresh.engine.client("sqs")


@pytest.fixture
def iam(fresh):
    return fresh.engine.client("iam")
