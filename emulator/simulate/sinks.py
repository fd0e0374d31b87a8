"""Where simulated events go: the in-process backend (standalone) or a running emulator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..cli.client import ControlClient, EmulatorError

if TYPE_CHECKING:  # the backend pulls in boto3 and the generator: only for the type
    from ..backend import Backend


class SendError(RuntimeError):
    """A send that failed part-way: `events` and `records` are the part that went through."""

    def __init__(self, cause: BaseException, events: list[dict], records: list[dict]):
        super().__init__(str(cause))
        self.events = events
        self.records = records


class Sink(Protocol):
    def send(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Deliver the events in order; returns one delivery record per (event, hook)."""

    def ledger_totals(self) -> dict[str, int]: ...


class BackendSink:
    """Standalone: the events are already schema-checked by the generator, so the backend
    delivers them as they are, a batch at a time (one lock, one target lookup per batch)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def send(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        delivered = self.backend.deliver_many(events, checked=True)
        return [record.to_wire() for record in delivered.records]

    def ledger_totals(self) -> dict[str, int]:
        return self.backend.totals()


class HttpSink:
    """A running emulator: one `POST /_emulator/events {"event": …}` per event, in order
    (parallel requests could reorder them, and a consumer would see a reaction before its
    message). The emulator checks each payload against its schema again."""

    def __init__(self, client: ControlClient, dialect: str) -> None:
        self.client = client
        self.dialect = dialect

    def send(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        for index, event in enumerate(events):
            try:
                sent = self.client.deliver(event, self.dialect)
            except EmulatorError as exc:  # keep what went through before it
                raise SendError(exc, events[:index], records) from exc
            records += sent.deliveries
        return records

    def ledger_totals(self) -> dict[str, int]:
        return self.client.totals()
