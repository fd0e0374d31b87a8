"""`stream-sqs-emulator trigger`: generated (or oversize) events into the running emulator."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..config import DIALECTS, MAX_BODY_BYTES
from .client import ControlClient, Triggered
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_url, client, fail, record_line

EXPECTABLE = ("delivered",)
# --kilobytes: one event per request, under the request limit with room for its wrapping
# ({"event": …, "dialect": "v1"}).
MAX_KILOBYTES = (MAX_BODY_BYTES - 64) // 1024


def add_trigger(commands: Any) -> None:
    trigger = commands.add_parser(
        "trigger", help="make the running emulator send events",
        description="Generate events in the running emulator and deliver them to its hooks; "
                    "prints one line per delivery.")
    trigger.add_argument("type", help="event type, e.g. message.new "
                                      "(`stream-sqs-emulator schemas` lists them)")
    trigger.add_argument("--count", type=int, default=1, help="how many events (default 1)")
    trigger.add_argument("--seed", type=int,
                         help="generator seed: the same seed gives the same payloads")
    trigger.add_argument("--dialect", choices=DIALECTS,
                         help="payload dialect (default: the emulator's)")
    trigger.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                         help="override a field, e.g. --set message.text=hi (value may be JSON)")
    trigger.add_argument("--kilobytes", type=int, metavar="N",
                         help="make each event exactly N KiB of JSON (e.g. 300 for the 256 KB "
                              "drop scenario); built here and sent as full payloads")
    trigger.add_argument("--expect", choices=EXPECTABLE,
                         help="exit 1 unless at least one delivery came out with this status")
    add_url(trigger)
    trigger.set_defaults(handler=run_trigger)


def run_trigger(args: argparse.Namespace) -> int:
    try:
        overrides = parse_overrides(args.set)
    except ValueError as exc:
        return fail(str(exc), EXIT_USAGE)
    control = client(args)
    if args.kilobytes is not None:
        from ..errors import InputError

        if not 1 <= args.kilobytes <= MAX_KILOBYTES:
            return fail(f"--kilobytes: from 1 to {MAX_KILOBYTES} (each event goes in one "
                        "request, and the API takes at most 1 MiB per request), got "
                        f"{args.kilobytes}", EXIT_USAGE)

        try:
            sent = _send_oversize(control, args, overrides)
        except InputError as exc:  # built here: the generator refused the type or overrides
            return fail(exc.detail, EXIT_USAGE)
    else:
        sent = control.trigger(args.type, args.count, args.seed, overrides, args.dialect)
    for record in sent.deliveries:
        print(record_line(record))
    for item in sent.pending:
        print(pending_line(item))
    if sent.pending:
        ids = " ".join(f"--id {i}" for i in sent.pending_ids())
        print(f"{len(sent.pending)} webhook delivery(ies) still being tried: their records "
              "reach the ledger when the attempts end (`stream-sqs-emulator deliveries "
              f"{ids or '--follow'}`)")
    if not sent.deliveries and not sent.pending:
        print(f"{len(sent.events)} event(s) generated; no enabled hook wants them")
    if args.expect and not any(r["status"] == args.expect for r in sent.deliveries):
        waiting = f", {len(sent.pending)} still being tried" if sent.pending else ""
        return fail(f"--expect {args.expect}: none of the {len(sent.deliveries)} deliveries "
                    f"came out {args.expect}{waiting}", EXIT_FAILED)
    return EXIT_OK


def pending_line(item: dict[str, Any]) -> str:
    """Laid out like record_line, for a delivery whose record is not in yet."""
    line = (f"{'pending':<16} {item['event_type']:<28} {item['hook_type']:<7} hook "
            f"{item['hook_id']}  → {item['target']}")
    return line + (f"  record {item['record_id']}" if item.get("record_id") else "")


def _send_oversize(control: ControlClient, args: argparse.Namespace,
                   overrides: dict) -> Triggered:
    """Oversize payloads are built here (no argv or API field carries 300 KB of text) and
    delivered as the caller's own payloads."""
    from ..events.generator import Generator

    # The emulator's own dialect unless --dialect says (`run --dialect v2`: v2 payloads).
    dialect = args.dialect or control.wire_options()["dialect"]
    generator = Generator(seed=args.seed, dialect=dialect)
    answer = Triggered([], [])
    for _ in range(args.count):
        event = generator.oversize(args.type, args.kilobytes, overrides=overrides or None)
        sent = control.deliver(event, generator.dialect)
        answer.events.extend(sent.events)
        answer.deliveries.extend(sent.deliveries)
        answer.pending.extend(sent.pending)
    return answer


def parse_overrides(assignments: list[str]) -> dict[str, Any]:
    """`a.b=1` → {"a": {"b": 1}}; values are JSON when they parse, else strings."""
    overrides: dict[str, Any] = {}
    for item in assignments:
        path, sep, raw = item.partition("=")
        if not sep or not path:
            raise ValueError(f"--set takes PATH=VALUE, got {item!r}")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        node = overrides
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(f"--set {item!r} conflicts with another --set")
        node[leaf] = value
    return overrides
