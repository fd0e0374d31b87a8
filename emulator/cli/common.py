"""What the client commands share: the client from the printed variables, one-line errors,
one line per delivery record."""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
from typing import Any

from .client import ControlClient, EmulatorError, EmulatorRefused

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="the running emulator (default: $STREAM_CHAT_URL, as "
                                      "`run` prints it, else http://127.0.0.1:8000)")


def client(args: argparse.Namespace) -> ControlClient:
    """Signed with STREAM_KEY / STREAM_SECRET (the printed variables) at --url or STREAM_CHAT_URL."""
    return ControlClient.from_env(getattr(args, "url", None))


def fail(message: str, status: int = EXIT_FAILED) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


_STREAM_WRAPPED = re.compile(r'^\w+ failed with error: "(.*)"$', re.S)


def client_error(exc: EmulatorError) -> int:
    """main()'s answer to any client error, whatever the command: one line, never a
    traceback. Bad input the emulator refused (400) → exit 2; an emulator that is not there,
    a refused signature or another refusal → exit 1."""
    if not isinstance(exc, EmulatorRefused):
        return fail(str(exc))
    message = str(exc.body.get("message") or exc)
    # Stream's `<Operation> failed with error: "<detail>"` reads better as the detail alone.
    wrapped = _STREAM_WRAPPED.match(message)
    if wrapped:
        message = wrapped.group(1)
    if exc.status == 401:
        message += ("; sign with the STREAM_KEY and STREAM_SECRET that `stream-sqs-emulator run` "
                    "printed")
    return fail(message, EXIT_USAGE if exc.status == 400 else EXIT_FAILED)


def record_line(record: dict[str, Any]) -> str:
    """One ledger record, the same for every hook type: status, event type, hook type and id,
    size, attempts (when not 1) and, unless delivered, the reason."""
    hook_type = record.get("hook_type", "sqs")
    line = (f"{record['status']:<16} {record['event_type']:<28} {hook_type:<7} hook "
            f"{record['hook_id']}  {record['size_bytes']:,} bytes")
    attempts = record.get("attempts")
    if attempts is not None and attempts != 1:
        line += f"  {attempts} attempts"
    return line + (f"  — {record['reason']}" if record.get("reason") else "")


STOP_POLL_S = 0.2


def wait_for_stop(stop: threading.Event, timeout: float | None = None) -> None:
    """`stop.wait(timeout)` that lets the signal handlers setting `stop` run. The kernel may
    hand SIGINT/SIGTERM to any of the process's threads, and an untimed wait in the main
    thread is then never interrupted to run the handler (seen under load: `run` ignored
    SIGTERM); waking every STOP_POLL_S lets it run."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        left = STOP_POLL_S if deadline is None else min(STOP_POLL_S, deadline - time.monotonic())
        if left <= 0 or stop.wait(left):
            return
