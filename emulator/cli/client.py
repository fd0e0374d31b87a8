"""The one client of a running emulator's control API, signed like a Stream server SDK.

Shared by the CLI's client commands, the pytest helpers (emulator/testing/) and
`simulate --url`: the control-API request bodies are built here and nowhere else. Errors have
one root, `EmulatorError`: `EmulatorUnreachable` (nothing answers) and `EmulatorRefused` (the
emulator answered with Stream's APIError body); the pytest helpers' `StreamFailure` is one too.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson

from ..auth import server_token
from ..config import (
    EMULATOR_URL_EXAMPLE,
    MAX_RECORD_IDS_PER_QUERY,
    ClientSettings,
    Settings,
    UsageError,
    check_url,
)

HOW_TO_START = "start one with `stream-sqs-emulator run` (or `make run`), or set STREAM_CHAT_URL"


class EmulatorError(Exception):
    """Root of every error a client of the emulator sees (CLI, pytest helpers, simulate)."""


class EmulatorUnreachable(EmulatorError, OSError):
    """Nothing answered at the emulator's URL (refused, timed out, no such host)."""

    def __init__(self, url: str, reason: object):
        self.reason = _reason_text(reason)  # e.g. "connection refused", without the hint
        super().__init__(f"no emulator answers at {url} ({self.reason}); {HOW_TO_START}")
        self.url = url


class EmulatorRefused(EmulatorError):
    """The emulator answered with an error status and Stream's APIError body."""

    def __init__(self, status: int, body: dict[str, Any]):
        super().__init__(f"HTTP {status}: {body.get('message', body)}")
        self.status = status
        self.body = body

    @property
    def code(self) -> int | None:
        return self.body.get("code")


@dataclass
class Triggered:
    events: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]
    # Webhook deliveries still being tried when the answer was sent (their records reach
    # the ledger when the attempts end, with the id each entry's `record_id` names); empty
    # unless the answer says `pending`.
    pending: list[dict[str, Any]] = field(default_factory=list)

    def pending_ids(self) -> list[str]:
        """The ids of the records the pending deliveries will write (an older emulator's
        entries without `record_id` are left out)."""
        return [entry["record_id"] for entry in self.pending if "record_id" in entry]

    def __iter__(self) -> Iterator[Any]:  # `events, deliveries = emulator.trigger(...)`
        return iter((self.events, self.deliveries))


def _reason_text(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "timed out"
    return str(getattr(reason, "strerror", None) or reason)


class RawJSON(NamedTuple):
    """A request body already encoded as JSON (sent as is)."""

    data: bytes


class ControlClient:
    def __init__(self, base_url: str, api_key: str, api_secret: str, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self._token = server_token(api_secret)
        self.timeout = timeout

    @classmethod
    def for_settings(cls, base_url: str, settings: Settings) -> ControlClient:
        return cls(base_url, settings.api_key, settings.api_secret)

    @classmethod
    def from_env(cls, url: str | None = None, timeout: float = 60.0) -> ControlClient:
        """From the variables `run` prints (STREAM_CHAT_URL, STREAM_KEY, STREAM_SECRET); `url`
        is a --url flag's (a bad one raises UsageError naming the flag)."""
        client = ClientSettings.from_env()
        if url:
            check_url(url, "--url", EMULATOR_URL_EXAMPLE)
        elif not client.url_from_env and client.url.endswith(":0"):
            # STREAM_EMULATOR_PORT=0 (a shell that also ran `run`): no client can guess the
            # free port `run` took.
            raise UsageError("STREAM_EMULATOR_PORT=0 has `run` take a free port, which a client "
                             "cannot know: set STREAM_CHAT_URL to the URL `run` printed (or "
                             "pass --url)")
        return cls(url or client.url, client.api_key, client.api_secret, timeout=timeout)

    # -- typed operations ------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self.get("/_emulator/health")

    def trigger(self, type: str, count: int = 1, seed: int | None = None,
                overrides: dict | None = None, dialect: str | None = None) -> Triggered:
        """Generate `count` events of `type` and deliver them to the app's enabled hooks."""
        body: dict[str, Any] = {"type": type, "count": count}
        _put(body, seed=seed, overrides=overrides or None, dialect=dialect)
        return self._triggered(body)

    def deliver(self, event: dict[str, Any], dialect: str | None = None,
                event_type: str | None = None) -> Triggered:
        """A payload of the caller's: schema-checked by the emulator, then delivered."""
        body: dict[str, Any] = {"event": event}
        _put(body, dialect=dialect, type=event_type)
        return self._triggered(body)

    def deliver_many(self, events: list[dict[str, Any]],
                     dialect: str | None = None) -> Triggered:
        """Many payloads of the caller's in one request, delivered in order; all are checked
        first and a bad one rejects the request (nothing delivered)."""
        body: dict[str, Any] = {"events": list(events)}
        _put(body, dialect=dialect)
        return self._triggered(body)

    def deliver_many_json(self, event_texts: list[bytes], dialect: str | None = None,
                          echo: bool = True) -> Triggered:
        """deliver_many with each payload already encoded as JSON (UTF-8): simulate encodes
        each event once, sizes its requests by those bytes, and sends them without a second
        pass. `echo=False` asks for the records alone (the answer's `events` is then [])."""
        head = {"dialect": dialect} if echo else {"dialect": dialect, "echo": False}
        body = orjson.dumps(head)[:-1] + b',"events":[' + b",".join(event_texts) + b"]}"
        answer = self.request("POST", "/_emulator/events", RawJSON(body))
        return Triggered(answer.get("events", []), answer["deliveries"],
                         answer.get("pending", []))

    def ledger(self, type: str | None = None, status: str | None = None,
               hook_id: str | None = None, target: str | None = None,
               limit: int | None = None, hook_type: str | None = None,
               ids: Iterable[str] | None = None,
               ) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Matching delivery records (oldest first; `limit` keeps the newest) and the totals.
        `ids`: only the records with these ids, asked for MAX_RECORD_IDS_PER_QUERY at a time
        (then in the order of `ids`, and `limit` applies to each request)."""
        if ids is not None:
            return self._ledger_by_id(list(ids), type=type, status=status, hook_id=hook_id,
                                      hook_type=hook_type, target=target, limit=limit)
        answer = self.get("/_emulator/deliveries", type=type, status=status, hook_id=hook_id,
                          hook_type=hook_type, target=target, limit=limit)
        return answer["deliveries"], answer["totals"]

    def _ledger_by_id(self, ids: list[str], **filters: Any
                      ) -> tuple[list[dict[str, Any]], dict[str, int]]:
        if not ids:  # `ids=` would be refused: no id, no record (the totals still come)
            return [], self.totals()
        found: dict[str, dict[str, Any]] = {}
        totals: dict[str, int] = {}
        for start in range(0, len(ids), MAX_RECORD_IDS_PER_QUERY):
            chunk = ids[start:start + MAX_RECORD_IDS_PER_QUERY]
            answer = self.get("/_emulator/deliveries", ids=",".join(chunk), **filters)
            wanted = set(chunk)  # an emulator without the filter would answer with all
            found.update((r["id"], r) for r in answer["deliveries"] if r["id"] in wanted)
            totals = answer["totals"]
        return [found[i] for i in dict.fromkeys(ids) if i in found], totals

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """Ledger records, oldest first; filters: type, status, hook_id, hook_type, target,
        limit, ids."""
        return self.ledger(**filters)[0]

    def totals(self) -> dict[str, int]:
        return self.ledger(limit=1)[1]

    def reset(self, sqs: bool = False) -> None:
        """App settings back to the start state, ledger emptied; `sqs` resets SQS too."""
        self.post("/_emulator/reset", {"sqs": sqs})

    def faults(self) -> dict[str, Any] | None:
        """The active SQS fault, or None."""
        return self.get("/_emulator/faults")["sqs"]

    def set_fault(self, mode: str, probability: float = 1.0, latency_ms: int = 0,
                  seconds: float | None = None) -> dict[str, Any]:
        """SQS misbehaves: `unavailable`, `throttle` or `latency`; returns the active fault."""
        spec: dict[str, Any] = {"mode": mode, "probability": probability, "latency_ms": latency_ms}
        _put(spec, seconds=seconds)
        return self.post("/_emulator/faults", {"sqs": spec})["sqs"]

    def clear_faults(self) -> None:
        self.request("DELETE", "/_emulator/faults")

    def get_app(self) -> dict[str, Any]:
        return self.get("/app")["app"]

    def update_app(self, **fields: Any) -> dict[str, Any]:
        """PATCH /app, e.g. update_app(enable_hook_payload_compression=True)."""
        return self.patch("/app", fields)

    def wire_options(self) -> dict[str, Any]:
        """`{"sqs_body_base64": bool, "dialect": "v1"|"v2"}` in force until the next reset."""
        return self.get("/_emulator/wire")

    def set_wire_options(self, sqs_body_base64: bool | None = None,
                         dialect: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {}
        _put(body, sqs_body_base64=sqs_body_base64, dialect=dialect)
        return self.post("/_emulator/wire", body)

    def _triggered(self, body: dict[str, Any]) -> Triggered:
        answer = self.post("/_emulator/events", body)
        return Triggered(answer["events"], answer["deliveries"], answer.get("pending", []))

    # -- raw requests (tests use these to send malformed bodies) ---------------------------
    def request(self, method: str, path: str, body: Any = None, **query: Any) -> dict[str, Any]:
        params = {"api_key": self.api_key, **{k: v for k, v in query.items() if v is not None}}
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        if isinstance(body, RawJSON):
            data = body.data
        else:
            # UTF-8 and compact: \u escapes would double a non-ASCII payload's size (an
            # event `trigger --kilobytes` built to N KiB must fit the 1 MiB request limit).
            data = None if body is None else json.dumps(
                body, ensure_ascii=False, separators=(",", ":")).encode()
        req = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": self._token,
            "Stream-Auth-Type": "jwt",
            "Content-Type": "application/json",
        })
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                payload, answer = resp.read(), resp
        except urllib.error.HTTPError as exc:
            body = _error_body(exc.read())
            if body is None:  # not the emulator: a page of another server on that port
                raise EmulatorUnreachable(self.base_url, _not_stream(exc)) from None
            raise EmulatorRefused(exc.code, body) from None
        except urllib.error.URLError as exc:
            raise EmulatorUnreachable(self.base_url, exc.reason) from None
        except OSError as exc:  # reset mid-answer
            raise EmulatorUnreachable(self.base_url, exc) from None
        try:
            return orjson.loads(payload or b"{}")  # answers of up to 1 MiB: fast
        except orjson.JSONDecodeError:  # a 200 page of another server
            raise EmulatorUnreachable(self.base_url, _not_stream(answer)) from None

    def get(self, path: str, **query: Any) -> dict[str, Any]:
        return self.request("GET", path, **query)

    def post(self, path: str, body: Any = None) -> dict[str, Any]:
        return self.request("POST", path, {} if body is None else body)

    def patch(self, path: str, body: Any) -> dict[str, Any]:
        return self.request("PATCH", path, body)


def _put(body: dict[str, Any], **optional: Any) -> None:
    body.update({k: v for k, v in optional.items() if v is not None})


def _error_body(payload: bytes) -> dict[str, Any] | None:
    """Stream's APIError body, or None when the answer is not one (another server's page)."""
    try:
        parsed = json.loads(payload)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) and "message" in parsed else None


def _not_stream(answer: Any) -> str:
    """Why an answer is not the emulator's (an HTTPError or a response: both have these)."""
    kind = (answer.headers.get("Content-Type") or "no content type").split(";")[0]
    return f"another server answered: HTTP {answer.status}, {kind}, not the emulator's JSON"
