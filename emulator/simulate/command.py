"""`stream-sqs-emulator simulate`: options → traffic + sink → run → summary."""

from __future__ import annotations

import argparse
import contextlib
import json
import random
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from ..config import ClientSettings, Settings, UsageError
from ..events.world import INITIAL_CHANNELS, INITIAL_USERS
from ..gcpause import steady_gc
from .hooks_report import hooks_table, queue_line
from .mix import Mix, load_mix
from .pacing import Pacer
from .report import Progress, summary_table
from .runner import Run, simulate
from .sinks import BackendSink, HttpSink, Sink
from .traffic import Traffic
from .traffic_process import TrafficError, TrafficProcess

DEFAULT_DURATION_S = 10.0
# Faster than these (or unpaced), events are drawn in a second process (traffic_process.py):
# in one process drawing takes ~25 µs of the ~45 µs an event costs end to end. Into a
# running emulator (--url), which does the delivery in its own process, the child kept
# 6,000-9,000/s better than one process did. Standalone, one process kept every paced rate
# measured up to 20,000/s at least as well as two (the child's refills come late when the
# machine is busy) and with ~20 % less CPU; only past its ceiling (~24,000/s) do two win.
URL_INLINE_MAX_RATE = 5_000
STANDALONE_INLINE_MAX_RATE = 20_000


def run_simulate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Exit status 0 when the run completed, 1 when sending failed, 130 after Ctrl-C; usage
    errors raise UsageError before anything starts (the CLI prints them and exits 2)."""
    _check(args)
    mix = load_mix(args.mix)
    settings = Settings.from_env(dialect=args.dialect)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    workers, index = getattr(args, "workers", 1), getattr(args, "worker_index", 0)
    seed = worker_seed(seed, workers, index)
    users, channels = args.users or INITIAL_USERS, args.channels or INITIAL_CHANNELS
    duration = args.duration
    if args.events is None and duration is None:
        duration = DEFAULT_DURATION_S
    webhook = getattr(args, "webhook", None)
    target = _target(args, stderr)
    hint = "" if target else _standalone_hint(args)
    limit = Pacer.planned(args.rate, args.events, duration)
    try:
        inline_max = URL_INLINE_MAX_RATE if target else STANDALONE_INLINE_MAX_RATE
        with (open_traffic(mix, seed, users, channels, settings.dialect, args.rate, limit,
                           inline_max) as traffic,
              _sink(target, settings, stderr, webhook, hint) as (sink, mode, queue_probe)):
            traffic.wait_ready()  # a child process warms up while the emulator starts
            pacer = Pacer(args.rate, events=args.events, duration=duration)
            progress = None if args.no_progress else Progress(stderr, args.rate)
            with steady_gc():
                run = simulate(traffic, sink, pacer, progress)  # its own TrafficError: run.error
            queue = queue_probe() if queue_probe else None
    except TrafficError as exc:  # the traffic process did not start: nothing was sent
        stderr.write(f"error: {exc}\n")
        return 1
    run.info = {"mode": mode, "users": users, "channels": channels,
                "dialect": settings.dialect, "mix": mix.source, "queue": queue,
                "worker_index": index, "workers": workers}
    stdout.write(json.dumps(as_json(run), indent=2) + "\n" if args.json else as_text(run))
    if run.error:
        stderr.write(f"error: {run.error}\n")
    return 1 if run.error else 130 if run.interrupted else 0


@contextlib.contextmanager
def open_traffic(mix: Mix, seed: int, users: int, channels: int, dialect: str, rate: float,
                 limit: int | None, inline_max: float = URL_INLINE_MAX_RATE
                 ) -> Iterator[Traffic | TrafficProcess]:
    """The run's traffic: drawn in this process up to `inline_max` events/s, else (and when
    unpaced) in a child process, stopped when the run ends; the same events per seed."""
    if rate and rate <= inline_max:
        yield Traffic(mix, seed, users, channels, dialect)
        return
    with TrafficProcess(mix, seed, users, channels, dialect, limit) as traffic:
        yield traffic


def worker_seed(seed: int, workers: int, index: int) -> int:
    """Worker `index` of `workers` draws its traffic from its own seed: distinct seeds give
    independent streams, so the workers' ids (122 random bits each) never meet and their
    worlds stay disjoint. `--seed` + the worker's seed alone replays that worker."""
    return seed * workers + index


def _check(args: argparse.Namespace) -> None:
    workers, index = getattr(args, "workers", 1), getattr(args, "worker_index", 0)
    if workers < 1:
        raise UsageError(f"--workers: expected at least 1, received {workers}")
    if not 0 <= index < workers:
        raise UsageError(f"--worker-index: expected 0 to {workers - 1} (--workers {workers}), "
                         f"received {index}")
    if args.rate < 0:
        raise UsageError(f"--rate: expected events per second >= 0, received {args.rate}")
    if args.events is not None and args.events < 1:
        raise UsageError(f"--events: expected at least 1, received {args.events}")
    if args.duration is not None and args.duration <= 0:
        raise UsageError(f"--duration: expected seconds > 0, received {args.duration}")
    if getattr(args, "webhook", None) and args.url:
        raise UsageError("--webhook adds a hook to the standalone emulator; with --url, add "
                         "the webhook hook to that app yourself (PATCH /app or the dashboard)")


def _target(args: argparse.Namespace, stderr: TextIO) -> str | None:
    """--url, else the emulator STREAM_CHAT_URL names (what `run` prints), else None: one
    in this process (--standalone or --webhook force that)."""
    if args.url or getattr(args, "standalone", False) or getattr(args, "webhook", None):
        return args.url
    client = ClientSettings.from_env()
    if not client.url_from_env:
        return None
    stderr.write(f"simulating into the running emulator at {client.url} (STREAM_CHAT_URL); "
                 "--standalone runs one in this process instead\n")
    return client.url


def _standalone_hint(args: argparse.Namespace) -> str:
    """Why a standalone run is not filling the emulator STREAM_CHAT_URL names, if one is."""
    try:
        named = ClientSettings.from_env().url_from_env
    except UsageError:  # a malformed STREAM_CHAT_URL: a standalone run does not need it
        named = True
    if not named:
        return "to fill a running emulator's queue, set STREAM_CHAT_URL or pass --url"
    flag = "--webhook" if getattr(args, "webhook", None) else "--standalone"
    return f"{flag}: the emulator STREAM_CHAT_URL names is not used"


@contextlib.contextmanager
def _sink(url: str | None, settings: Settings, stderr: TextIO, webhook: str | None = None,
          hint: str = "") -> Iterator[tuple[Sink, str, Callable | None]]:
    if url:
        from ..cli.client import ControlClient

        yield (HttpSink(ControlClient.from_env(url), settings.dialect,
                        settings.webhook_answer_wait_s), url, None)
        return
    from ..server import EmulatorServer

    # Free ports, so a simulation never collides with an emulator the user is running.
    with EmulatorServer(settings.with_overrides(port=0, sqs_port=0)) as server:
        queue = server.backend.create_default_queue()
        if webhook:
            add_webhook_hook(server.backend, webhook)
        stderr.write(f"standalone: a new emulator in this process on {server.base_url}, queue "
                     f"{queue['url']}; it stops when the run ends ({hint})\n")
        yield BackendSink(server.backend), "standalone", lambda: queue_depth(server, queue)


def add_webhook_hook(backend: Any, url: str) -> None:
    """Beside `run`'s SQS hook: a webhook hook for all events (docs/simulate.md's outage)."""
    hooks = [h.to_wire("v1") for h in backend.app.event_hooks]
    for hook in hooks:
        hook.pop("created_at", None)
        hook.pop("updated_at", None)
    backend.update_app({"event_hooks": [*hooks, {
        "hook_type": "webhook", "enabled": True, "webhook_url": url, "event_types": []}]})


def queue_depth(server: Any, queue: dict[str, str]) -> dict[str, Any]:
    """The default queue's depth at the end; `messages` None (and `unread`, why) when an
    external endpoint has gone meanwhile: the run's summary still comes."""
    from botocore.exceptions import BotoCoreError, ClientError

    found: dict[str, Any] = {"name": queue["url"].rsplit("/", 1)[-1], "url": queue["url"]}
    try:
        attributes = server.engine.client("sqs").get_queue_attributes(
            QueueUrl=queue["url"], AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    except (BotoCoreError, ClientError) as exc:
        return {**found, "messages": None, "unread": str(exc)}
    return {**found, "messages": int(attributes["ApproximateNumberOfMessages"])}


def as_json(run: Run) -> dict[str, Any]:
    p = run.pacer
    return {
        **run.info, "seed": run.seed,
        "requested_rate": p.rate, "achieved_rate": round(p.achieved(), 1),
        "kept_up": p.kept_up(), "elapsed_s": round(p.elapsed(), 3), "events": run.tally.sent,
        "by_type": {t: {"events": n, **{s: run.tally.outcomes.get(t, {}).get(s, 0)
                                        for s in run.tally.status_totals()}}
                    for t, n in sorted(run.tally.events.items())},
        "totals": run.tally.status_totals(), "ledger_delta": run.ledger_delta,
        "ledger_agrees": run.ledger_agrees(), "hooks": run.tally.hooks.rows(),
        "webhooks_pending": run.pending, "interrupted": run.interrupted,
        "error": run.error,
    }


def as_text(run: Run) -> str:
    info, p = run.info, run.pacer
    lines = [
        summary_table(run.tally), "",
        (f"{run.tally.sent:,} events in {p.elapsed():.1f} s ({info['mode']}, dialect "
         f"{info['dialect']}, {info['users']} users, {info['channels']} channels, seed "
         f"{run.seed}: replay with --seed {run.seed})"),
        run.rate_text(),
        _ledger_line(run), "",
        hooks_table(run.tally.hooks),
    ]
    held = queue_line(info.get("queue"), run.tally.sent)
    if held:
        lines.append(held)
    if run.pending:  # standalone, the emulator stops with the run: no record comes
        later = "" if info["mode"] == "standalone" else " (their records reach its ledger later)"
        lines.append(f"{run.pending:,} deliveries (webhooks, or sends to an external SQS/SNS "
                     f"endpoint) were still being tried when the run ended: in no count "
                     f"above{later}")
    if run.interrupted:
        lines.append("interrupted: the counts above cover the events sent before Ctrl-C")
    return "\n".join(lines) + "\n"


def _ledger_line(run: Run) -> str:
    delta = run.ledger_delta
    if delta is None:
        return "ledger: could not be read"
    moved = ", ".join(f"{s} {n:+,}" for s, n in delta.items())
    if run.ledger_agrees():
        verdict = "matches the table"
    elif any(n < 0 for n in delta.values()):  # totals only fall when the ledger is emptied
        verdict = "differs from the table (the emulator was reset during the run)"
    else:
        verdict = "differs from the table (other clients sent events during the run?)"
    return f"ledger: {moved}: {verdict}"
