"""Exceptions of the fast SQS path. Standalone on purpose: the emulator maps them to its own
delivery outcomes (``failed`` with a reason) without depending on moto's exception classes."""

from __future__ import annotations


class _CodedError(Exception):
    """An AWS error as moto would answer it: ``code`` and ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class FastSQSError(_CodedError):
    """Root: an SQS error from a direct send; ``code`` is the SQS error code moto would return."""


class FastQueueMissing(FastSQSError):
    """The queue does not exist (SQS: AWS.SimpleQueueService.NonExistentQueue)."""


class FastMessageTooLarge(FastSQSError):
    """The body is longer than the queue's MaximumMessageSize (moto counts characters)."""


class FastInvalidMessage(FastSQSError):
    """Any other rejection of the message (FIFO parameters, delay, attributes)."""


class FastSNSError(_CodedError):
    """An SNS error from a direct publish; ``code`` is the SNS error code moto would return.
    Not an SQS error: ``except FastSQSError`` does not catch it."""


class MotoVersionUnsupported(RuntimeError):
    """The installed moto is outside SUPPORTED_MOTO or changed a function we replace."""
