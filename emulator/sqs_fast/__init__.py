"""Fast path into the embedded moto SQS, whose own send and receive cost grows with queue depth.

- ``acquire_speedups()`` / ``release_speedups()``: what an embedded engine calls on start and
  stop; the first lease installs, the last release uninstalls (``install_speedups()`` /
  ``uninstall_speedups()`` underneath): moto's SQS queues are indexed so send, receive, delete
  and the Approximate* counts cost O(1)-ish per message instead of O(queue depth), with
  identical observable behaviour (tests/integration/test_sqs_fast_differential.py),
  moto's instance tracker keeps only live messages (``tracking.py``), and moto's SQS clock
  gives the same value ~15x cheaper (``clock.py``).
- ``send_direct(...)``: SendMessage straight into the in-process backend (no HTTP, no boto3);
  ``queue_exists(...)``: whether a queue is there, the same way; ``known_region(...)``: whether
  moto has that region at all.
- ``publish_direct(...)``: SNS Publish the same way (moto's own fan-out to subscribed queues).
- ``check_moto_version()`` / ``SUPPORTED_MOTO``: the moto range the patches were verified on.
"""

from .direct import SentMessage, known_region, queue_exists, send_direct
from .errors import (
    FastInvalidMessage,
    FastMessageTooLarge,
    FastQueueMissing,
    FastSNSError,
    FastSQSError,
    MotoVersionUnsupported,
)
from .install import (
    acquire_speedups,
    check_moto_source,
    install_speedups,
    release_speedups,
    speedups_installed,
    uninstall_speedups,
)
from .sns_direct import publish_direct
from .version import SUPPORTED_MOTO, check_moto_version

__all__ = [
    "SUPPORTED_MOTO",
    "FastInvalidMessage",
    "FastMessageTooLarge",
    "FastQueueMissing",
    "FastSNSError",
    "FastSQSError",
    "MotoVersionUnsupported",
    "SentMessage",
    "acquire_speedups",
    "known_region",
    "queue_exists",
    "check_moto_source",
    "check_moto_version",
    "install_speedups",
    "publish_direct",
    "release_speedups",
    "send_direct",
    "speedups_installed",
    "uninstall_speedups",
]
