"""Fast path into the embedded moto SQS (moto-notes trap 4; issue 4 §3 "Speed").

- ``install_speedups()`` / ``uninstall_speedups()``: index moto's SQS queues so send, receive,
  delete and the Approximate* counts cost O(1)-ish per message instead of O(queue depth),
  with identical observable behaviour (checked by tests/integration/test_sqs_fast_differential.py).
- ``send_direct(...)``: SendMessage straight into the in-process backend (no HTTP, no boto3).
- ``check_moto_version()`` / ``SUPPORTED_MOTO``: the moto range the patches were verified on.
"""

from .direct import SentMessage, send_direct
from .errors import (
    FastInvalidMessage,
    FastMessageTooLarge,
    FastQueueMissing,
    FastSQSError,
    MotoVersionUnsupported,
)
from .install import check_moto_source, install_speedups, speedups_installed, uninstall_speedups
from .version import SUPPORTED_MOTO, check_moto_version

__all__ = [
    "SUPPORTED_MOTO",
    "FastInvalidMessage",
    "FastMessageTooLarge",
    "FastQueueMissing",
    "FastSQSError",
    "MotoVersionUnsupported",
    "SentMessage",
    "check_moto_source",
    "check_moto_version",
    "install_speedups",
    "send_direct",
    "speedups_installed",
    "uninstall_speedups",
]
