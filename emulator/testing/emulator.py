"""Helpers behind the pytest fixtures (emulator/testing/plugin.py), usable without pytest too.

`start_emulator()` runs the emulator in threads of this process on free ports;
`connect_emulator(url)` talks to one running elsewhere. Both give a `StreamEmulator` with the
same methods; Stream-facing calls always go over HTTP, signed like a Stream server SDK.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator
from typing import Any

from ..cli.client import (
    ControlClient,
    EmulatorError,
    EmulatorRefused,
    EmulatorUnreachable,
    Triggered,
)
from ..config import DEFAULT_AWS_CREDENTIALS, ClientSettings, Settings, xdist_worker
from ..consumer import decode_body
from ..errors import InputError
from ..gcpause import collector_paused
from .errors import StreamFailure
from .events import EventFactory, SchemaAssertionError, SchemaChecker
from .ledger_wait import wait_for_records
from .queue import QueueHandle, QueueServices
from .sqs import BotoQueueOps, HookLock, MotoQueueOps, QueueOps, check_queue_name

__all__ = [
    "EventFactory", "QueueHandle", "SchemaAssertionError", "SchemaChecker", "StreamEmulator",
    "StreamFailure", "Triggered", "connect_emulator", "decode_body", "hooked_queue",
    "open_emulator", "start_emulator", "worker_id",
]

FIXTURE_VISIBILITY_TIMEOUT = 1  # seconds, the stream_sqs_queue fixture's queue


def worker_id() -> str:
    """The xdist worker running this process ('gw0', …), or 'main' without xdist."""
    return xdist_worker()


class StreamEmulator:
    """A running emulator: its addresses and credentials, events in, ledger and queues out."""

    def __init__(self, base_url: str, settings: Settings, sqs_endpoint_url: str, *,
                 server: Any = None, credentials: tuple[str, str] = DEFAULT_AWS_CREDENTIALS):
        self.base_url = base_url.rstrip("/")
        self.api_key, self.api_secret = settings.api_key, settings.api_secret
        self.region = settings.region
        self.dialect = settings.dialect
        self.seed = settings.seed if server else None  # an external one has its own
        self.sqs_endpoint_url = sqs_endpoint_url
        self.server = server  # the in-process EmulatorServer, None for an external one
        self.control = ControlClient(self.base_url, self.api_key, self.api_secret)
        self._credentials = credentials
        self._clients: dict[str, Any] = {}
        self._created: list[QueueHandle] = []  # deleted by close(): keep a shared SQS clean
        self._lock = threading.Lock()
        self.queue_ops: QueueOps = self._queue_ops()
        # What queue handles get: not this object (no testing.emulator ↔ testing.queue cycle).
        self.queue_services = QueueServices(self.sqs_client, self.queue_ops, self.deliveries,
                                            self.region)
        self.hook_lock = None if server else HookLock(self.base_url)

    @property
    def external(self) -> bool:
        return self.server is None

    # -- events and the ledger -------------------------------------------------------------
    def trigger(self, type: str, count: int = 1, seed: int | None = None,
                overrides: dict | None = None, dialect: str | None = None) -> Triggered:
        """Generate `count` events of `type` and deliver them to the app's enabled hooks."""
        with self._failing("POST /_emulator/events"):
            return self.control.trigger(type, count, seed, overrides, dialect or self.dialect)

    def deliver(self, event: dict[str, Any], dialect: str | None = None) -> Triggered:
        """Deliver a payload of the test's own (schema-checked first) to the enabled hooks."""
        with self._failing("POST /_emulator/events"):
            return self.control.deliver(event, dialect or self.dialect)

    def deliver_many(self, events: list[dict[str, Any]],
                     dialect: str | None = None) -> Triggered:
        """Deliver many payloads of the test's own in one request, in order; all are
        schema-checked first and a bad one rejects all (nothing is delivered)."""
        with self._failing("POST /_emulator/events"):
            return self.control.deliver_many(events, dialect or self.dialect)

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """Ledger records, oldest first; filters: type, status, hook_id, hook_type, target,
        limit, ids."""
        with self._failing("GET /_emulator/deliveries"):
            return self.control.deliveries(**filters)

    def wait_for_deliveries(self, count: int | None = None, timeout: float = 5.0,
                            **filters: Any) -> list[dict[str, Any]]:
        """The matching records once at least `count` are in the ledger (webhook records come
        when their attempts end, after the chat call); fails the test saying what it holds.
        `ids=triggered.pending_ids()` waits for exactly the records a trigger's answer left
        pending (`count` then defaults to all of them; else to 1)."""
        if "ids" in filters:
            filters["ids"] = list(filters["ids"])
        if count is None:  # all of the named records, else one
            count = len(filters["ids"]) if "ids" in filters else 1
        with self._failing("GET /_emulator/deliveries"):
            return wait_for_records(lambda: self.control.ledger(**filters), count, timeout,
                                    filters)

    def totals(self) -> dict[str, int]:
        with self._failing("GET /_emulator/deliveries"):
            return self.control.totals()

    def reset(self, sqs: bool = False) -> None:
        """App settings back to defaults, ledger emptied, generator back to its seed."""
        if self.server is not None:
            self.server.backend.reset(sqs=sqs)  # in-process: no HTTP, ~0.5 ms
            return
        with self._failing("POST /_emulator/reset"):
            self.control.reset(sqs)

    @contextlib.contextmanager
    def faults(self, mode: str = "unavailable", *, probability: float = 1.0,
               latency_ms: int = 0, seconds: float | None = None) -> Iterator[dict[str, Any]]:
        """SQS misbehaves inside the block (`unavailable`, `throttle` or `latency`), e.g.
        `with stream_emulator.faults("throttle", probability=0.5): ...`; cleared after."""
        with self._failing("POST /_emulator/faults"):
            active = self.control.set_fault(mode, probability, latency_ms, seconds)
        try:
            yield active
        finally:
            with self._failing("DELETE /_emulator/faults"):
                self.control.clear_faults()

    # -- the app's settings (what a Stream SDK would PATCH) --------------------------------
    def update_app(self, **fields: Any) -> None:
        """PATCH /app, e.g. update_app(enable_hook_payload_compression=True)."""
        with self._failing("PATCH /app"):
            self.control.update_app(**fields)

    def wire_options(self) -> dict[str, Any]:
        """`{"sqs_body_base64": bool, "dialect": "v1"|"v2"}` in force on the emulator."""
        if self.server is not None:
            return self.server.backend.wire_options().to_wire()
        with self._failing("GET /_emulator/wire"):
            return self.control.wire_options()

    def set_wire_options(self, sqs_body_base64: bool | None = None,
                         dialect: str | None = None) -> dict[str, Any]:
        """The emulator's body form (base64 even without compression) and default dialect,
        until the next reset(); None keeps the current value."""
        if self.server is not None:  # in-process: no HTTP
            try:
                return self.server.backend.set_wire_options(sqs_body_base64, dialect).to_wire()
            except InputError as exc:
                raise StreamFailure(f"set_wire_options: {exc}") from None
        with self._failing("POST /_emulator/wire"):
            return self.control.set_wire_options(sqs_body_base64, dialect)

    def connect_queue(self, queue: QueueHandle | str, *, auth_type: str = "keys",
                      key: str | None = None, secret: str | None = None,
                      event_types: list[str] | None = None, role_arn: str = "") -> None:
        """Replace the app's hooks by one enabled SQS hook to `queue` (all events by default).
        `auth_type="keys"` signs as `key`/`secret` (default: the test's own credentials);
        `"resource"` relies on the queue policy allowing Stream's principal; `"role"` on the
        IAM role `role_arn` (trusting Stream's principal, allowed `sqs:SendMessage`)."""
        url = queue.url if isinstance(queue, QueueHandle) else queue
        hook: dict[str, Any] = {
            "hook_type": "sqs", "enabled": True, "event_types": list(event_types or []),
            "sqs_queue_url": url, "sqs_region": self.region, "sqs_auth_type": auth_type,
        }
        if auth_type == "keys":
            hook["sqs_key"] = key or self._credentials[0]
            hook["sqs_secret"] = secret or self._credentials[1]
        if role_arn:
            hook["sqs_role_arn"] = role_arn
        self.update_app(event_hooks=[hook])

    # -- SQS ------------------------------------------------------------------------------
    def aws_client(self, service: str = "sqs") -> Any:
        """One cached boto3 client per service (sqs, iam, …) on the emulator's endpoint."""
        with self._lock:
            if service not in self._clients:
                import boto3

                self._clients[service] = boto3.session.Session().client(
                    service, region_name=self.region, endpoint_url=self.sqs_endpoint_url,
                    aws_access_key_id=self._credentials[0],
                    aws_secret_access_key=self._credentials[1],
                )
            return self._clients[service]

    def sqs_client(self) -> Any:
        return self.aws_client("sqs")

    def new_queue_name(self, prefix: str = "stream") -> str:
        """Unique across xdist workers and runs: prefix-<worker>-<uuid>."""
        return f"{prefix}-{worker_id()}-{uuid.uuid4().hex[:16]}"

    def create_queue(self, name: str | None = None, dlq: bool = True, policy: dict | None = None,
                     max_message_size: int = 262_144, *, visibility_timeout: int | None = None,
                     max_receive_count: int = 5) -> QueueHandle:
        """A queue (+ DLQ) on the emulator's SQS; no hook points at it (see connect_queue).
        `visibility_timeout` (s, SQS's default 30) is how long a received message stays
        hidden; after `max_receive_count` receives SQS moves it to the DLQ."""
        name = name or self.new_queue_name()
        check_queue_name(name, dlq)
        if max_receive_count < 1 or (visibility_timeout is not None and visibility_timeout < 0):
            raise ValueError(f"max_receive_count must be ≥ 1 and visibility_timeout ≥ 0, got "
                             f"{max_receive_count} and {visibility_timeout}")
        made = self.queue_ops.create(name, dlq, policy, max_message_size,
                                     visibility_timeout=visibility_timeout,
                                     max_receive_count=max_receive_count)
        queue = QueueHandle(made["url"], made["arn"], name, made["dlq_url"], made["dlq_arn"],
                            services=self.queue_services)
        self._created.append(queue)
        return queue

    def delete_queue(self, queue: QueueHandle) -> None:
        for url in (queue.url, queue.dlq_url):
            if url:
                self.queue_ops.delete(url)
        if queue in self._created:
            self._created.remove(queue)

    def close(self) -> None:
        """Delete the queues this handle made, then stop an in-process emulator."""
        for queue in list(self._created):
            with contextlib.suppress(Exception):  # best effort: the endpoint may be gone
                self.delete_queue(queue)
        if self.server is not None:
            self.server.stop()

    # -- internals ------------------------------------------------------------------------
    def _queue_ops(self) -> QueueOps:
        if self.server is not None and self.server.engine.embedded:
            return MotoQueueOps(self.sqs_endpoint_url, self.region)
        return BotoQueueOps(self.sqs_client)

    @contextlib.contextmanager
    def _failing(self, what: str) -> Iterator[None]:
        """Client errors become StreamFailure: pytest shows them as a test's failure."""
        __tracebackhide__ = True
        try:
            yield
        except EmulatorRefused as exc:
            raise StreamFailure(f"{what} was refused: {exc}") from None
        except EmulatorUnreachable as exc:
            raise StreamFailure(f"the emulator at {self.base_url} is unreachable: {exc}") from None


def start_emulator(seed: int | None = None, dialect: str = "v1", **settings: Any) -> StreamEmulator:
    """An emulator + embedded moto in threads of this process, on free ports."""
    config = Settings.from_env(port=0, sqs_port=0, seed=seed, dialect=dialect, **settings)
    if config.host in ("0.0.0.0", "::"):
        config = config.with_overrides(host="127.0.0.1")  # a test needs no other interface
    with collector_paused():  # emulator/gcpause.py: ~30% of a cold start
        from ..server import EmulatorServer

        server = EmulatorServer(config).start()
    return StreamEmulator(server.base_url, config, server.engine.endpoint_url, server=server,
                          credentials=server.engine.credentials())


def connect_emulator(url: str, dialect: str | None = None) -> StreamEmulator:
    """The emulator running at `url`; its SQS endpoint and region come from /_emulator/health."""
    client = ClientSettings.from_env()
    health = ControlClient(url, client.api_key, client.api_secret, timeout=10).health()
    config = Settings.from_env().with_overrides(
        api_key=client.api_key, api_secret=client.api_secret, region=health["region"],
        dialect=dialect)
    credentials = (client.aws_access_key_id, client.aws_secret_access_key)
    return StreamEmulator(url, config, health["sqs_endpoint"], credentials=credentials)


def open_emulator(url: str | None, seed: int, dialect: str) -> StreamEmulator:
    """What the `stream_emulator` fixture gives: the external emulator at `url`, or a new one."""
    __tracebackhide__ = True
    if not url:
        return start_emulator(seed=seed, dialect=dialect)
    try:
        return connect_emulator(url, dialect=dialect)
    except (OSError, EmulatorError, KeyError, ValueError) as exc:
        why = (f"nothing answers there ({exc.reason}); start it with `stream-sqs-emulator run`, "
               "or leave both unset to have one started per test session"
               if isinstance(exc, EmulatorUnreachable)  # its own hint names STREAM_CHAT_URL
               else f"GET /_emulator/health failed: {exc}")
        raise StreamFailure(f"cannot use the emulator at {url} (--stream-emulator-url / "
                            f"STREAM_EMULATOR_URL): {why}") from None


@contextlib.contextmanager
def hooked_queue(emulator: StreamEmulator) -> Iterator[QueueHandle]:
    """A fresh queue + DLQ with the app's hooks replaced by one SQS hook to it (keys auth,
    all events), on a reset app and ledger; removed again afterwards."""
    lock = emulator.hook_lock
    if lock is not None:
        lock.acquire()
    try:
        emulator.reset()
        # Short: a record a test's Lambda handler failed is back within a second.
        queue = emulator.create_queue(visibility_timeout=FIXTURE_VISIBILITY_TIMEOUT)
        try:
            emulator.connect_queue(queue)
            yield queue
        finally:
            emulator.reset()
            emulator.delete_queue(queue)
    finally:
        if lock is not None:
            lock.release()
