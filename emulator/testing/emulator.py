"""Helpers behind the pytest fixtures (emulator/testing/plugin.py), usable without pytest too.

`start_emulator()` runs the emulator in threads of this process on free ports;
`connect_emulator(url)` talks to one running elsewhere. Both give a `StreamEmulator` with the
same methods; Stream-facing calls always go over HTTP, signed like a Stream server SDK.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any, NamedTuple

from ..cli.client import ControlClient, EmulatorError
from ..config import Settings
from ..consumer import decode_body
from ..errors import InputError
from .events import EventFactory, SchemaAssertionError, SchemaChecker
from .queue import QueueHandle, StreamFailure
from .sqs import BotoQueueOps, HookLock, MotoQueueOps, QueueOps, check_queue_name

__all__ = [
    "EventFactory", "QueueHandle", "SchemaAssertionError", "SchemaChecker", "StreamEmulator",
    "StreamFailure", "Triggered", "connect_emulator", "decode_body", "hooked_queue",
    "open_emulator", "start_emulator", "worker_id",
]

_DEFAULT_CREDENTIALS = ("testing", "testing")
FIXTURE_VISIBILITY_TIMEOUT = 1  # seconds, the stream_sqs_queue fixture's queue


class Triggered(NamedTuple):
    events: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]


def worker_id() -> str:
    """The xdist worker running this process ('gw0', …), or 'main' without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


class StreamEmulator:
    """A running emulator: its addresses and credentials, events in, ledger and queues out."""

    def __init__(self, base_url: str, settings: Settings, sqs_endpoint_url: str, *,
                 server: Any = None, credentials: tuple[str, str] = _DEFAULT_CREDENTIALS):
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
        self.hook_lock = None if server else HookLock(self.base_url)

    @property
    def external(self) -> bool:
        return self.server is None

    # -- events and the ledger -------------------------------------------------------------
    def trigger(self, type: str, count: int = 1, seed: int | None = None,
                overrides: dict | None = None, dialect: str | None = None) -> Triggered:
        """Generate `count` events of `type` and deliver them to the app's enabled hooks."""
        body: dict[str, Any] = {"type": type, "count": count, "dialect": dialect or self.dialect}
        if seed is not None:
            body["seed"] = seed
        if overrides:
            body["overrides"] = overrides
        answer = self._call("POST", "/_emulator/events", body)
        return Triggered(answer["events"], answer["deliveries"])

    def deliver(self, event: dict[str, Any], dialect: str | None = None) -> Triggered:
        """Deliver a payload of the test's own (schema-checked first) to the enabled hooks."""
        body = {"event": event, "dialect": dialect or self.dialect}
        answer = self._call("POST", "/_emulator/events", body)
        return Triggered(answer["events"], answer["deliveries"])

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """Ledger records, oldest first; filters: type, status, hook_id, target, limit."""
        return self._call("GET", "/_emulator/deliveries", None, **filters)["deliveries"]

    def totals(self) -> dict[str, int]:
        return self._call("GET", "/_emulator/deliveries", None, limit=1)["totals"]

    def reset(self, sqs: bool = False) -> None:
        """App settings back to defaults, ledger emptied, generator back to its seed."""
        if self.server is not None:
            self.server.backend.reset(sqs=sqs)  # in-process: no HTTP, ~0.5 ms
        else:
            self._call("POST", "/_emulator/reset", {"sqs": sqs})

    @contextlib.contextmanager
    def faults(self, mode: str = "unavailable", *, probability: float = 1.0,
               latency_ms: int = 0, seconds: float | None = None) -> Iterator[dict[str, Any]]:
        """SQS misbehaves inside the block (`unavailable`, `throttle` or `latency`), e.g.
        `with stream_emulator.faults("throttle", probability=0.5): ...`; cleared after."""
        spec: dict[str, Any] = {"mode": mode, "probability": probability, "latency_ms": latency_ms}
        if seconds is not None:
            spec["seconds"] = seconds
        active = self._call("POST", "/_emulator/faults", {"sqs": spec})["sqs"]
        try:
            yield active
        finally:
            self._call("DELETE", "/_emulator/faults", None)

    # -- the app's settings (what a Stream SDK would PATCH) --------------------------------
    def update_app(self, **fields: Any) -> None:
        """PATCH /app, e.g. update_app(enable_hook_payload_compression=True)."""
        self._call("PATCH", "/app", fields)

    def wire_options(self) -> dict[str, Any]:
        """`{"sqs_body_base64": bool, "dialect": "v1"|"v2"}` in force on the emulator."""
        if self.server is not None:
            return self.server.backend.wire_options().to_wire()
        return self._call("GET", "/_emulator/wire", None)

    def set_wire_options(self, sqs_body_base64: bool | None = None,
                         dialect: str | None = None) -> dict[str, Any]:
        """The emulator's body form (base64 even without compression) and default dialect,
        until the next reset(); None keeps the current value."""
        if self.server is not None:  # in-process: no HTTP
            try:
                return self.server.backend.set_wire_options(sqs_body_base64, dialect).to_wire()
            except InputError as exc:
                raise StreamFailure(f"set_wire_options: {exc}") from None
        body = {k: v for k, v in (("sqs_body_base64", sqs_body_base64), ("dialect", dialect))
                if v is not None}
        return self._call("POST", "/_emulator/wire", body)

    def connect_queue(self, queue: QueueHandle | str, *, auth_type: str = "keys",
                      key: str | None = None, secret: str | None = None,
                      event_types: list[str] | None = None) -> None:
        """Replace the app's hooks by one enabled SQS hook to `queue` (all events by default).
        `auth_type="keys"` signs as `key`/`secret` (default: the test's own credentials);
        `"resource"` relies on the queue policy allowing Stream's principal."""
        url = queue.url if isinstance(queue, QueueHandle) else queue
        hook: dict[str, Any] = {
            "hook_type": "sqs", "enabled": True, "event_types": list(event_types or []),
            "sqs_queue_url": url, "sqs_region": self.region, "sqs_auth_type": auth_type,
        }
        if auth_type == "keys":
            hook["sqs_key"] = key or self._credentials[0]
            hook["sqs_secret"] = secret or self._credentials[1]
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
                            emulator=self)
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

    def _call(self, method: str, path: str, body: Any, **query: Any) -> dict[str, Any]:
        __tracebackhide__ = True
        try:
            return self.control.request(method, path, body, **query)
        except EmulatorError as exc:
            raise StreamFailure(f"{method} {path} was refused: {exc}") from None
        except OSError as exc:
            raise StreamFailure(f"the emulator at {self.base_url} is unreachable: {exc}") from None


def start_emulator(seed: int | None = None, dialect: str = "v1", **settings: Any) -> StreamEmulator:
    """An emulator + embedded moto in threads of this process, on free ports."""
    from ..server import EmulatorServer

    config = Settings.from_env(port=0, sqs_port=0, seed=seed, dialect=dialect, **settings)
    if config.host in ("0.0.0.0", "::"):
        config = config.with_overrides(host="127.0.0.1")  # a test needs no other interface
    server = EmulatorServer(config).start()
    return StreamEmulator(server.base_url, config, server.engine.endpoint_url, server=server,
                          credentials=server.engine.credentials())


def connect_emulator(url: str, dialect: str | None = None) -> StreamEmulator:
    """The emulator running at `url`; its SQS endpoint and region come from /_emulator/health."""
    config = Settings.from_env()
    health = ControlClient(url, config.api_key, config.api_secret, timeout=10).get(
        "/_emulator/health")
    config = config.with_overrides(region=health["region"], dialect=dialect)
    credentials = (os.environ.get("AWS_ACCESS_KEY_ID") or _DEFAULT_CREDENTIALS[0],
                   os.environ.get("AWS_SECRET_ACCESS_KEY") or _DEFAULT_CREDENTIALS[1])
    return StreamEmulator(url, config, health["sqs_endpoint"], credentials=credentials)


def open_emulator(url: str | None, seed: int, dialect: str) -> StreamEmulator:
    """What the `stream_emulator` fixture gives: the external emulator at `url`, or a new one."""
    __tracebackhide__ = True
    if not url:
        return start_emulator(seed=seed, dialect=dialect)
    try:
        return connect_emulator(url, dialect=dialect)
    except (OSError, EmulatorError, KeyError, ValueError) as exc:
        raise StreamFailure(
            f"cannot use the emulator at {url} (--stream-emulator-url / STREAM_EMULATOR_URL): "
            f"GET /_emulator/health failed: {exc}"
        ) from None


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
