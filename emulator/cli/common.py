"""What the client commands share: the client from the printed variables, one-line errors,
one line per delivery record."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import Any

from .client import ControlClient, EmulatorRefused, EmulatorUnreachable

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]


def add_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="the running emulator (default: $STREAM_CHAT_URL, as "
                                      "`run` prints it, else http://127.0.0.1:8000)")


def client(args: argparse.Namespace) -> ControlClient:
    """Signed with STREAM_KEY / STREAM_SECRET (the printed variables) at --url or STREAM_CHAT_URL."""
    return ControlClient.from_env(getattr(args, "url", None))


def fail(message: str, status: int = EXIT_FAILED) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def client_command(handler: Handler) -> Handler:
    """Client errors as one line: bad input the emulator refused (400) → exit 2, an emulator
    that is not there or another refusal → exit 1; never a traceback."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except EmulatorRefused as exc:
            status = EXIT_USAGE if exc.status == 400 else EXIT_FAILED
            return fail(str(exc.body.get("message") or exc), status)
        except EmulatorUnreachable as exc:
            return fail(str(exc))
        except KeyboardInterrupt:
            return 130

    return wrapped


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
