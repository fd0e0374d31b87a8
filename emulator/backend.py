"""All emulator state in one object: app settings, the event generator, the ledger.

Views call these methods and nothing else; `reset()` brings everything back to a fresh app
(pytest-httpserver's `clear()` habit: tests share a server, never its state).
"""

from __future__ import annotations

import threading
from typing import Any

from .app_settings import AppSettings
from .catalog.registry import get_registry
from .config import Settings
from .delivery.check import check_request, check_sqs
from .delivery.dispatcher import Dispatcher
from .delivery.faults import RetryPolicy
from .delivery.ledger import Ledger
from .delivery.wire import WireOptions
from .events.generator import Generator
from .sqs_engine import DEFAULT_QUEUE, SqsEngine

MAX_TRIGGER_COUNT = 10_000


class Backend:
    def __init__(self, settings: Settings, engine: SqsEngine):
        self.settings = settings
        self.engine = engine
        self.ledger = Ledger(settings.ledger_size)
        self.dispatcher = Dispatcher(
            engine, self.ledger, settings.strict_iam,
            RetryPolicy(settings.send_retries, settings.retry_backoff_ms),
            always_base64=settings.sqs_body_base64,
        )
        self._lock = threading.RLock()
        self._app = AppSettings()
        self._start_app = self._app  # what reset() returns to
        self._generator: Generator | None = None  # built on first use: Faker pools cost ~0.25 s
        self._default_queue = False
        self._wire = self._start_wire = WireOptions(settings.sqs_body_base64, settings.dialect)

    # -- app settings --------------------------------------------------------------------
    @property
    def app(self) -> AppSettings:
        return self._app  # immutable snapshot: safe to read without the lock

    def app_wire(self, dialect: str) -> dict[str, Any]:
        return self._app.to_wire(dialect, self.settings.app_name)

    def update_app(self, body: Any) -> None:
        with self._lock:  # read-modify-write: two PATCHes never mix
            self._app = self._app.patched(body)

    def check_sqs(self, body: Any) -> dict[str, Any]:
        request = check_request(body, self._app)
        return check_sqs(self.engine, self.dispatcher.checker, request)

    # -- wire switches (per test: stream_wire_variant) --------------------------------------
    def wire_options(self) -> WireOptions:
        return self._wire

    def set_wire_options(self, sqs_body_base64: bool | None = None,
                         dialect: str | None = None) -> WireOptions:
        """Switch the body form and the default dialect until the next reset(); None keeps."""
        with self._lock:
            current = self._wire
            self._wire = WireOptions(
                current.sqs_body_base64 if sqs_body_base64 is None else sqs_body_base64,
                dialect or current.dialect)
            self.dispatcher.always_base64 = self._wire.sqs_body_base64
            return self._wire

    # -- events --------------------------------------------------------------------------
    def generate(
        self, event_type: str, count: int = 1, seed: int | None = None,
        overrides: dict | None = None, dialect: str | None = None,
    ) -> list[dict[str, Any]]:
        dialect = dialect or self._wire.dialect
        if seed is not None:
            # An explicit seed replays: the same request gives the same payloads.
            generator = Generator(seed=seed, dialect=dialect)
            return [generator.make(event_type, overrides, dialect) for _ in range(count)]
        with self._lock:  # the shared world evolves one event at a time
            if self._generator is None:
                self._generator = Generator(seed=self.settings.seed, dialect=self.settings.dialect)
            return [self._generator.make(event_type, overrides, dialect) for _ in range(count)]

    def trigger(self, event_type: str, **options: Any) -> tuple[list[dict], list[dict]]:
        events = self.generate(event_type, **options)
        return events, self.dispatcher.deliver(events, self._app)

    def deliver(
        self, event: Any, dialect: str | None = None, event_type: str | None = None
    ) -> tuple[list[dict], list[dict]]:
        """A full payload of the caller's: checked against its schema, then delivered."""
        get_registry().validate(event, dialect or self._wire.dialect, event_type)
        return [event], self.dispatcher.deliver([event], self._app)

    # -- set-up and reset ----------------------------------------------------------------
    def create_default_queue(self) -> dict[str, str]:
        """What `run` sets up: queue + DLQ and one enabled SQS hook for all events."""
        queue = self.engine.create_queue(DEFAULT_QUEUE, region=self.settings.region)
        key, secret = self.engine.credentials()
        self.update_app({"event_hooks": [{
            "hook_type": "sqs", "enabled": True, "event_types": [],
            "sqs_queue_url": queue["url"], "sqs_region": self.settings.region,
            "sqs_auth_type": "keys", "sqs_key": key, "sqs_secret": secret,
        }]})
        self._default_queue = True
        self._start_app = self._app
        return queue

    def reset(self, sqs: bool = False) -> None:
        """Back to the start state: `run`'s default hook included, when it made one."""
        with self._lock:
            self.ledger.clear()
            self.dispatcher.forget_decisions()
            self.dispatcher.faults.clear()
            self._generator = None  # re-seeded on next use
            if sqs:
                self.engine.reset()
                if self._default_queue:
                    self.engine.create_queue(DEFAULT_QUEUE, region=self.settings.region)
            self._app = self._start_app
            self._wire = self._start_wire
            self.dispatcher.always_base64 = self._wire.sqs_body_base64
