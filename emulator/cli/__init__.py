"""`stream-sqs-emulator` commands: run, trigger, validate, schemas, simulate."""

from __future__ import annotations

import argparse
import ipaddress
import json
import signal
import sys
import threading
import urllib.error
import urllib.request
from typing import Any

from .. import __version__
from ..config import DIALECTS, Settings, UsageError
from .webhook_receiver import add_webhook_receiver


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except UsageError as exc:  # bad settings, variables or flags (other errors are bugs)
        print(f"error: {exc}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stream-sqs-emulator", description="Offline emulator of Stream Chat's SQS delivery."
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(title="commands")

    _add_run(commands)

    trigger = commands.add_parser("trigger", help="make the running emulator send events")
    trigger.add_argument("type", help="event type, e.g. message.new")
    trigger.add_argument("--count", type=int, default=1)
    trigger.add_argument("--seed", type=int)
    trigger.add_argument("--dialect", choices=DIALECTS)
    trigger.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                         help="override a field, e.g. --set message.text=hi (value may be JSON)")
    trigger.add_argument("--kilobytes", type=int, metavar="N",
                         help="make each event exactly N KiB of JSON (e.g. 300 for the 256 KB "
                              "drop scenario); built here and sent as full payloads")
    trigger.add_argument("--url", help="emulator URL (default: $STREAM_CHAT_URL or host:port)")
    trigger.set_defaults(handler=_trigger)

    validate = commands.add_parser("validate", help="check event payload files against schemas")
    validate.add_argument("files", nargs="+")
    validate.add_argument("--type", dest="event_type")
    validate.add_argument("--dialect", choices=DIALECTS, default="v1")
    validate.add_argument("--format", choices=("text", "json", "junit"), default="text")
    validate.set_defaults(handler=_validate)

    schemas = commands.add_parser("schemas", help="list the event schemas or write them out")
    schemas.add_argument("--out", help="folder to write the schemas to")
    schemas.set_defaults(handler=_schemas)
    _add_simulate(commands)
    add_webhook_receiver(commands)
    return parser


def _add_run(commands: Any) -> None:
    run = commands.add_parser("run", help="start the Stream API + embedded SQS (make run)")
    run.add_argument("--host", help="bind address (env STREAM_EMULATOR_HOST)")
    run.add_argument("--port", type=int, help="Stream API port, 0 = free (STREAM_EMULATOR_PORT)")
    run.add_argument("--sqs-port", type=int, help="embedded moto port (STREAM_EMULATOR_SQS_PORT)")
    run.add_argument("--sqs-endpoint", help="external SQS endpoint; no embedded moto")
    run.add_argument("--region", help="region of the default queue")
    run.add_argument("--seed", type=int, help="event generator seed")
    run.add_argument("--dialect", choices=DIALECTS, help="payload dialect")
    run.add_argument("--strict-iam", action="store_true", default=None,
                     help="deny access keys unknown to the emulated IAM")
    run.add_argument("--rate-limits", action="store_true", default=None,
                     help="enforce Stream's per-endpoint rate limits: over the limit → 429, "
                          "code 9 (STREAM_EMULATOR_RATE_LIMITS); the headers are always sent")
    run.add_argument("--verbose", action="store_true", default=None,
                     help="log every HTTP request")
    run.add_argument("--allow-remote", action="store_true", default=None,
                     help="allow a bind address and webhook URLs other than loopback (its "
                          "credentials are not secret) (STREAM_EMULATOR_ALLOW_REMOTE)")
    run.add_argument("--webhook-timeout-ms", type=int, metavar="MS",
                     help="per-request timeout of webhook deliveries, all attempts within "
                          "2.5x (default 6000, Stream's; STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS)")
    run.set_defaults(handler=_run)


def _add_simulate(commands: Any) -> None:
    sim = commands.add_parser("simulate", help="send coherent chat traffic at a chosen rate")
    sim.add_argument("--rate", type=float, default=100.0,
                     help="events per second; 0 = as fast as possible (default 100)")
    length = sim.add_mutually_exclusive_group()
    length.add_argument("--duration", type=float, help="seconds to run (default 10)")
    length.add_argument("--events", type=int, help="number of events to send")
    sim.add_argument("--users", type=int, help="users in the world (default 24, min 16)")
    sim.add_argument("--channels", type=int, help="channels in the world (default 6, min 3)")
    sim.add_argument("--seed", type=int, help="seed of the traffic (default: random, printed)")
    sim.add_argument("--dialect", choices=DIALECTS)
    sim.add_argument("--url", help="a running emulator; default: start one in this process")
    sim.add_argument("--mix", help="mix file (default: emulator/simulate/mix.json)")
    sim.add_argument("--webhook", metavar="URL",
                     help="standalone: also deliver every event to this webhook URL (e.g. "
                          "a `webhook-receiver`), beside the default SQS hook")
    sim.add_argument("--json", action="store_true", help="summary as JSON on stdout")
    sim.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    sim.set_defaults(handler=_simulate)


def _run(args: argparse.Namespace) -> int:
    from ..server import EmulatorServer

    settings = Settings.from_env(
        host=args.host, port=args.port, sqs_port=args.sqs_port, sqs_endpoint=args.sqs_endpoint,
        region=args.region, seed=args.seed, dialect=args.dialect,
        strict_iam=args.strict_iam, verbose=args.verbose, allow_remote=args.allow_remote,
        webhook_timeout_ms=args.webhook_timeout_ms, rate_limits=args.rate_limits,
    )
    if not is_loopback(settings.host):
        if not settings.allow_remote:
            print(f"error: refusing to bind {settings.host}: the emulator's API key and secret "
                  "are public defaults; pass --allow-remote to do it anyway", file=sys.stderr)
            return 2
        print(f"WARNING: binding {settings.host}: anyone who can reach this address can "
              "change the emulated app, and its credentials are not secret", file=sys.stderr)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with EmulatorServer(settings) as server:
        queue = server.backend.create_default_queue()
        print(startup_text(server, queue), flush=True)
        stop.wait()
        print("stopping…", file=sys.stderr, flush=True)
    return 0


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def startup_text(server: Any, queue: dict[str, str]) -> str:
    s = server.settings
    key, secret = server.engine.credentials()
    sqs = server.engine.endpoint_url
    mode = "embedded moto" if server.engine.embedded else "external endpoint"
    return "\n".join([
        f"stream-sqs-emulator {__version__}: Stream API on {server.base_url}, SQS ({mode}) on {sqs}",
        f"default queue {queue['url']} (DLQ {queue['dlq_url']}), one SQS hook for all events",
        "",
        "# paste into another shell:",
        f"export STREAM_CHAT_URL={server.base_url}",
        f"export STREAM_KEY={s.api_key}",
        f"export STREAM_SECRET={s.api_secret}",
        f"export AWS_ENDPOINT_URL_SQS={sqs}",
        f"export AWS_ENDPOINT_URL_SNS={sqs}",  # moto serves SNS on the same port
        f"export AWS_ACCESS_KEY_ID={key}",
        f"export AWS_SECRET_ACCESS_KEY={secret}",
        f"export AWS_DEFAULT_REGION={s.region}",
        f"export STREAM_SQS_QUEUE_URL={queue['url']}",
        "",
        "# next steps:",
        "stream-sqs-emulator trigger message.new --count 3",
        "aws sqs receive-message --queue-url $STREAM_SQS_QUEUE_URL --max-number-of-messages 10",
        "python -c \"from stream_chat import StreamChat; "
        "print(StreamChat('$STREAM_KEY', '$STREAM_SECRET').get_app_settings())\"",
        "curl -s $STREAM_CHAT_URL/_emulator/health",
        "",
        "Ctrl-C stops the emulator.",
    ])


def _trigger(args: argparse.Namespace) -> int:
    from .client import ControlClient

    settings = Settings.from_env()
    try:
        overrides = parse_overrides(args.set)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    body: dict[str, Any] = {"type": args.type, "count": args.count}
    for name in ("seed", "dialect"):
        if getattr(args, name) is not None:
            body[name] = getattr(args, name)
    if overrides:
        body["overrides"] = overrides
    client = ControlClient.for_settings(args.url or ControlClient.default_url(settings), settings)
    try:
        answer = (_send_oversize(client, args, overrides) if args.kilobytes
                  else client.post("/_emulator/events", body))
    except (urllib.error.URLError, OSError, RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for record in answer["deliveries"]:
        print(delivery_line(record))
    if not answer["deliveries"]:
        print(f"{len(answer['events'])} event(s) generated; no enabled hook wants them")
    return 0


def delivery_line(record: dict[str, Any]) -> str:
    """One ledger record as `trigger` prints it, the same for every hook type."""
    hook_type = record.get("hook_type", "sqs")
    line = (f"{record['status']:<16} {record['event_type']:<28} {hook_type:<7} hook "
            f"{record['hook_id']}  {record['size_bytes']:,} bytes")
    attempts = record.get("attempts")
    if attempts is not None and attempts != 1:
        line += f"  {attempts} attempts"
    return line + (f"  — {record['reason']}" if record["reason"] else "")


def _send_oversize(client: Any, args: argparse.Namespace, overrides: dict) -> dict[str, Any]:
    """Oversize payloads are built here (no argv or API field carries 300 KB of text) and
    delivered as the caller's own payloads."""
    from ..events.generator import Generator

    generator = Generator(seed=args.seed, dialect=args.dialect or "v1")
    answer: dict[str, Any] = {"events": [], "deliveries": []}
    for _ in range(args.count):
        event = generator.oversize(args.type, args.kilobytes, overrides=overrides or None)
        sent = client.post("/_emulator/events", {"event": event, "dialect": generator.dialect})
        answer["events"] += sent["events"]
        answer["deliveries"] += sent["deliveries"]
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


def _validate(args: argparse.Namespace) -> int:
    from ..catalog.validate_cli import run_validate

    return run_validate(args.files, args.event_type, args.dialect, args.format, sys.stdout)


def _schemas(args: argparse.Namespace) -> int:
    from ..catalog.validate_cli import run_schemas

    return run_schemas(args.out, sys.stdout)


def _simulate(args: argparse.Namespace) -> int:
    from ..simulate.command import run_simulate

    return run_simulate(args, sys.stdout, sys.stderr)

