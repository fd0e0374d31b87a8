"""HTTP webhook hooks: one signed POST per event, retried as Stream documents.

Rules (Stream's webhook docs): 408, 429, ≥ 500 and request timeouts → up to 3 attempts;
connection refused/reset → up to 2; any other answer that is not 2xx → failed at once. Each
request times out after `timeout_ms` (Stream: 6 s) and all attempts of one event fit in 2.5×
that (Stream: 15 s): the last attempt gets what is left. Stream documents no backoff; we wait
`backoff_ms`, then twice that, between attempts (short, so an outage costs little time).
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import urllib3
from urllib3.exceptions import HTTPError, NewConnectionError, ProtocolError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from .. import __version__
from ..app_settings import AppSettings
from ..config import WEBHOOK_BUDGET_FACTOR
from .encoding import event_json_bytes
from .hook_targets import wants_event

LEGACY_HOOK_ID = "legacy-webhook-url"
RETRIED_STATUSES = frozenset({408, 429})
MAX_ATTEMPTS = 3  # 408/429/5xx and timeouts
MAX_NETWORK_ATTEMPTS = 2  # connection refused or reset
BUDGET_FACTOR = WEBHOOK_BUDGET_FACTOR  # all attempts of one event within 2.5 × the timeout


@dataclass(frozen=True)
class WebhookTarget:
    hook_id: str
    address: str  # the webhook URL (the ledger record's `target`)
    event_types: tuple[str, ...]

    def wants(self, event_type: str) -> bool:
        return wants_event(self.event_types, event_type)


def webhook_targets(app: AppSettings) -> list[WebhookTarget]:
    """Enabled webhook hooks, then the legacy top-level `webhook_url` (+ `webhook_events`)."""
    targets = [
        WebhookTarget(hook.id, hook.get("webhook_url"), hook.event_types)
        for hook in app.event_hooks
        if hook.hook_type == "webhook" and hook.enabled and hook.get("webhook_url")
    ]
    legacy = app.get("webhook_url")
    if legacy:
        targets.append(WebhookTarget(LEGACY_HOOK_ID, legacy, tuple(app.get("webhook_events"))))
    return targets


@dataclass(frozen=True)
class WebhookResult:
    delivered: bool
    reason: str
    attempts: int
    webhook_id: str
    size_bytes: int


@dataclass(frozen=True)
class _Attempt:
    kind: str  # ok | retry (3 attempts) | network (2 attempts) | final (no retry)
    detail: str = ""


class WebhookSender:
    """Sends through one pooled, keep-alive HTTP client (never a client per event)."""

    def __init__(self, api_key: str, api_secret: str, timeout_ms: int, backoff_ms: int,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.api_key = api_key
        self._secret = api_secret.encode("utf-8")
        self.timeout_s = timeout_ms / 1000
        self.backoff_s = backoff_ms / 1000
        self._clock, self._sleep = clock, sleep
        self._pool = urllib3.PoolManager(num_pools=32, maxsize=2, retries=False, block=False)

    def send(self, url: str, event: dict[str, Any], compress: bool) -> WebhookResult:
        raw = event_json_bytes(event)
        body = gzip.compress(raw, mtime=0) if compress else raw
        headers = self._headers(raw, compress)
        deadline = self._clock() + BUDGET_FACTOR * self.timeout_s
        attempt = 0
        while True:
            attempt += 1
            left = deadline - self._clock()
            outcome = self._attempt(url, body, headers, attempt, min(self.timeout_s, left))
            if outcome.kind == "ok":
                return WebhookResult(True, "", attempt, headers["X-Webhook-Id"], len(body))
            reason = self._give_up(outcome, attempt, deadline)
            if reason:
                return WebhookResult(False, reason, attempt, headers["X-Webhook-Id"], len(body))
            self._sleep(self.backoff_s * 2 ** (attempt - 1))

    def _headers(self, raw: bytes, compress: bool) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "X-Api-Key": self.api_key,
            # Over the uncompressed JSON, as the SDKs' verify_webhook expect.
            "X-Signature": hmac.new(self._secret, raw, hashlib.sha256).hexdigest(),
            "X-Webhook-Id": str(uuid.uuid4()),  # one id per (event, hook), kept across retries
            "User-Agent": f"stream-sqs-emulator/{__version__}",
        }
        if compress:
            headers["Content-Encoding"] = "gzip"
        return headers

    def _give_up(self, outcome: _Attempt, attempt: int, deadline: float) -> str:
        """The ledger reason when this was the last attempt, else "" (retry)."""
        limit = {"retry": MAX_ATTEMPTS, "network": MAX_NETWORK_ATTEMPTS}.get(outcome.kind, 1)
        if outcome.kind == "final":
            return f"{outcome.detail}: Stream does not retry that answer"
        if attempt >= limit:
            return f"{outcome.detail}; gave up after {attempt} attempt(s)"
        if self._clock() + self.backoff_s * 2 ** (attempt - 1) >= deadline:
            budget = BUDGET_FACTOR * self.timeout_s
            return (f"{outcome.detail}; gave up after {attempt} attempt(s): all attempts of "
                    f"one event must fit in {budget:g} s")
        return ""

    def _attempt(self, url: str, body: bytes, headers: dict[str, str], attempt: int,
                 timeout_s: float) -> _Attempt:
        headers = dict(headers, **{"X-Webhook-Attempt": str(attempt)})
        try:
            response = self._pool.request(
                "POST", url, body=body, headers=headers, preload_content=False,
                timeout=urllib3.Timeout(total=max(timeout_s, 0.001)),
            )
        except NewConnectionError as exc:
            return _Attempt("network", f"cannot connect to {url}: {_cause(exc)}")
        except Urllib3Timeout:
            return _Attempt("retry", f"no answer from {url} within the request timeout "
                                     f"({self.timeout_s * 1000:.0f} ms)")
        except (ProtocolError, SSLError) as exc:
            return _Attempt("network", f"connection to {url} failed: {_cause(exc)}")
        except HTTPError as exc:  # anything else urllib3 raises: a network problem
            return _Attempt("network", f"request to {url} failed: {exc}")
        try:
            response.drain_conn()  # read the answer so the connection goes back to the pool
        except HTTPError:
            pass
        finally:
            response.release_conn()
        status = response.status
        if 200 <= status < 300:
            return _Attempt("ok")
        detail = f"{url} answered HTTP {status}"
        if status in RETRIED_STATUSES or status >= 500:
            return _Attempt("retry", detail)
        return _Attempt("final", detail)

    def close(self) -> None:
        self._pool.clear()


def _cause(exc: BaseException) -> str:
    """The OS-level reason ("Connection refused") rather than urllib3's wrapper text."""
    node: BaseException | None = exc
    for _ in range(6):
        if node is None:
            break
        if isinstance(node, OSError) and node.strerror:
            return node.strerror
        nested = next((a for a in node.args if isinstance(a, BaseException)), None)
        node = nested or node.__cause__ or node.__context__
    return str(exc)
