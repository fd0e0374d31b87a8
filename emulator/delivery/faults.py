"""SQS misbehaving on demand, set through `POST /_emulator/faults`.

A fault applies to every send attempt while it is active: `unavailable` (the endpoint does
not answer), `throttle` (SQS answers RequestThrottled) or `latency` (each send waits
`latency_ms` first). `probability` picks which attempts are hit; `seconds` ends the fault on
its own. Senders retry failed attempts (retry.py) before they record `failed`, so a short
outage costs latency, not events.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .retry import TransientSendError

MODES = ("unavailable", "throttle", "latency")
MAX_LATENCY_MS = 60_000


@dataclass(frozen=True)
class SqsFault:
    """What a client asks for (already checked by the API layer)."""

    mode: str
    probability: float = 1.0
    latency_ms: int = 0
    seconds: float | None = None  # None = until cleared


@dataclass(frozen=True)
class ActiveFault:
    fault: SqsFault
    seconds_left: float | None


class FaultInjector:
    def __init__(self, rng: random.Random | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self._fault: SqsFault | None = None
        self._ends_at: float | None = None
        self._rng = rng or random.Random()
        self._clock = clock
        self._lock = threading.Lock()

    def set(self, fault: SqsFault) -> ActiveFault:
        with self._lock:
            self._fault = fault
            self._ends_at = None if fault.seconds is None else self._clock() + fault.seconds
        return ActiveFault(fault, fault.seconds)

    def reset(self) -> None:
        with self._lock:
            self._fault = None

    def active(self) -> ActiveFault | None:
        with self._lock:
            fault, ends_at = self._fault, self._ends_at
            if fault is None:
                return None
            if ends_at is None:
                return ActiveFault(fault, None)
            left = ends_at - self._clock()
            if left <= 0:
                self._fault = None
                return None
            return ActiveFault(fault, max(0.0, round(left, 3)))

    def before_send(self) -> None:
        """Called before each send attempt: sleep, raise TransientSendError, or nothing."""
        if self._fault is None:  # the common case, without the lock (one attribute read)
            return
        active = self.active()
        if active is None:
            return
        fault = active.fault
        with self._lock:
            hit = self._rng.random() < fault.probability
        if not hit:
            return
        if fault.mode == "latency":
            time.sleep(fault.latency_ms / 1000)
        elif fault.mode == "throttle":
            raise TransientSendError("SQS answered RequestThrottled (injected fault)")
        else:
            raise TransientSendError("SQS endpoint unavailable (injected fault)")
