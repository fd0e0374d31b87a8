"""Run the emulator (SQS engine + Flask app) in threads of this process; a context manager."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from .api import create_app
from .backend import Backend
from .config import Settings
from .ports import PortInUse, Taken, bind_error_problem, bind_problem, bound_server
from .sqs_engine import SqsEngine


class EmulatorServer:
    """`with EmulatorServer(settings) as server:` → server.base_url answers Stream's API."""

    def __init__(self, settings: Settings | None = None, *,
                 clock: Callable[[], float] = time.time):
        """`clock` (Unix seconds): the backend's, for rate-limit windows (tests pass theirs)."""
        self.settings = settings or Settings.from_env()
        self._clock = clock
        self.engine = SqsEngine(self.settings)
        self.backend: Backend | None = None
        self._http = None
        self._thread: threading.Thread | None = None

    def start(self) -> EmulatorServer:
        logging.getLogger("werkzeug").setLevel(
            logging.INFO if self.settings.verbose else logging.ERROR
        )
        self._check_ports()
        api, sqs = self._wanted()
        with _bind_error_named(sqs):  # taken since the check: the same one PortInUse
            self.engine.start()
        try:
            self.backend = Backend(self.settings, self.engine, clock=self._clock)
            app = create_app(self.backend)
            with _bind_error_named(api):
                self._http = bound_server(self.settings.host, self.settings.port, app)
        except BaseException:
            if self.backend is not None:  # its dispatcher threads run already
                self.backend.close()
                self.backend = None
            self.engine.stop()
            raise
        # A short poll: shutdown() waits up to one interval (0.5 s by default) on every stop.
        self._thread = threading.Thread(
            target=self._http.serve_forever, args=(0.05,), name="stream-emulator-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def _wanted(self) -> tuple[Taken, Taken | None]:
        """The ports this server binds (the Stream API's; the embedded SQS server's, if any),
        each as the Taken that would name it."""
        s = self.settings
        api = Taken(s.host, s.port, "the Stream API", "--port", "STREAM_EMULATOR_PORT")
        sqs = (Taken("127.0.0.1", s.sqs_port, "the embedded SQS server",  # moto: 127.0.0.1
                     "--sqs-port", "STREAM_EMULATOR_SQS_PORT") if s.embedded_sqs else None)
        return api, sqs

    def _check_ports(self) -> None:
        """Before anything starts: ports that cannot be bound are one PortInUse naming
        their settings."""
        api, sqs = self._wanted()
        taken = [replace(t, problem=problem) for t in (sqs, api)
                 if t is not None and (problem := bind_problem(t.host, t.port))]
        if taken:
            raise PortInUse(taken)

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.backend is not None:
            self.backend.close()
        self.engine.stop()

    @property
    def port(self) -> int:
        return self._http.port

    @property
    def base_url(self) -> str:
        host = self.settings.host
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@contextmanager
def _bind_error_named(wanted: Taken | None) -> Iterator[None]:
    """A bind that fails after _check_ports said it would not (another program took the
    port in between) raises the same PortInUse as the check."""
    try:
        yield
    except OSError as exc:
        if wanted is None or exc.errno is None:  # PortInUse itself has no errno
            raise
        raise PortInUse([replace(wanted, problem=bind_error_problem(exc))]) from exc
