"""The pytest helpers, usable without pytest too; `plugin.py` holds the pytest hooks and fixtures."""

from ..consumer import UndecodableBody, batch_failures, lambda_event  # README: re-exported
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
from .lambda_batch import Completion
from .wire import WIRE_VARIANTS, WireVariant

__all__ = [
    "WIRE_VARIANTS", "Completion", "WireVariant",
    "EventFactory", "QueueHandle", "SchemaAssertionError", "SchemaChecker", "StreamEmulator",
    "StreamFailure", "Triggered", "connect_emulator", "decode_body", "hooked_queue",
    "open_emulator", "start_emulator", "worker_id",
    "UndecodableBody", "batch_failures", "lambda_event",
]
