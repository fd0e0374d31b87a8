"""The pytest helpers, usable without pytest too; `plugin.py` holds the pytest hooks and fixtures."""

from .emulator import (
    EventFactory,
    QueueHandle,
    SchemaAssertionError,
    SchemaChecker,
    StreamEmulator,
    StreamFailure,
    Triggered,
    connect_emulator,
    decode_body,
    hooked_queue,
    open_emulator,
    start_emulator,
    worker_id,
)

__all__ = [
    "EventFactory", "QueueHandle", "SchemaAssertionError", "SchemaChecker", "StreamEmulator",
    "StreamFailure", "Triggered", "connect_emulator", "decode_body", "hooked_queue",
    "open_emulator", "start_emulator", "worker_id",
]
