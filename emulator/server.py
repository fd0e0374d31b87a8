"""Run the emulator (SQS engine + Flask app) in threads of this process; a context manager."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from werkzeug.serving import make_server

from .api import create_app
from .backend import Backend
from .config import Settings
from .ports import PortInUse, Taken, bind_problem
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
        self.engine.start()
        try:
            self.backend = Backend(self.settings, self.engine, clock=self._clock)
            app = create_app(self.backend)
            self._http = make_server(
                self.settings.host, self.settings.port, app, threaded=True
            )
        except BaseException:
            self.engine.stop()
            raise
        # A short poll: shutdown() waits up to one interval (0.5 s by default) on every stop.
        self._thread = threading.Thread(
            target=self._http.serve_forever, args=(0.05,), name="stream-emulator-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def _check_ports(self) -> None:
        """Before anything starts: ports that cannot be bound are one PortInUse naming
        their settings."""
        s = self.settings
        wanted = [(s.host, s.port, "the Stream API", "--port", "STREAM_EMULATOR_PORT")]
        if s.embedded_sqs:  # moto's bind address is always 127.0.0.1
            wanted.insert(0, ("127.0.0.1", s.sqs_port, "the embedded SQS server",
                              "--sqs-port", "STREAM_EMULATOR_SQS_PORT"))
        taken = [Taken(host, port, what, flag, env, problem)
                 for host, port, what, flag, env in wanted
                 if (problem := bind_problem(host, port))]
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
        return self._http.server_port

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
