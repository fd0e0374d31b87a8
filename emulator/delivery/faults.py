"""SQS misbehaving on demand: `POST /_emulator/faults` (issue 7 §2).

A fault applies to every send attempt while it is active: `unavailable` (the endpoint does
not answer), `throttle` (SQS answers RequestThrottled) or `latency` (each send waits
`latency_ms` first). `probability` picks which attempts are hit; `seconds` ends the fault on
its own. The dispatcher retries failed attempts (see `RetryPolicy`) before it records
`failed`, so a short outage costs latency, not events.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..fields import json_type

MODES = ("unavailable", "throttle", "latency")


@dataclass(frozen=True)
class SqsFault:
    mode: str
    probability: float = 1.0
    latency_ms: int = 0
    ends_at: float | None = None  # time.monotonic() deadline, None = until cleared

    def to_wire(self, now: float) -> dict[str, Any]:
        left = None if self.ends_at is None else max(0.0, round(self.ends_at - now, 3))
        return {"mode": self.mode, "probability": self.probability,
                "latency_ms": self.latency_ms, "seconds_left": left}


class TransientSendError(Exception):
    """A send attempt failed in a way a retry may fix (outage, throttling)."""


class FaultInjector:
    def __init__(self, rng: random.Random | None = None):
        self._fault: SqsFault | None = None
        self._rng = rng or random.Random()
        self._lock = threading.Lock()

    def set(self, body: Any) -> SqsFault:
        fault = parse_fault(body)
        with self._lock:
            self._fault = fault
        return fault

    def clear(self) -> None:
        with self._lock:
            self._fault = None

    def active(self) -> SqsFault | None:
        with self._lock:
            fault = self._fault
            if fault and fault.ends_at is not None and time.monotonic() >= fault.ends_at:
                self._fault = fault = None
            return fault

    def wire(self) -> dict[str, Any]:
        fault = self.active()
        return {"sqs": fault.to_wire(time.monotonic()) if fault else None}

    def before_send(self) -> None:
        """Called before each send attempt: sleep, raise TransientSendError, or nothing."""
        fault = self.active()
        if fault is None:
            return
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


def parse_fault(body: Any) -> SqsFault:
    if not isinstance(body, dict) or not isinstance(body.get("sqs"), dict):
        raise InputError('body must be {"sqs": {"mode": …}}, got ' + json_type(body))
    spec = body["sqs"]
    mode = spec.get("mode")
    if mode not in MODES:
        raise InputError(f"sqs.mode must be one of {list(MODES)}, got {mode!r}")
    probability = _number(spec, "probability", 1.0)
    if not 0.0 <= probability <= 1.0:
        raise InputError(f"sqs.probability must be between 0 and 1, got {probability}")
    latency = _number(spec, "latency_ms", 0)
    if not 0 <= latency <= 60_000:
        raise InputError(f"sqs.latency_ms must be between 0 and 60000, got {latency}")
    seconds = spec.get("seconds")
    if seconds is not None:
        seconds = _number(spec, "seconds", 0)
        if seconds <= 0:
            raise InputError(f"sqs.seconds must be positive, got {seconds}")
    ends_at = None if seconds is None else time.monotonic() + seconds
    return SqsFault(mode, float(probability), int(latency), ends_at)


def _number(spec: dict, name: str, default: float) -> float:
    value = spec.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"sqs.{name} must be a number, got {json_type(value)}")
    return value


@dataclass(frozen=True)
class RetryPolicy:
    """What the emulated Stream does when a send fails: retry with exponential backoff.

    Stream documents retries for webhooks (stream-api.md §7) but not for SQS; we apply the
    same idea: `retries` more attempts, waiting backoff_ms, 2×, 4×… between them.
    """

    retries: int = 2
    backoff_ms: int = 10

    def delays(self) -> list[float]:
        return [self.backoff_ms * (2**i) / 1000 for i in range(self.retries)]
