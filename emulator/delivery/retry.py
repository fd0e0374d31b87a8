"""Retries of a failed send: the backoff policy, and a per-batch circuit per target.

Stream documents retries for webhooks but not for SQS; the emulated Stream applies the same
idea to SQS and SNS: `retries` more attempts, waiting backoff_ms, 2×, 4×… between them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


class TransientSendError(Exception):
    """A send attempt failed in a way a retry may fix (outage, throttling)."""


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 2
    backoff_ms: int = 10

    def delays(self) -> list[float]:
        return [self.backoff_ms * (2**i) / 1000 for i in range(self.retries)]


class Circuit:
    """One target within one batch of events. Once a send there used up its retries, the next
    sends get one attempt each until one goes through: an outage during a burst then costs
    milliseconds per event, not the whole backoff each time."""

    def __init__(self, policy: RetryPolicy):
        self._policy = policy
        self.tripped = False

    def delays(self) -> list[float]:
        return [] if self.tripped else self._policy.delays()


class BeforeSend(Protocol):
    def before_send(self) -> None:
        """Sleep, raise TransientSendError, or nothing (the fault injector)."""


@dataclass(frozen=True)
class Attempted(Generic[T]):
    value: T | None  # None when every attempt failed
    error: str  # why it gave up; "" on success
    attempts: int


def send_with_retries(send: Callable[[], T], circuit: Circuit, faults: BeforeSend) -> Attempted[T]:
    """Call `send` until it returns, retrying TransientSendError as the circuit allows."""
    delays: Iterator[float] | None = None  # read at the first failure: most sends have none
    attempts = 0
    while True:
        attempts += 1
        try:
            faults.before_send()
            value = send()
        except TransientSendError as exc:
            if delays is None:
                delays = iter(circuit.delays())
            delay = next(delays, None)
            if delay is None:
                circuit.tripped = True
                return Attempted(None, f"{exc}; gave up after {attempts} attempt(s)", attempts)
            time.sleep(delay)
        else:
            circuit.tripped = False
            return Attempted(value, "", attempts)
