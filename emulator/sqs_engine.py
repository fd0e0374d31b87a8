"""The SQS side: an embedded moto server in this process, or an external endpoint.

Owns the boto3 session and clients (built once and reused: a new session + client costs
~60 ms, each call ~3.5 ms) and the mapping from the queue URLs users configure (AWS-style or local)
to the endpoint that really holds the queues.
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from .config import DEFAULT_AWS_CREDENTIALS, Settings
from .errors import InputError, SqsEndpointError
from .ports import bound_server
from .queue_setup import DEFAULT_MAX_MESSAGE_SIZE, create_queue_pair

DEFAULT_QUEUE = "stream-events"
DEFAULT_DLQ = "stream-events-dlq"
EMBEDDED_CREDENTIALS = DEFAULT_AWS_CREDENTIALS  # moto accepts any; these are printed for users

_QUEUE_PATH = re.compile(r"^/(?P<account>\d{12})/(?P<name>[A-Za-z0-9_-]{1,80}(\.fifo)?)/?$")
_AWS_HOST = re.compile(
    r"^(sqs\.(?P<r1>[a-z0-9-]+)\.amazonaws\.com(\.cn)?|(?P<r2>[a-z0-9-]+)\.queue\.amazonaws\.com"
    r"|queue\.amazonaws\.com|sqs\.(?P<r3>[a-z0-9-]+)\.localhost\.localstack\.cloud)$"
)
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
# Fail fast: an unreachable endpoint must not stall a delivery burst for minutes.
_BOTO_CONFIG = Config(
    retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=10
)


@dataclass(frozen=True)
class QueueRef:
    """A queue named by a configured URL: where it really lives on our endpoint."""

    url: str  # as configured
    name: str
    account_id: str
    url_region: str | None  # region spelled in an AWS-style host, None for local URLs

    def arn(self, region: str) -> str:
        return f"arn:aws:sqs:{self.url_region or region}:{self.account_id}:{self.name}"


class SqsEngine:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._bound_port: int | None = None  # a restart binds the same port again
        self._endpoint = settings.sqs_endpoint.rstrip("/") if settings.sqs_endpoint else ""
        self._session = boto3.session.Session()
        self._clients: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> SqsEngine:
        """Start the embedded moto server (when embedded). A port that cannot be bound now
        raises OSError here, in the caller's thread (the server turns it into PortInUse)."""
        if self.settings.embedded_sqs and self._server is None:
            from . import sqs_fast

            sqs_fast.check_moto_version()
            logging.getLogger("werkzeug").setLevel(
                logging.INFO if self.settings.verbose else logging.ERROR
            )
            port = self._bound_port if self._bound_port is not None else self.settings.sqs_port
            server = _moto_server(port)
            sqs_fast.acquire_speedups()  # released in stop(): moto is moto's own again
            # A short poll: shutdown() waits up to one interval (0.5 s by default) on every stop.
            self._thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                                            name="stream-emulator-moto", daemon=True)
            self._thread.start()
            self._server = server
            self._bound_port = server.port  # the real one when 0 was asked
            self._endpoint = f"http://127.0.0.1:{self._bound_port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            from . import sqs_fast

            self._server.shutdown()
            self._server.server_close()  # the port is free again at once (a restart rebinds it)
            self._thread.join(timeout=5)
            self._server = self._thread = None
            sqs_fast.release_speedups()

    @property
    def endpoint_url(self) -> str:
        return self._endpoint

    @property
    def embedded(self) -> bool:
        """True while the embedded moto server runs. Stopped, the endpoint is unreachable
        for everyone (the emulator's own sends too), as a crashed SQS would be."""
        return self._server is not None

    # -- clients -------------------------------------------------------------------------
    def credentials(self) -> tuple[str, str]:
        """The emulator's own AWS identity: the printed defaults for embedded moto, else
        AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (read into Settings)."""
        if self.settings.embedded_sqs:
            return EMBEDDED_CREDENTIALS
        return self.settings.aws_access_key_id, self.settings.aws_secret_access_key

    def client(
        self, service: str = "sqs", region: str | None = None, key: str = "", secret: str = ""
    ) -> Any:
        """A cached client; with key/secret it signs as that AWS identity (keys auth)."""
        region = region or self.settings.region
        if not (key and secret):
            key, secret = self.credentials()
        cache_key = (service, region, key, secret)
        with self._lock:
            client = self._clients.get(cache_key)
            if client is None:
                client = self._session.client(
                    service,
                    region_name=region,
                    endpoint_url=self._endpoint,
                    aws_access_key_id=key,
                    aws_secret_access_key=secret,
                    # A connection per send in flight (SendMessageBatch pools, issue 15).
                    config=_BOTO_CONFIG.merge(Config(max_pool_connections=max(
                        10, self.settings.send_concurrency))),
                )
                self._clients[cache_key] = client
        return client

    # -- queue URLs ----------------------------------------------------------------------
    def parse_queue_url(self, url: str) -> QueueRef | None:
        """None when `url` is not an SQS queue URL (Stream: `invalid SQS url <url>`)."""
        parsed = urlparse(url)
        match = _QUEUE_PATH.match(parsed.path or "")
        host = (parsed.hostname or "").lower()
        if parsed.scheme not in ("http", "https") or not match or parsed.query:
            return None
        aws = _AWS_HOST.match(host)
        endpoint_host = urlparse(self._endpoint).hostname if self._endpoint else None
        if not (aws or host in _LOOPBACK or host == endpoint_host):
            return None
        region = None
        if aws:
            region = aws.group("r1") or aws.group("r2") or aws.group("r3") or "us-east-1"
        return QueueRef(url, match.group("name"), match.group("account"), region)

    def local_url(self, ref: QueueRef) -> str:
        """Where the queue really is: our endpoint, whatever host the configured URL names."""
        return f"{self._endpoint}/{ref.account_id}/{ref.name}"

    # -- set-up helpers ------------------------------------------------------------------
    def create_queue(
        self, name: str, *, dlq: bool = True, policy: dict | None = None,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE, region: str | None = None,
    ) -> dict[str, Any]:
        """Queue (+ DLQ with RedrivePolicy) as Stream's docs recommend; returns urls and arns."""
        sqs = self.client("sqs", region)

        def create(queue: str, attributes: dict[str, str]) -> tuple[str, str]:
            try:
                url = sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
                return url, queue_arn(sqs, url)
            except BotoCoreError as exc:  # no answer at all; an SQS error stays a ClientError
                raise SqsEndpointError(
                    f"the SQS endpoint {self._endpoint} does not answer ({exc}): start it, or "
                    "point STREAM_EMULATOR_SQS_ENDPOINT (run: --sqs-endpoint) at one that "
                    "runs; unset, the emulator embeds moto") from None

        return create_queue_pair(create, name, dlq=dlq, policy=policy,
                                 max_message_size=max_message_size)

    def reset(self) -> None:
        """Forget every queue, message and IAM entity (moto's own reset route). An endpoint
        without that route (LocalStack, ElasticMQ, AWS) or that does not answer is an
        InputError: nothing is reset."""
        request = urllib.request.Request(f"{self._endpoint}/moto-api/reset", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10):
                pass
        except OSError as exc:  # urllib's HTTPError and URLError are OSErrors
            got = f"HTTP {exc.code}" if isinstance(exc, urllib.error.HTTPError) else str(exc)
            raise InputError(
                f"sqs: a reset of SQS needs a moto server, and {self._endpoint} did not reset "
                f"({got} to POST /moto-api/reset); reset its queues yourself, or reset "
                "without sqs (the CLI: without --sqs)") from None


def _moto_server(port: int) -> Any:
    """moto's own WSGI app on a threaded werkzeug server, as moto's ThreadedMotoServer builds
    it, but bound in the caller's thread (see bound_server: ThreadedMotoServer's start() waited
    forever when its thread's bind failed, leaving `run` deaf to Ctrl-C). Always 127.0.0.1
    (ThreadedMotoServer's default is 0.0.0.0)."""
    from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

    app = DomainDispatcherApplication(create_backend_app)
    return bound_server("127.0.0.1", port, app, request_handler=MotoRequestHandler)


def queue_arn(sqs: Any, url: str) -> str:
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attrs["Attributes"]["QueueArn"]
