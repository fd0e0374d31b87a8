"""`stream-sqs-emulator` commands: one module per command group, wired to argparse here.

run (run.py), trigger (trigger.py), deliveries / reset / faults (control.py), receive
(receive.py), validate / schemas (catalog.py), simulate (emulator/simulate/). The client
commands find the emulator from the variables `run` prints (config.ClientSettings).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from typing import Any

from .. import __version__
from ..config import DIALECTS, UsageError
from ..errors import SqsEndpointError
from .catalog import add_catalog
from .client import EmulatorError
from .common import EXIT_USAGE, client_error, fail
from .control import add_control
from .receive import add_receive
from .run import add_run, is_loopback, startup_text
from .trigger import add_trigger, parse_overrides
from .webhook_receiver import add_webhook_receiver

__all__ = ["build_parser", "is_loopback", "main", "parse_overrides", "startup_text"]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    # A short STREAM_SECRET is a mistyped one: the emulator's signature error (one line) says
    # which variables to use; PyJWT's key-length warning would add two lines before it.
    warnings.filterwarnings("ignore", message="The HMAC key is .* bytes long")
    # The one place errors become one line and an exit status, so no command leaks one as a
    # traceback: bad settings, variables or flags; the client errors (root EmulatorError);
    # Ctrl-C. Other exceptions are bugs and keep their traceback.
    try:
        return args.handler(args)
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    except EmulatorError as exc:
        return client_error(exc)
    except SqsEndpointError as exc:  # run / simulate --standalone with an external endpoint
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `... | head`: the reader left; end quietly, as `cat` would
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return 141  # 128 + SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stream-sqs-emulator", description="Offline emulator of Stream Chat's SQS delivery."
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(title="commands")
    add_run(commands)
    add_trigger(commands)
    add_control(commands)
    add_receive(commands)
    add_catalog(commands)
    _add_simulate(commands)
    add_webhook_receiver(commands)
    return parser


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
    sim.add_argument("--workers", type=int, default=1,
                     help="how many simulate processes share the load (default 1); each "
                          "one gets its own --worker-index and a disjoint seed and world")
    sim.add_argument("--worker-index", type=int, default=0,
                     help="this process's place among --workers, 0-based (default 0)")
    sim.add_argument("--dialect", choices=DIALECTS,
                     help="payload dialect (default: STREAM_EMULATOR_DIALECT or v1)")
    target = sim.add_mutually_exclusive_group()
    target.add_argument("--url", help="the running emulator to send to (default: "
                                      "$STREAM_CHAT_URL when set, as `run` prints it)")
    target.add_argument("--standalone", action="store_true",
                        help="run an emulator in this process on free ports, even when "
                             "STREAM_CHAT_URL is set")
    sim.add_argument("--mix", help="mix file (default: emulator/simulate/mix.json)")
    sim.add_argument("--webhook", metavar="URL",
                     help="standalone: also deliver every event to this webhook URL (e.g. "
                          "a `webhook-receiver`), beside the default SQS hook")
    sim.add_argument("--json", action="store_true", help="summary as JSON on stdout")
    sim.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    sim.set_defaults(handler=_simulate)


def _simulate(args: argparse.Namespace) -> int:
    from ..simulate.command import run_simulate

    return run_simulate(args, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
