"""The simulation loop: draw a batch, send it, count what happened, keep to the schedule."""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from ..cli.client import EmulatorError
from .pacing import Pacer
from .report import Progress, Tally, rate_sentence
from .sinks import SendError, Sink
from .traffic import Traffic
from .traffic_process import TrafficError, TrafficProcess


@dataclass
class Run:
    tally: Tally
    pacer: Pacer
    seed: int
    ledger_before: dict[str, int]
    ledger_after: dict[str, int] | None = None
    error: str | None = None
    interrupted: bool = False
    pending: int = 0  # webhook deliveries still being tried when the run ended
    info: dict[str, Any] = field(default_factory=dict)  # mode, users, channels, dialect…

    @property
    def ledger_delta(self) -> dict[str, int] | None:
        if self.ledger_after is None:
            return None
        return {s: n - self.ledger_before.get(s, 0) for s, n in self.ledger_after.items()}

    def ledger_agrees(self) -> bool:
        return self.ledger_delta == self.tally.status_totals()

    def rate_text(self) -> str:
        return rate_sentence(self.pacer.rate, self.pacer.achieved(), self.pacer.kept_up())


def simulate(traffic: Traffic | TrafficProcess, sink: Sink, pacer: Pacer,
             progress: Progress | None = None) -> Run:
    run = Run(Tally(), pacer, traffic.seed, sink.ledger_totals())
    # One batch in flight while the next is drawn: a running emulator (HttpSink) works on
    # batch k while this process builds batch k+1 (and encodes it: `prepare`), then sends it
    # as soon as k is answered and counts k while k+1 is in flight. Only one send at a time,
    # so the order of the events is kept. In-process sinks send inline: two busy threads
    # sharing the GIL were ~9 % slower than one.
    sender: Any = (ThreadPoolExecutor(1, thread_name_prefix="simulate-send")
                   if getattr(sink, "overlaps", False) else _Inline())
    pending: list[tuple[list[dict], Future]] = []  # the batch in flight, until answered
    ready: list[tuple[list[dict], list[dict]]] = []  # answered, not counted yet
    try:
        while size := pacer.next_batch():
            events = traffic.batch(size)
            job = _job(sink, events)
            _wait_turn(sink, pending)
            with ctrl_c_after():  # an in-process send: delivered and counted, or not begun
                _collect(pacer, pending, ready)
                pending.append((events, sender.submit(job)))
                pacer.done(len(events))  # scheduled: the pacer counts what has gone out
                _count_ready(run, pacer, ready, progress)
        _settle(run, pacer, pending, progress)
        pacer.finish()
    except KeyboardInterrupt:
        run.interrupted = True
        _count_ready(run, pacer, ready, progress)
        _settle_quietly(run, pacer, pending, progress)
    except SendError as exc:
        _count_ready(run, pacer, ready, progress)
        _count(run, pacer, exc.events, exc.records, progress)
        run.error = str(exc)
    except TrafficError as exc:  # the generator process failed: what was sent is counted
        _count_ready(run, pacer, ready, progress)
        _settle_quietly(run, pacer, pending, progress)
        run.error = run.error or str(exc)
    finally:
        sender.shutdown(wait=True)
        pacer.end = pacer.end or pacer.clock()
        if progress is not None:
            progress.update(run.tally, _fraction(pacer), pacer.achieved(), force=True)
            progress.close()
    _settle_late(run, sink)
    run.ledger_after = _totals(sink, run)
    return run


def _wait_turn(sink: Sink, pending: list[tuple[list[dict], Future]]) -> None:
    """Until the batch in flight is answered and (standalone) the sends to an external
    endpoint leave room: Ctrl-C may stop this wait, never a count."""
    wait([future for _, future in pending])
    wait_room = getattr(sink, "wait_room", None)
    if wait_room is not None:
        wait_room()


@contextlib.contextmanager
def ctrl_c_after() -> Iterator[None]:
    """Ctrl-C inside the block takes effect when it ends. A KeyboardInterrupt in the middle of
    a standalone send left SQS messages without their ledger records (and records without
    their count); since the traffic process took the drawing, nearly every Ctrl-C landed
    there. Only in the main thread with Python's own handler (anywhere else, as before)."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


def _settle_late(run: Run, sink: Sink) -> None:
    """Webhook records that ended after their batch (standalone: nobody waits for a
    webhook), waited for up to the sink's bound (not after Ctrl-C); what is still being
    tried then is `pending`, in no table and not yet in the ledger."""
    settle = getattr(sink, "settle", None)
    if settle is None:
        return
    try:
        records, run.pending = settle(0.0 if run.interrupted else None)
    except KeyboardInterrupt:  # Ctrl-C while waiting: what came so far, and the summary
        run.interrupted = True
        records, run.pending = settle(0.0)
    run.tally.add([], records)


def _job(sink: Sink, events: list[dict]) -> Callable[[], list[dict]]:
    """The send of `events`; a sink with `prepare` does its CPU work (encoding) here, in the
    drawing thread, while the batch before is still in flight."""
    prepare = getattr(sink, "prepare", None)
    return prepare(events) if prepare is not None else functools.partial(sink.send, events)


class _Inline:
    """The executor interface, running each send at once in this thread."""

    def submit(self, job: Callable[[], list[dict]]) -> Future:
        future: Future = Future()
        try:
            future.set_result(job())
        except Exception as exc:  # SendError: raised again by result(); Ctrl-C goes through
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True) -> None:
        pass


def _collect(pacer: Pacer, pending: list[tuple[list[dict], Future]],
             ready: list[tuple[list[dict], list[dict]]]) -> None:
    """Wait for the batch in flight and keep its records for counting (SendError: raised,
    its part that went through is counted by the caller)."""
    if not pending:
        return
    events, future = pending[0]  # still pending while waiting: Ctrl-C settles it
    try:
        records = future.result()
    except SendError:
        pending.clear()
        pacer.sent -= len(events)  # the error's part is counted by the caller
        raise
    pending.clear()
    pacer.sent -= len(events)  # _count adds them back
    ready.append((events, records))


def _count_ready(run: Run, pacer: Pacer, ready: list[tuple[list[dict], list[dict]]],
                 progress: Progress | None) -> None:
    while ready:
        _count(run, pacer, *ready.pop(0), progress)


def _settle(run: Run, pacer: Pacer, pending: list[tuple[list[dict], Future]],
            progress: Progress | None) -> None:
    """Wait for the batch in flight and count it (SendError: its part that went through)."""
    ready: list[tuple[list[dict], list[dict]]] = []
    _collect(pacer, pending, ready)
    _count_ready(run, pacer, ready, progress)


def _settle_quietly(run: Run, pacer: Pacer, pending: list[tuple[list[dict], Future]],
                    progress: Progress | None) -> None:
    try:
        _settle(run, pacer, pending, progress)
    except SendError as exc:
        _count(run, pacer, exc.events, exc.records, progress)
        run.error = str(exc)


def _count(run: Run, pacer: Pacer, events: list[dict], records: list[dict],
           progress: Progress | None) -> None:
    pacer.done(len(events))
    run.tally.add(events, records)
    if progress is not None:
        progress.update(run.tally, _fraction(pacer), pacer.achieved())


def _fraction(pacer: Pacer) -> float:
    if pacer.target:
        return pacer.sent / pacer.target
    return pacer.elapsed() / pacer.duration if pacer.duration else 0.0


def _totals(sink: Sink, run: Run) -> dict[str, int] | None:
    try:
        return sink.ledger_totals()
    except EmulatorError as exc:  # the emulator went away: say so, keep the counts
        run.error = run.error or f"cannot read the ledger: {exc}"
        return None
