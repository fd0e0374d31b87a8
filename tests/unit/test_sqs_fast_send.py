"""sqs_fast's send: the message ids moto's seeded random would give, and moto's own id source
whenever someone replaced it."""

from __future__ import annotations

import uuid

import pytest
from moto.moto_api._internal import mock_random

from emulator.sqs_fast import send


def test_message_ids_are_motos_seeded_draws() -> None:
    mock_random.seed(9)
    motos = [str(mock_random.uuid4()) for _ in range(2_000)]
    mock_random.seed(9)
    ours = [send.message_id() for _ in range(2_000)]
    assert ours == motos
    assert all(uuid.UUID(text).version == 4 for text in ours)
    assert send._MIRRORS_UUID4  # the venv's moto has the uuid4 this mirrors


def test_a_replaced_uuid4_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    fixed = uuid.UUID("12345678-1234-4234-8234-123456789abc")
    monkeypatch.setattr(mock_random, "uuid4", lambda: fixed)
    assert send.message_id() == str(fixed)
