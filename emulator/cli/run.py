"""`stream-sqs-emulator run` (what `make run` calls) and the lines it prints.

Every printed command works pasted into a new shell as printed: the first export puts this
installation's scripts folder (a venv's `bin/`) first on PATH, so `stream-sqs-emulator` and the
`python3` that has the SDKs are found without activating anything.
"""

from __future__ import annotations

import argparse
import importlib.util
import ipaddress
import shlex
import shutil
import signal
import sys
import sysconfig
import threading
from typing import Any

from .. import __version__
from ..config import DEFAULT_AWS_CREDENTIALS, DIALECTS, Settings, setting_name
from .common import EXIT_OK, EXIT_USAGE, fail, wait_for_stop


def add_run(commands: Any) -> None:
    run = commands.add_parser(
        "run", help="start the Stream API + embedded SQS (make run)",
        description="Start the Stream API, the control API and an embedded moto SQS, create "
                    "the default queue and its hook, and print the lines to paste into "
                    "another shell. Ctrl-C or SIGTERM stops it.")
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
    run.add_argument("--webhook-answer-wait-ms", type=int, metavar="MS",
                     help="how long a trigger answer waits for webhook deliveries before "
                          "listing them as pending (default: 2.5x the timeout + 1 s; "
                          "STREAM_EMULATOR_WEBHOOK_ANSWER_WAIT_MS); chat calls never wait")
    run.set_defaults(handler=run_run)


def run_run(args: argparse.Namespace) -> int:
    from ..ports import PortInUse
    from ..server import EmulatorServer

    settings = Settings.from_env(
        host=args.host, port=args.port, sqs_port=args.sqs_port, sqs_endpoint=args.sqs_endpoint,
        region=args.region, seed=args.seed, dialect=args.dialect,
        strict_iam=args.strict_iam, verbose=args.verbose, allow_remote=args.allow_remote,
        webhook_timeout_ms=args.webhook_timeout_ms, rate_limits=args.rate_limits,
        webhook_answer_wait_ms=args.webhook_answer_wait_ms,
    )
    refused = refusal(settings)
    if refused:
        return fail(refused, EXIT_USAGE)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server = EmulatorServer(settings)
    try:
        server.start()
    except PortInUse as exc:
        return fail(str(exc))
    try:
        queue = server.backend.create_default_queue()
        print(startup_text(server, queue), flush=True)
        wait_for_stop(stop)
        print("stopping…", file=sys.stderr, flush=True)
    finally:
        server.stop()
    return EXIT_OK


MIN_HMAC_KEY_BYTES = 32  # PyJWT's InsecureKeyLengthWarning below this (HS256)


def refusal(settings: Settings) -> str | None:
    """Why `run` must not start with these settings (warning about a remote bind and a short
    secret)."""
    if not is_loopback(settings.host):
        if not settings.allow_remote:
            return (f"refusing to bind {settings.host}: the emulator's API key and secret are "
                    "public defaults; pass --allow-remote to do it anyway")
        print(f"WARNING: binding {settings.host}: anyone who can reach this address can "
              "change the emulated app, and its credentials are not secret", file=sys.stderr)
    if len(settings.api_secret.encode()) < MIN_HMAC_KEY_BYTES:
        print(f"WARNING: STREAM_EMULATOR_API_SECRET is {len(settings.api_secret.encode())} "
              f"bytes: PyJWT (the SDKs' signer) warns on every call signed with a key under "
              f"{MIN_HMAC_KEY_BYTES}", file=sys.stderr)
    if settings.embedded_sqs:
        from ..sqs_fast import known_region

        if not known_region(settings.region):  # moto has no backend for it: no queue at all
            return (f"{setting_name('region')}: moto knows no region {settings.region!r} "
                    "(e.g. us-east-1, eu-west-1)")
    return None


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def scripts_dir() -> str:
    """Where this installation's console scripts live (a venv's bin/)."""
    return sysconfig.get_path("scripts")


def exports(server: Any, queue: dict[str, str]) -> list[tuple[str, str]]:
    """The variables a client needs, in the order printed (after PATH)."""
    s = server.settings
    key, secret = server.engine.credentials()
    return [
        ("STREAM_CHAT_URL", server.base_url),
        ("STREAM_KEY", s.api_key),
        ("STREAM_SECRET", s.api_secret),
        ("AWS_ENDPOINT_URL_SQS", server.engine.endpoint_url),
        ("AWS_ENDPOINT_URL_SNS", server.engine.endpoint_url),  # moto serves SNS on the same port
        ("AWS_ACCESS_KEY_ID", key),
        ("AWS_SECRET_ACCESS_KEY", secret),
        ("AWS_DEFAULT_REGION", s.region),  # boto3, AWS CLI
        ("AWS_REGION", s.region),  # the JavaScript SDK (@aws-sdk/client-sqs, sqs-consumer)
        ("STREAM_SQS_QUEUE_URL", queue["url"]),
        # AWS CLI v2 shows its output in a pager (less) otherwise, and the next pasted lines
        # would be typed into it; v1 has no pager and ignores it.
        ("AWS_PAGER", ""),
    ]


OWN_CREDENTIALS_LINE = ("# AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: your own, not printed (a "
                        "terminal's scrollback and CI logs keep what is): set them in the new "
                        "shell as in this one")


def export_lines(server: Any, queue: dict[str, str]) -> list[str]:
    """`export` lines of `exports`. With an external endpoint and AWS credentials of the
    user's own (not the well-known test ones), those two are not printed: one line says so."""
    own = (not server.engine.embedded
           and server.engine.credentials() != DEFAULT_AWS_CREDENTIALS)
    lines = []
    for name, value in exports(server, queue):
        if own and name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            if name == "AWS_ACCESS_KEY_ID":
                lines.append(OWN_CREDENTIALS_LINE)
            continue
        lines.append(f"export {name}={shlex.quote(value)}")
    return lines


# Commands that work pasted as they are after the exports, one after the other: the aws line
# only looks (--visibility-timeout 0 leaves the messages visible), then `receive` consumes
# them (it deletes what it reads), so both show the three triggered events. AWS CLI v1
# ignores AWS_ENDPOINT_URL_SQS, hence the explicit --endpoint-url (works with v1 and v2).
NEXT_STEPS = [
    "stream-sqs-emulator trigger message.new --count 3",
    'aws --endpoint-url "$AWS_ENDPOINT_URL_SQS" sqs receive-message '
    '--queue-url "$STREAM_SQS_QUEUE_URL" --max-number-of-messages 10 --visibility-timeout 0',
    "stream-sqs-emulator receive --count 3",
    "python3 -c \"from stream_chat import StreamChat; "
    "print(StreamChat('$STREAM_KEY', '$STREAM_SECRET').get_app_settings())\"",
    "stream-sqs-emulator deliveries",
    'curl -s "$STREAM_CHAT_URL/_emulator/health"',
]


def next_steps_note(has_sdk: bool, has_aws: bool) -> str:
    """What the python3 and aws lines need, and how to get what this install lacks
    (`pip install .` alone has neither: README, "Without make")."""
    sdk = "" if has_sdk else ", not in this install: pip install stream-chat"
    aws = "" if has_aws else ", none on PATH: pip install awscli"
    return (f"# next steps (the python3 line needs the stream-chat SDK{sdk}; the aws line the "
            f"AWS CLI{aws}):")


def startup_text(server: Any, queue: dict[str, str]) -> str:
    sqs = server.engine.endpoint_url
    mode = "embedded moto" if server.engine.embedded else "external endpoint"
    return "\n".join([
        f"stream-sqs-emulator {__version__}: Stream API on {server.base_url}, SQS ({mode}) on {sqs}",
        f"default queue {queue['url']} (DLQ {queue['dlq_url']}), one SQS hook for all events"
        + (" (resource auth: --strict-iam denies the printed key; the queue's policy allows "
           "Stream's account)" if server.settings.strict_iam else ""),
        f"dashboard {server.base_url}/dashboard (sign in with STREAM_KEY and STREAM_SECRET "
        "below)",
        "",
        "# paste into another shell (PATH: this install's stream-sqs-emulator and python3 "
        "first, no venv to activate):",
        f'export PATH={shlex.quote(scripts_dir())}:"$PATH"',
        *export_lines(server, queue),
        "",
        next_steps_note(importlib.util.find_spec("stream_chat") is not None,
                        bool(shutil.which("aws", path=scripts_dir()) or shutil.which("aws"))),
        *NEXT_STEPS,
        "",
        "Ctrl-C stops the emulator.",
    ])
