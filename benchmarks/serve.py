"""A running emulator for the benchmarks, in its own process (as `make run` would be).

    python -m benchmarks.serve [--sqs-endpoint URL] [--profile FILE]

Prints one JSON line {"base_url", "sqs_endpoint", "queue_url"} once it answers, then serves
until stdin closes. With --profile, every request runs under pyinstrument (the `bench` extra
pins it) and the combined report of all requests is written to FILE when stdin closes.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from emulator.config import Settings
from emulator.server import EmulatorServer


class ProfiledApp:
    """WSGI middleware: one pyinstrument session per request (each runs on its own werkzeug
    thread, which a profiler started elsewhere would not see), combined at the end."""

    def __init__(self, app: Any) -> None:
        self.app, self.sessions = app, []

    def __call__(self, environ: dict, start_response: Any) -> Any:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        try:
            return list(self.app(environ, start_response))  # the whole response, inside
        finally:
            self.sessions.append(profiler.stop())

    def report(self) -> str:
        from pyinstrument.renderers import ConsoleRenderer
        from pyinstrument.session import Session

        if not self.sessions:
            return "no requests were profiled\n"
        combined = self.sessions[0]
        for session in self.sessions[1:]:
            combined = Session.combine(combined, session)
        return ConsoleRenderer(unicode=True, color=False, short_mode=False).render(combined)


def _warm_up(dialect: str) -> None:
    """Load and compile the schemas before the first request (~1 s), so a profile shows the
    steady state rather than the first request's start-up."""
    from emulator.catalog.registry import get_registry

    registry = get_registry()
    for event_type in registry.types(dialect):
        registry.fast_validator(event_type, dialect)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqs-endpoint")
    parser.add_argument("--profile")
    args = parser.parse_args()
    settings = Settings.from_env(port=0, sqs_port=0, seed=1, sqs_endpoint=args.sqs_endpoint)
    with EmulatorServer(settings) as server:
        queue = server.backend.create_default_queue()
        _warm_up(settings.dialect)
        profiled = None
        if args.profile:
            profiled = ProfiledApp(server._http.app)
            server._http.app = profiled
        print(json.dumps({"base_url": server.base_url, "sqs_endpoint": server.engine.endpoint_url,
                          "queue_url": queue["url"]}), flush=True)
        sys.stdin.read()  # serve until the bench closes our stdin
        if profiled is not None:
            with open(args.profile, "w") as out:
                out.write(profiled.report())


if __name__ == "__main__":
    main()
