"""Chat tests drive the emulator with the official SDKs and read the events from a queue, all
through the pytest plugin's fixtures (the way a downstream repo would)."""

from __future__ import annotations

import uuid

import pytest
from getstream import Stream
from stream_chat import StreamChat


@pytest.fixture
def chat(stream_emulator) -> StreamChat:
    e = stream_emulator
    return StreamChat(api_key=e.api_key, api_secret=e.api_secret, base_url=e.base_url)


@pytest.fixture
def stream(stream_emulator) -> Stream:
    e = stream_emulator
    return Stream(api_key=e.api_key, api_secret=e.api_secret, base_url=e.base_url)


@pytest.fixture
def uid():
    """Ids unique to the test: the chat state is shared by every test of the session."""
    tag = uuid.uuid4().hex[:8]
    return lambda name: f"{name}-{tag}"
