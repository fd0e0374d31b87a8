"""A small webhook receiver: `stream-sqs-emulator webhook-receiver` and the tests' receiver.

It checks each POST's `X-Signature` (HMAC-SHA256 of the uncompressed body with the API
secret), answers 200 (401 for a bad signature) and counts what arrived: requests, events
(distinct `X-Webhook-Id`s answered 2xx), duplicates, bad signatures. It can be out for a
window of its run (`down_between`): `refuse` closes the listening socket (connection
refused, as when a server is down) and drops open keep-alive connections; `503` answers 503.
`script` scripts the first answers, for tests: an int is a status code, "hang" waits
without answering, "reset" drops the connection.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DOWN_MODES = ("refuse", "503")
MAX_KEPT_EVENTS = 10_000  # events kept for inspection; the counters are exact regardless
HANG_LIMIT_S = 60.0


class WebhookReceiver:
    def __init__(self, secret: str, host: str = "127.0.0.1", port: int = 0,
                 down_between: tuple[float, float] | None = None, down_mode: str = "refuse",
                 script: Iterable[int | str] = (), window_from_first: bool = False):
        if down_mode not in DOWN_MODES:
            raise ValueError(f"down mode must be one of {DOWN_MODES}, got {down_mode!r}")
        self.secret = secret.encode("utf-8")
        self.host, self.port = host, port
        self.down_between, self.down_mode = down_between, down_mode
        self._script = list(script)
        # The outage window counts from the first request rather than from start-up, so it
        # does not depend on how long the sender takes to start.
        self._first = threading.Event()
        self._origin = 0.0  # time.monotonic() of the first request, when the window counts from it
        if not window_from_first:
            self._first.set()
        self._lock = threading.Lock()
        self._down = False
        self._release = threading.Event()  # lets hanging handlers go at stop()
        self._server: ThreadingHTTPServer | None = None
        self._started = 0.0
        self.counts: Counter = Counter()
        self.attempts: Counter = Counter()  # X-Webhook-Attempt values seen
        self.ids: set[str] = set()
        self.events: list[dict[str, Any]] = []
        # (lower-case headers, body as received) of each request, in order
        self.requests: list[tuple[dict[str, str], bytes]] = []

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> WebhookReceiver:
        self._listen()
        self.port = self._server.server_port  # keep it: coming back up reuses the port
        self._started = time.monotonic()
        if self.down_between:
            threading.Thread(target=self._outage, daemon=True, name="receiver-outage").start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._close_listener()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def is_down(self) -> bool:
        return self._down

    def _listen(self) -> None:
        server = _Server((self.host, self.port), _Handler)
        server.receiver = self
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True,
                         name="webhook-receiver").start()

    def _close_listener(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def _outage(self) -> None:
        start, end = self.down_between
        while not self._first.wait(0.05):
            if self._release.is_set():
                return
        origin = self._origin or self._started
        if self._release.wait(max(0.0, origin + start - time.monotonic())):
            return
        self._down = True
        if self.down_mode == "refuse":
            self._close_listener()
        if self._release.wait(max(0.0, origin + end - time.monotonic())):
            return
        if self.down_mode == "refuse":
            self._listen()
        self._down = False

    # -- what a request gets ------------------------------------------------------------
    def next_scripted(self) -> int | str | None:
        with self._lock:
            return self._script.pop(0) if self._script else None

    def arrived(self, headers: dict[str, str], body: bytes) -> None:
        if not self._first.is_set():
            self._origin = time.monotonic()
            self._first.set()
        with self._lock:
            self.counts["requests"] += 1
            self.attempts[headers.get("x-webhook-attempt", "")] += 1
            if len(self.requests) < MAX_KEPT_EVENTS:
                self.requests.append((headers, body))

    def bump(self, name: str) -> None:
        with self._lock:
            self.counts[name] += 1

    def record(self, headers: dict[str, str], body: bytes) -> int:
        """Check and count a request answered normally; the status code to answer."""
        try:
            raw = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
        except (OSError, EOFError):
            raw = b""
        expected = hmac.new(self.secret, raw, hashlib.sha256).hexdigest()
        good = hmac.compare_digest(expected, headers.get("x-signature", ""))
        webhook_id = headers.get("x-webhook-id", "")
        with self._lock:
            if not good:
                self.counts["bad_signatures"] += 1
                return 401
            if webhook_id in self.ids:
                self.counts["duplicates"] += 1
            else:
                self.ids.add(webhook_id)
                self.counts["events"] += 1
                if len(self.events) < MAX_KEPT_EVENTS:
                    self.events.append(json.loads(raw))
        return 200

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": self.counts["requests"], "events": self.counts["events"],
                    "duplicates": self.counts["duplicates"],
                    "bad_signatures": self.counts["bad_signatures"],
                    "dropped_while_down": self.counts["dropped_while_down"],
                    "answered_503_while_down": self.counts["503_while_down"],
                    "attempts": dict(self.attempts), "down": self._down}

    def hang(self) -> None:
        self._release.wait(HANG_LIMIT_S)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    receiver: WebhookReceiver


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Stream's client uses it
    # Headers and body in one segment: else Nagle + the client's delayed ACK cost ~40 ms each.
    disable_nagle_algorithm = True
    wbufsize = -1
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.rstrip("/") != "/stats":
            return self._answer(404, {"error": "POST webhooks to /, read counts at /stats"})
        self._answer(200, self.server.receiver.stats())

    def do_POST(self) -> None:  # noqa: N802
        receiver = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        receiver.arrived(headers, body)
        if receiver.is_down():
            if receiver.down_mode == "refuse":  # an open keep-alive connection dies too
                receiver.bump("dropped_while_down")
                return self._drop()
            receiver.bump("503_while_down")
            return self._answer(503, {"error": "down (outage window)"})
        scripted = receiver.next_scripted()
        if scripted == "hang":
            receiver.hang()
            return self._drop()
        if scripted == "reset":
            return self._drop()
        if isinstance(scripted, int):
            return self._answer(scripted, {"error": "scripted answer"})
        self._answer(receiver.record(headers, body), {})

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        """Close without an answer; SO_LINGER 0 makes it a reset, not a clean close."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # quiet: the counts say what happened
