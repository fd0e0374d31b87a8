"""The one place that reads environment variables: `Settings` (the emulator's, read once,
flags override env) and `ClientSettings` (what clients of a running emulator read).
An empty variable counts as unset everywhere."""

from __future__ import annotations

import ipaddress
import os
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .catalog.dialects import DIALECTS, check_dialect

__all__ = ["DIALECTS", "ClientSettings", "Settings", "UsageError", "check_host", "check_url",
           "xdist_worker"]
# Stream's AWS account: the principal a queue policy must allow for `sqs_auth_type: resource`.
STREAM_PRINCIPAL = "arn:aws:iam::185583345998:root"
# Stream drops messages over 256 KB (docs); moto would accept up to 1 MiB, so we enforce it.
MAX_MESSAGE_BYTES = 262_144
MAX_BODY_BYTES = 1024 * 1024  # Stream: request bodies over 1 MiB → 413, code 22
SQS_SEND_MODES = ("batch", "single")
# Measured against a moto_server process (benchmarks/bench_external.py): 4 batches in flight
# kept the server busy; 8 added nothing and cost more threads.
DEFAULT_SEND_CONCURRENCY = 4
# Stream: 6 s per webhook request, 15 s for all attempts of one event: 2.5x the timeout.
WEBHOOK_BUDGET_FACTOR = 2.5
MAX_SEND_CONCURRENCY = 64
# `GET /_emulator/deliveries?ids=…`: 500 record ids (UUIDs, ~39 bytes each URL-encoded) keep
# the request line well under the HTTP server's 64 KiB.
MAX_RECORD_IDS_PER_QUERY = 500
DEFAULT_API_KEY = "emulator-key"
DEFAULT_API_SECRET = "emulator-secret-for-local-use-only"
# moto accepts any access key; these are the ones `run` prints and the helpers default to.
DEFAULT_AWS_CREDENTIALS = ("testing", "testing")
# Settings fields read from a variable other than STREAM_EMULATOR_<NAME>.
_ENV_NAMES = {"aws_access_key_id": "AWS_ACCESS_KEY_ID",
              "aws_secret_access_key": "AWS_SECRET_ACCESS_KEY"}


class UsageError(ValueError):
    """A bad setting, variable or flag: the user has to change what they typed."""


# What the URLs a user types should look like (the examples in the errors).
EMULATOR_URL_EXAMPLE = "http://127.0.0.1:8000"
SQS_URL_EXAMPLE = "http://127.0.0.1:9324"
QUEUE_URL_EXAMPLE = "http://127.0.0.1:9324/123456789012/stream-events"
_HOST_PORT = re.compile(r"[\w.-]+:\d+(/.*)?")


def check_url(value: str, name: str, example: str) -> str:
    """`value` if it is an http(s) URL with a host (and a numeric port, if any), else a
    UsageError naming `name` (the variable or flag) and what it should look like: a client
    would fail later with urllib's "unknown url type" or botocore's "Invalid endpoint"."""
    try:
        parts = urllib.parse.urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        ok = ok and (parts.port or 0) >= 0  # .port raises ValueError for a port that is not one
    except ValueError:
        ok = False
    if ok:
        return value
    hint = f" (did you mean http://{value}?)" if _HOST_PORT.fullmatch(value) else ""
    raise UsageError(f"{name} must be an http(s) URL like {example}, got {value!r}{hint}")


_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")


def check_host(value: str, name: str) -> str:
    """`value` if it is a host name or an IP address (what a bind address or the host of a
    URL can be), else a UsageError naming `name`: the socket would fail later, deep inside."""
    try:
        ipaddress.ip_address(value)
        return value
    except ValueError:
        if value == "" or _HOST_NAME.fullmatch(value):
            return value
    hint = " (the host only: no scheme, port or path)" if re.search(r"[:/]", value) else ""
    raise UsageError(f"{name} must be a host name or IP address like 127.0.0.1, "
                     f"got {value!r}{hint}")


def _local_url(host: str, port: str) -> str:
    """The emulator's URL from STREAM_EMULATOR_HOST / STREAM_EMULATOR_PORT, each checked."""
    check_host(host, "STREAM_EMULATOR_HOST")
    if not port.isdigit() or int(port) > 65535:
        raise UsageError(f"STREAM_EMULATOR_PORT must be a port number 0..65535, got {port!r}")
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    sqs_port: int = 9324
    sqs_endpoint: str | None = None  # external SQS endpoint; None = embedded moto
    api_key: str = DEFAULT_API_KEY
    # At least 32 bytes: PyJWT warns (InsecureKeyLengthWarning) on shorter HMAC keys.
    api_secret: str = DEFAULT_API_SECRET
    region: str = "us-east-1"
    seed: int | None = None
    dialect: str = "v1"
    # Switches for behaviours of the real Stream we are not sure of (README lists them).
    strict_iam: bool = False  # access keys unknown to moto's IAM: allowed (False) or denied
    ledger_size: int = 100_000  # delivery records kept; totals are exact regardless
    sqs_body_base64: bool = False  # base64 the body even without compression (a switch)
    send_retries: int = 2  # extra attempts after a transient SQS failure
    retry_backoff_ms: int = 10  # first wait between attempts; doubles each time
    # Webhooks: Stream's per-request timeout (6 s; all attempts of one event within 2.5×);
    # the wait before a retry (Stream documents none; doubles each time).
    webhook_timeout_ms: int = 6000
    webhook_backoff_ms: int = 20
    # How long a control API answer (trigger, POST /_emulator/events) waits for webhook
    # deliveries; None = one event's whole budget plus a second. Chat calls never wait.
    webhook_answer_wait_ms: int | None = None
    allow_remote: bool = False  # webhook URLs (and the bind address) beyond loopback
    verbose: bool = False  # werkzeug per-request log lines
    # External SQS endpoints: SendMessageBatch ("batch") or one SendMessage per event
    # ("single", for IAM policies written before batching; AWS authorizes both as
    # sqs:SendMessage), and how many sends per hook are in flight at once.
    sqs_send: str = "batch"
    send_concurrency: int = DEFAULT_SEND_CONCURRENCY
    rate_limits: bool = False  # enforce Stream's per-endpoint limits (429); headers always sent
    app_name: str = "stream-sqs-emulator"
    # The emulator's own AWS identity for an external endpoint (embedded moto: the defaults).
    aws_access_key_id: str = DEFAULT_AWS_CREDENTIALS[0]
    aws_secret_access_key: str = DEFAULT_AWS_CREDENTIALS[1]

    @property
    def webhook_answer_wait_s(self) -> float:
        if self.webhook_answer_wait_ms is not None:
            return self.webhook_answer_wait_ms / 1000
        return (WEBHOOK_BUDGET_FACTOR * self.webhook_timeout_ms + 1000) / 1000

    @property
    def embedded_sqs(self) -> bool:
        return not self.sqs_endpoint

    def with_overrides(self, **overrides: Any) -> Settings:
        """Flags override env: apply the ones that were given (None = not given)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if env is None else env
        raw: dict[str, Any] = {}
        for f in fields(cls):
            value = env.get(_ENV_NAMES.get(f.name) or f"STREAM_EMULATOR_{f.name.upper()}")
            if value is None or value == "":
                continue
            raw[f.name] = _coerce(f.name, value)
        settings = cls(**raw).with_overrides(**overrides)
        settings.check()
        return settings

    def check(self) -> None:
        """Every error names the variable (and `run`'s flag) that set the bad value."""
        try:
            check_dialect(self.dialect, error=UsageError)
        except UsageError as exc:
            raise UsageError(f"{setting_name('dialect')}: {exc}") from None
        check_host(self.host, "STREAM_EMULATOR_HOST (or run --host)")
        if not AWS_REGION.match(self.region):
            raise UsageError(f"{setting_name('region')} must be an AWS region like us-east-1 "
                             f"or eu-west-1, got {self.region!r}")
        for name in ("port", "sqs_port"):
            _check_range(name, getattr(self, name), 0, 65535)
        _check_range("send_retries", self.send_retries, 0)
        _check_range("retry_backoff_ms", self.retry_backoff_ms, 0)
        if self.sqs_send not in SQS_SEND_MODES:
            raise UsageError(f"{setting_name('sqs_send')} must be one of "
                             f"{', '.join(SQS_SEND_MODES)}, got {self.sqs_send!r}")
        _check_range("send_concurrency", self.send_concurrency, 1, MAX_SEND_CONCURRENCY)
        _check_range("webhook_timeout_ms", self.webhook_timeout_ms, 1)
        _check_range("webhook_backoff_ms", self.webhook_backoff_ms, 0)
        if self.webhook_answer_wait_ms is not None:
            _check_range("webhook_answer_wait_ms", self.webhook_answer_wait_ms, 0)
        _check_range("ledger_size", self.ledger_size, 1)
        if self.sqs_endpoint:
            check_url(self.sqs_endpoint, "--sqs-endpoint (STREAM_EMULATOR_SQS_ENDPOINT)",
                      SQS_URL_EXAMPLE)


# The Settings fields `run` also takes as a flag (the flag overrides the variable).
_RUN_FLAGS = {"port", "sqs_port", "region", "dialect", "seed", "webhook_timeout_ms",
              "webhook_answer_wait_ms"}
# An AWS region's shape (us-east-1, eu-west-1, us-gov-west-1, cn-north-1, ...).
AWS_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


def setting_name(field: str) -> str:
    """What a user sets a Settings field with: `STREAM_EMULATOR_PORT (run --port)`."""
    env = _ENV_NAMES.get(field) or f"STREAM_EMULATOR_{field.upper()}"
    flag = f" (run --{field.replace('_', '-')})" if field in _RUN_FLAGS else ""
    return env + flag


def _check_range(field: str, value: int, low: int, high: int | None = None) -> None:
    if value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f">= {low}"
        raise UsageError(f"{setting_name(field)} must be {bound}, got {value}")


_INTS = {"port", "sqs_port", "seed", "ledger_size", "send_retries", "retry_backoff_ms",
         "webhook_timeout_ms", "webhook_backoff_ms", "webhook_answer_wait_ms",
         "send_concurrency"}
_BOOLS = {"strict_iam", "verbose", "sqs_body_base64", "allow_remote", "rate_limits"}


def _coerce(name: str, value: str) -> Any:
    env_name = f"STREAM_EMULATOR_{name.upper()}"
    if name in _INTS:
        try:
            return int(value)
        except ValueError:
            raise UsageError(f"{env_name} must be an integer, got {value!r}") from None
    if name in _BOOLS:
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise UsageError(f"{env_name} must be true or false, got {value!r}")
    return value


@dataclass(frozen=True)
class ClientSettings:
    """What a client of a running emulator (the CLI's client commands, the pytest helpers)
    reads: the variables `stream-sqs-emulator run` prints, falling back to the emulator's own
    STREAM_EMULATOR_* ones. An empty variable counts as unset everywhere."""

    url: str = "http://127.0.0.1:8000"
    url_from_env: bool = False  # STREAM_CHAT_URL was set: a running emulator was named
    api_key: str = DEFAULT_API_KEY
    api_secret: str = DEFAULT_API_SECRET
    sqs_endpoint: str | None = None  # AWS_ENDPOINT_URL_SQS
    queue_url: str | None = None  # STREAM_SQS_QUEUE_URL
    aws_access_key_id: str = DEFAULT_AWS_CREDENTIALS[0]
    aws_secret_access_key: str = DEFAULT_AWS_CREDENTIALS[1]
    region: str = "us-east-1"
    emulator_url: str | None = None  # STREAM_EMULATOR_URL: the pytest plugin's external one

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ClientSettings:
        env = os.environ if env is None else env

        def first(*names: str) -> str | None:
            return next((env[n] for n in names if env.get(n)), None)

        def url(example: str, *names: str) -> str | None:
            """The first set variable, checked: the error names the one that was read."""
            name = next((n for n in names if env.get(n)), None)
            return None if name is None else check_url(env[name], name, example)

        host = first("STREAM_EMULATOR_HOST") or "127.0.0.1"
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1"  # a wildcard bind is reached through loopback
        chat_url = url(EMULATOR_URL_EXAMPLE, "STREAM_CHAT_URL")
        return cls(
            url=(chat_url or _local_url(host, first("STREAM_EMULATOR_PORT") or "8000")).rstrip("/"),
            url_from_env=chat_url is not None,
            api_key=first("STREAM_KEY", "STREAM_EMULATOR_API_KEY") or DEFAULT_API_KEY,
            api_secret=first("STREAM_SECRET", "STREAM_EMULATOR_API_SECRET") or DEFAULT_API_SECRET,
            sqs_endpoint=url(SQS_URL_EXAMPLE, "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL"),
            queue_url=url(QUEUE_URL_EXAMPLE, "STREAM_SQS_QUEUE_URL"),
            aws_access_key_id=first("AWS_ACCESS_KEY_ID") or DEFAULT_AWS_CREDENTIALS[0],
            aws_secret_access_key=first("AWS_SECRET_ACCESS_KEY") or DEFAULT_AWS_CREDENTIALS[1],
            region=first("AWS_REGION", "AWS_DEFAULT_REGION", "STREAM_EMULATOR_REGION")
            or "us-east-1",
            emulator_url=url(EMULATOR_URL_EXAMPLE, "STREAM_EMULATOR_URL"),
        )


def xdist_worker(env: Mapping[str, str] | None = None) -> str:
    """The pytest-xdist worker running this process ('gw0', …), or 'main' without xdist."""
    env = os.environ if env is None else env
    return env.get("PYTEST_XDIST_WORKER") or "main"
