"""All emulator state in one object behind typed methods: the model layer.

Views and tools call these methods with parsed values and nothing else (request parsing lives
in `api/`); the collaborators (ledger, dispatcher, faults, rate limiter, SQS engine) are
private and each has its own `reset()`. `reset()` brings everything back to a fresh app
(pytest-httpserver's `clear()` habit: tests share a server, never its state).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .app_settings import AppSettings
from .catalog.batch import check_events
from .catalog.registry import get_registry
from .chat.operations import ChatOperations
from .chat.service import ChatService
from .config import Settings
from .delivery.context import DeliveryContext, PermissionCheckers
from .delivery.dispatcher import Dispatched, Dispatcher, LateRecords
from .delivery.faults import ActiveFault, FaultInjector, SqsFault
from .delivery.ledger import Ledger
from .delivery.policy_examples import load_policy
from .delivery.records import DeliveryFilter, DeliveryRecord, PendingDelivery
from .delivery.retry import RetryPolicy
from .delivery.senders import build_senders
from .delivery.sns_check import check_sns, resolve_check
from .delivery.sqs_check import check_sqs, stored_sqs
from .delivery.wire import WireOptions
from .events.generator import Generator
from .ratelimit import RateLimiter, RateLimitState
from .sqs_engine import DEFAULT_QUEUE, SqsEngine

MAX_TRIGGER_COUNT = 10_000


@dataclass(frozen=True)
class Delivered:
    events: list[dict[str, Any]]
    records: list[DeliveryRecord]
    # Webhook deliveries still being tried when the answer's wait ended (their records
    # reach the ledger when the attempts end): Settings.webhook_answer_wait_ms.
    pending: list[PendingDelivery] = field(default_factory=list)

    def __iter__(self) -> Iterator[Any]:  # `events, records = backend.trigger(...)`
        return iter((self.events, self.records))


@dataclass(frozen=True)
class BackendStatus:
    """What health checks and the dashboard show about where events go."""

    sqs_endpoint: str
    embedded_sqs: bool  # configured for embedded moto (it may be stopped)
    region: str
    app_name: str


class Backend(ChatOperations):
    def __init__(self, settings: Settings, engine: SqsEngine, *,
                 clock: Callable[[], float] = time.time):
        """`clock` (Unix seconds) drives the rate-limit windows; tests pass their own."""
        self.settings = settings  # frozen: safe to share
        self._engine = engine
        self._ledger = Ledger(settings.ledger_size)
        self._faults = FaultInjector()
        self._permissions = PermissionCheckers(engine, settings.strict_iam)
        self._wire = self._start_wire = WireOptions(settings.sqs_body_base64, settings.dialect)
        context = DeliveryContext(
            settings, engine, self._faults,
            RetryPolicy(settings.send_retries, settings.retry_backoff_ms), self._permissions,
            wire=self.wire_options,
        )
        self._dispatcher = Dispatcher(build_senders(context), self._ledger)
        self._limiter = RateLimiter(settings.rate_limits, clock)
        self._lock = threading.RLock()
        self._app = AppSettings()
        self._start_app = self._app  # what reset() returns to
        self._generator: Generator | None = None  # built on first use: Faker pools cost ~0.25 s
        self._default_queue = False
        self._chat = ChatService(self._lock)  # the app's users, channels, messages

    # -- app settings --------------------------------------------------------------------
    @property
    def app(self) -> AppSettings:
        return self._app  # immutable snapshot: safe to read without the lock

    def app_wire(self, dialect: str) -> dict[str, Any]:
        return self._app.to_wire(dialect, self.settings.app_name)

    def update_app(self, patch: Mapping[str, Any]) -> AppSettings:
        """Apply PATCH /app fields; an invalid patch raises InputError and changes nothing."""
        with self._lock:  # read-modify-write: two PATCHes never mix
            self._app = self._app.patched(patch, allow_remote=self.settings.allow_remote)
            return self._app

    def check_sqs(self, url: str | None = None, key: str | None = None,
                  secret: str | None = None, *, stored: bool = True) -> dict[str, Any]:
        """Stream's SQS check; a missing (or empty) value is taken from the app's SQS hook,
        else the legacy settings (`stored=False`: the values given only, as a form's)."""
        values = stored_sqs(self._app, url, key, secret) if stored else (url, key, secret)
        return check_sqs(self._engine, self._permissions.for_region, self.settings.region,
                         *values)

    def check_sns(self, topic_arn: str | None = None, key: str | None = None,
                  secret: str | None = None, auth_type: str | None = None,
                  role_arn: str | None = None) -> dict[str, Any]:
        """Publish a test message (POST /check_sns); None = the app's SNS hook's value.
        `auth_type` and `role_arn` (the dashboard's form) override what the check would pick."""
        check = resolve_check(self._app, topic_arn, key, secret, auth_type, role_arn)
        return check_sns(self._engine, self._permissions.for_region, check)

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
                self._chat.attach(self._generator.world)  # one world: the app's and generated
            return [self._generator.make(event_type, overrides, dialect) for _ in range(count)]

    def trigger(
        self, event_type: str, *, count: int = 1, seed: int | None = None,
        overrides: dict | None = None, dialect: str | None = None,
    ) -> Delivered:
        """Generate `count` events and deliver them to the app's enabled hooks."""
        return self._answer(self.generate(event_type, count, seed, overrides, dialect))

    def deliver(self, event: dict[str, Any], *, dialect: str | None = None,
                event_type: str | None = None) -> Delivered:
        """A full payload of the caller's: checked against its schema, then delivered.
        `event_type` names the schema when the payload's own type does not (custom events)."""
        get_registry().validate(event, dialect or self._wire.dialect, event_type)
        return self._answer([event])

    def deliver_many(self, events: Sequence[dict[str, Any]], *, dialect: str | None = None,
                     checked: bool = False, on_late: LateRecords | None = None) -> Delivered:
        """Many payloads in order. All are schema-checked before any is delivered, unless
        `checked` (the caller's generator already did, as `simulate` standalone). With
        `on_late`, no webhook is waited for: their records go to it as they end."""
        if not checked:  # the list itself, its size, then every payload (catalog.batch)
            events = check_events(events, dialect or self._wire.dialect)
        if on_late is not None:
            sent = self._dispatch(events, 0.0, on_late)
            return Delivered(list(events), sent.records, sent.pending)
        return self._answer(list(events))

    def _answer(self, events: list[dict[str, Any]]) -> Delivered:
        """Delivered, and the records in the answer: webhooks are waited for up to a bound."""
        sent = self._dispatch(events, self.settings.webhook_answer_wait_s)
        return Delivered(events, sent.records, sent.pending)

    def _dispatch(self, events: Sequence[dict[str, Any]], wait_s: float = 0.0,
                  on_late: LateRecords | None = None) -> Dispatched:
        """The one way into delivery for every cause of events (trigger, payloads, chat).
        Chat calls wait for no webhook (`wait_s` 0), as Stream answers before it delivers."""
        return self._dispatcher.deliver(events, self._app, wait_s, on_late)

    # -- the ledger ----------------------------------------------------------------------
    def deliveries(self, filters: DeliveryFilter | None = None) -> list[DeliveryRecord]:
        """Matching records, oldest first; `filters.limit` keeps the newest ones."""
        return self._ledger.query(filters)

    def totals(self) -> dict[str, int]:
        """Records per status since the last reset (exact, even when old records fell off)."""
        return self._ledger.totals()

    # -- faults and rate limits ----------------------------------------------------------
    def fault(self) -> ActiveFault | None:
        return self._faults.active()

    def set_fault(self, fault: SqsFault) -> ActiveFault:
        return self._faults.set(fault)

    def clear_faults(self) -> None:
        self._faults.reset()

    def count_request(self, operation: str) -> RateLimitState:
        """Count one Stream API call; `.allowed` is False when it is over an enforced limit."""
        return self._limiter.count(operation)

    def now(self) -> float:
        """The backend's clock (Unix seconds)."""
        return self._limiter.now()

    # -- status, set-up and reset --------------------------------------------------------
    def status(self) -> BackendStatus:
        return BackendStatus(self._engine.endpoint_url, self.settings.embedded_sqs,
                             self.settings.region, self.settings.app_name)

    def create_default_queue(self) -> dict[str, str]:
        """What `run` sets up: queue + DLQ and one enabled SQS hook for all events, with the
        emulator's own key; with strict IAM, which denies that key (IAM does not know it),
        resource auth and a queue policy allowing Stream's account instead."""
        queue = self._make_default_queue()
        hook = {"hook_type": "sqs", "enabled": True, "event_types": [],
                "sqs_queue_url": queue["url"], "sqs_region": self.settings.region}
        if self.settings.strict_iam:
            hook["sqs_auth_type"] = "resource"
        else:
            key, secret = self._engine.credentials()
            hook.update(sqs_auth_type="keys", sqs_key=key, sqs_secret=secret)
        self.update_app({"event_hooks": [hook]})
        self._default_queue = True
        self._start_app = self._app
        return queue

    def reset(self, sqs: bool = False) -> None:
        """Back to the start state: `run`'s default hook included, when it made one."""
        with self._lock:
            if sqs:  # first: an endpoint that cannot be reset leaves everything as it was
                self._engine.reset()
            self._ledger.reset()
            self._permissions.reset()
            self._faults.reset()
            self._dispatcher.reset()
            self._limiter.reset()
            self._generator = None  # re-seeded on next use
            self._chat.reset()
            if sqs and self._default_queue:
                self._make_default_queue()
            self._app = self._start_app
            self._wire = self._start_wire

    def _make_default_queue(self) -> dict[str, Any]:
        queue = self._engine.create_queue(DEFAULT_QUEUE, region=self.settings.region)
        if self.settings.strict_iam:  # what the default hook's resource auth needs
            policy = json.dumps(load_policy("allow-stream", queue["arn"]))
            self._engine.client("sqs", self.settings.region).set_queue_attributes(
                QueueUrl=queue["url"], Attributes={"Policy": policy})
        return queue

    def close(self) -> None:
        """Stop the delivery threads: webhook workers (a send in flight ends within its
        timeout) and SendMessageBatch pools."""
        self._dispatcher.close()
