"""`stream-sqs-emulator webhook-receiver`: a small receiver for webhook hooks (docs/simulate.md)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import Any

from ..config import ClientSettings
from ..webhook_receiver import DOWN_MODES, WebhookReceiver
from .common import wait_for_stop


def add_webhook_receiver(commands: Any) -> None:
    cmd = commands.add_parser(
        "webhook-receiver",
        help="a webhook receiver on this machine that verifies signatures and counts events",
        description="Answers webhook POSTs with 200 after checking X-Signature; prints its URL, "
                    "and on exit how many requests and distinct events (X-Webhook-Id) arrived. "
                    "GET /stats gives the counts as JSON while it runs.",
    )
    cmd.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    cmd.add_argument("--port", type=int, default=0, help="port, 0 = a free one (default)")
    cmd.add_argument("--down-between", metavar="START:END", type=_window,
                     help="be out from START to END seconds after start, e.g. 5:15")
    cmd.add_argument("--from-first-request", action="store_true",
                     help="count the --down-between window from the first request received, "
                          "not from start-up")
    cmd.add_argument("--down-mode", choices=DOWN_MODES, default="refuse",
                     help="refuse = connections refused while out (default); 503 = answer 503")
    cmd.add_argument("--secret", help="API secret the signatures use (default: "
                                      "$STREAM_SECRET as `run` prints it, else "
                                      "STREAM_EMULATOR_API_SECRET or the emulator's default)")
    cmd.add_argument("--duration", type=float, metavar="S", help="stop after S seconds")
    cmd.add_argument("--json", action="store_true", help="final counts as JSON on stdout")
    cmd.set_defaults(handler=_run)


def _window(raw: str) -> tuple[float, float]:
    start, sep, end = raw.partition(":")
    try:
        window = (float(start), float(end)) if sep else None
    except ValueError:
        window = None
    if window is None or not 0 <= window[0] < window[1]:
        raise argparse.ArgumentTypeError(
            f"expected START:END seconds with 0 <= START < END, e.g. 5:15, got {raw!r}")
    return window


def _run(args: argparse.Namespace) -> int:
    # The secret the pasted exports name (a `run` with its own STREAM_EMULATOR_API_SECRET
    # signs with it): the emulator's own variable alone left every signature "bad" there.
    secret = args.secret or ClientSettings.from_env().api_secret
    receiver = WebhookReceiver(secret, host=args.host, port=args.port,
                               down_between=args.down_between, down_mode=args.down_mode,
                               window_from_first=args.from_first_request)
    try:
        receiver.start()
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    print(f"webhook receiver on {receiver.url}{_down_text(args)}", flush=True)
    wait_for_stop(stop, args.duration)
    receiver.stop()
    stats = receiver.stats()
    print(json.dumps(stats) if args.json else _summary(stats), flush=True)
    return 0


def _down_text(args: argparse.Namespace) -> str:
    if not args.down_between:
        return ""
    start, end = args.down_between
    how = "connections refused" if args.down_mode == "refuse" else "answers 503"
    origin = "the first request" if args.from_first_request else "start"
    return f" (out from {start:g} s to {end:g} s after {origin}: {how})"


def _summary(stats: dict[str, Any]) -> str:
    return (f"received {stats['requests']:,} request(s): {stats['events']:,} event(s) "
            f"(distinct X-Webhook-Id, signature valid), {stats['duplicates']:,} duplicate(s), "
            f"{stats['bad_signatures']:,} bad signature(s), "
            f"{stats['dropped_while_down'] + stats['answered_503_while_down']:,} turned away "
            "while out")
