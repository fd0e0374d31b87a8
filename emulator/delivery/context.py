"""What every sender gets from the backend, built once: settings, SQS engine, faults, retries,
permission checkers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..config import Settings
from ..sqs_engine import SqsEngine
from .faults import FaultInjector
from .permissions import PermissionChecker
from .retry import RetryPolicy
from .wire import WireOptions


class PermissionCheckers:
    """One PermissionChecker per region; `reset()` forgets their memoised decisions."""

    def __init__(self, engine: SqsEngine, strict_iam: bool):
        self._engine = engine
        self._strict_iam = strict_iam
        self._checkers: dict[str, PermissionChecker] = {}
        self._lock = threading.Lock()

    def for_region(self, region: str) -> PermissionChecker:
        with self._lock:
            if region not in self._checkers:
                # Embedded moto: read IAM and queue policies in-process (µs, never stale);
                # an external endpoint: over the API, memoised for a second.
                embedded = self._engine.embedded
                self._checkers[region] = PermissionChecker(
                    None if embedded else self._engine.client("iam", region),
                    None if embedded else self._engine.client("sqs", region),
                    strict_iam=self._strict_iam,
                    in_process=embedded,
                )
            return self._checkers[region]

    def reset(self) -> None:
        with self._lock:
            checkers = list(self._checkers.values())
        for checker in checkers:
            checker.invalidate()


@dataclass(frozen=True)
class DeliveryContext:
    settings: Settings
    engine: SqsEngine
    faults: FaultInjector
    retry: RetryPolicy
    permissions: PermissionCheckers
    # The body form in force (Backend.wire_options): switched per test, not per process.
    wire: Callable[[], WireOptions] | None = None

    def body_base64(self) -> bool:
        """Base64 the body even without compression (STREAM_EMULATOR_SQS_BODY_BASE64 or a
        wire variant)."""
        return self.wire().sqs_body_base64 if self.wire else self.settings.sqs_body_base64
