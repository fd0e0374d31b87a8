"""`deliveries`, `reset` and `faults`: the control API from the command line, signed with the
printed STREAM_KEY / STREAM_SECRET (a user with curl cannot sign the JWT)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from ..config import UsageError
from ..delivery.faults import MODES
from .client import ControlClient
from .common import EXIT_OK, add_url, client, record_line

FOLLOW_BACKLOG = 10  # like `tail -f`: the last few records first, then the new ones


def add_control(commands: Any) -> None:
    _add_deliveries(commands)
    reset = commands.add_parser(
        "reset", help="app settings back to the start state, ledger and chat state emptied",
        description="Reset the running emulator: app settings back to what `run` set up, "
                    "delivery ledger and chat state (users, channels, messages, ...) emptied, "
                    "faults cleared.")
    reset.add_argument("--sqs", action="store_true",
                       help="also reset SQS, SNS and IAM: every queue, topic, IAM user and "
                            "policy deleted, then the default queue made again")
    add_url(reset)
    reset.set_defaults(handler=run_reset)
    _add_faults(commands)


def _add_deliveries(commands: Any) -> None:
    cmd = commands.add_parser(
        "deliveries", help="list the delivery ledger (one line per event and hook)",
        description="The running emulator's delivery records, oldest first; the totals go to "
                    "stderr.")
    cmd.add_argument("--type", help="only this event type, e.g. message.new")
    cmd.add_argument("--status", help="only records with this outcome: delivered, "
                                      "dropped_oversize, denied or failed")
    cmd.add_argument("--hook-id", help="only deliveries to this hook")
    cmd.add_argument("--hook-type", help="only deliveries to hooks of this type: sqs, sns or "
                                         "webhook")
    cmd.add_argument("--id", action="append", dest="ids", metavar="RECORD_ID",
                     help="only the record with this id (repeat for more; `trigger` prints "
                          "the ids of deliveries still being tried)")
    cmd.add_argument("--limit", type=int, help="only the newest N records")
    cmd.add_argument("--follow", action="store_true",
                     help=f"keep printing new records as they arrive (after the last "
                          f"{FOLLOW_BACKLOG}, or --limit); Ctrl-C stops")
    cmd.add_argument("--interval", type=float, default=0.5,
                     help="seconds between polls with --follow (default 0.5)")
    cmd.add_argument("--json", action="store_true", help="JSON lines instead of text")
    add_url(cmd)
    cmd.set_defaults(handler=run_deliveries)


def _add_faults(commands: Any) -> None:
    faults = commands.add_parser(
        "faults", help="make SQS misbehave (set MODE / clear / show)",
        description="Inject SQS faults into the running emulator's deliveries.")
    actions = faults.add_subparsers(title="actions", dest="action")
    set_ = actions.add_parser("set", help="start a fault",
                              description="Every SQS send attempt is hit with `probability`.")
    set_.add_argument("mode", metavar="MODE",
                      help="unavailable (endpoint does not answer), throttle (RequestThrottled) "
                           "or latency (each send waits --latency-ms)")
    set_.add_argument("--probability", type=float, default=1.0,
                      help="share of send attempts hit, 0..1 (default 1)")
    set_.add_argument("--latency-ms", type=int, metavar="MS",
                      help="delay per send, > 0: required by (and only for) the latency mode")
    set_.add_argument("--seconds", type=float, help="end the fault by itself after this long")
    clear = actions.add_parser("clear", help="end the active fault")
    show = actions.add_parser("show", help="print the active fault (the default action)")
    for parser in (faults, set_, clear, show):
        add_url(parser)
    faults.set_defaults(handler=run_faults)


def run_deliveries(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:  # the API's answer names `limit`, not the flag
        raise UsageError(f"--limit: the newest N records, N at least 1, got {args.limit}")
    control = client(args)
    filters = {"type": args.type, "status": args.status, "hook_id": args.hook_id,
               "hook_type": args.hook_type, "ids": args.ids}
    limit = args.limit if args.limit or not args.follow else FOLLOW_BACKLOG
    records, totals = control.ledger(**filters, limit=limit)
    for record in records:
        _print_record(record, args.json)
    if not args.follow:
        print("totals: " + ", ".join(f"{s} {n:,}" for s, n in totals.items()), file=sys.stderr)
        return EXIT_OK
    follow(control, filters, records, sum(totals.values()), args)
    return EXIT_OK


def follow(control: ControlClient, filters: dict[str, Any], shown: list[dict[str, Any]],
           total: int, args: argparse.Namespace) -> None:
    """Poll the ledger and print what is new. The totals count every record ever added, so
    their growth `d` bounds the new records: the newest `d` matching records hold them all,
    after the last one printed (or all of them when it is not among them)."""
    last = shown[-1]["id"] if shown else None
    while True:
        time.sleep(args.interval)
        now = sum(control.totals().values())
        if now < total:  # reset: everything in the ledger is new
            last, total = None, 0
        grown, total = now - total, now
        if not grown:
            continue
        records = control.deliveries(**filters, limit=grown)
        ids = [r["id"] for r in records]
        start = ids.index(last) + 1 if last in ids else 0
        for record in records[start:]:
            _print_record(record, args.json)
        if records:
            last = records[-1]["id"]


def _print_record(record: dict[str, Any], as_json: bool) -> None:
    print(json.dumps(record) if as_json else record_line(record), flush=True)


def run_reset(args: argparse.Namespace) -> int:
    client(args).reset(sqs=args.sqs)
    done = ("app settings back to the start state, ledger and chat state (users, channels, "
            "messages) emptied, faults cleared")
    # moto's own reset: queues of the user's are deleted too, not only emptied
    sqs = ("; SQS, SNS and IAM reset (every queue, topic and IAM user deleted, the default "
           "queue made again)")
    print(f"reset: {done}" + (sqs if args.sqs else ""))
    return EXIT_OK


def run_faults(args: argparse.Namespace) -> int:
    if args.action == "set":
        _check_fault_flags(args)
    control = client(args)
    if args.action == "set":
        control.set_fault(args.mode, args.probability, args.latency_ms or 0, args.seconds)
    elif args.action == "clear":
        control.clear_faults()
    print(fault_line(control.faults()))
    return EXIT_OK


def _check_fault_flags(args: argparse.Namespace) -> None:
    """The flags' own words (the API's answer names `sqs.probability`, `sqs.seconds`)."""
    if not 0 <= args.probability <= 1:
        raise UsageError(f"--probability: a share of send attempts from 0 to 1, got "
                         f"{args.probability:g}")
    if args.seconds is not None and args.seconds <= 0:
        raise UsageError(f"--seconds: how long the fault lasts, above 0, got {args.seconds:g} "
                         "(leave it out for a fault until `faults clear`)")
    _check_latency(args.mode, args.latency_ms)


def _check_latency(mode: str, latency_ms: int | None) -> None:
    """A latency fault without a delay would do nothing; a delay on another mode is ignored
    by the emulator, so it is a mistake too."""
    if mode == "latency" and (latency_ms is None or latency_ms < 1):
        got = "" if latency_ms is None else f", got {latency_ms}"
        raise UsageError(f"faults set latency: --latency-ms must be at least 1 (the wait "
                         f"before each SQS send, e.g. --latency-ms 200){got}")
    if mode in MODES and mode != "latency" and latency_ms is not None:
        raise UsageError(f"--latency-ms applies to the latency mode only, not {mode!r}")


def fault_line(fault: dict[str, Any] | None) -> str:
    if fault is None:
        return "no SQS fault: sends go through"
    text = f"SQS fault: {fault['mode']}, probability {fault['probability']:g}"
    if fault["mode"] == "latency":
        text += f", {fault['latency_ms']} ms per send"
    left = fault.get("seconds_left")
    return text + (f", ends in {left:.0f} s" if left is not None else ", until `faults clear`")
