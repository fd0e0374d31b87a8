"""Secrets never reach logs or error messages; binding beyond loopback needs a flag."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
import requests
from stream_chat import StreamChat
from stream_chat.base.exceptions import StreamAPIException

from emulator.auth import server_token
from emulator.cli import is_loopback
from emulator.config import Settings
from emulator.server import EmulatorServer

API_SECRET = "api-secret-do-not-leak-1234-5678-90ab"  # >= 32 bytes: no PyJWT warning
SQS_SECRET = "sqs-secret-do-not-leak-5678"
SNS_SECRET = "sns-secret-do-not-leak-9012"


@pytest.fixture
def captured_logs():
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield records
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_secrets_and_tokens_never_appear_in_logs_or_errors(captured_logs):
    settings = Settings(port=0, sqs_port=0, api_secret=API_SECRET, verbose=True)
    texts: list[str] = []
    with EmulatorServer(settings) as server:
        queue = server.engine.create_queue("secretive", dlq=False)
        chat = StreamChat("emulator-key", API_SECRET, base_url=server.base_url)
        hook = {"hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
                "sqs_region": "us-east-1", "sqs_key": "AKIASECRETIVE", "sqs_secret": SQS_SECRET}
        chat.update_app_settings(event_hooks=[hook], sns_secret=SNS_SECRET)
        for bad in ({"event_hooks": [dict(hook, hook_type="ftp")]},
                    {"sqs_secret": 5}, {"event_hooks": [dict(hook, sqs_queue_url="x")]}):
            with pytest.raises(StreamAPIException) as caught:
                chat.update_app_settings(**bad)
            texts.append(caught.value.response_text)
        texts.append(str(chat.check_sqs(sqs_key="AKIASECRETIVE", sqs_secret=SQS_SECRET,
                                        sqs_url="https://nope.example/1/q")))
        texts.append(str(chat.check_sqs(sqs_key="AKIASECRETIVE", sqs_secret=SQS_SECRET,
                                        sqs_url=queue["url"])))
        wrong = StreamChat("emulator-key", "not-the-secret-but-at-least-32-bytes", base_url=server.base_url)
        with pytest.raises(StreamAPIException) as caught:
            wrong.get_app_settings()
        texts.append(caught.value.response_text)
        token = server_token(API_SECRET)
        texts.append(requests.post(f"{server.base_url}/_emulator/events?api_key=emulator-key",
                                   json={"type": "message.new"}, timeout=10,
                                   headers={"Authorization": token,
                                            "Stream-Auth-Type": "jwt"}).text)
    assert len(captured_logs) > 0  # the capture works: werkzeug request lines at least
    everything = "\n".join(captured_logs + texts)
    for secret in (API_SECRET, SQS_SECRET, SNS_SECRET, token):
        assert secret not in everything


def test_non_loopback_bind_needs_allow_remote():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    refused = subprocess.run([sys.executable, "-m", "emulator.cli", "run", "--host", "0.0.0.0"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "--allow-remote" in refused.stderr


def test_default_bind_is_loopback():
    assert Settings.from_env({}).host == "127.0.0.1"


def test_allow_remote_binds_with_a_warning():
    import os
    import signal

    env = dict(os.environ, STREAM_EMULATOR_PORT="0", STREAM_EMULATOR_SQS_PORT="0")
    proc = subprocess.Popen([sys.executable, "-m", "emulator.cli", "run", "--host", "0.0.0.0",
                             "--allow-remote"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        warning = proc.stderr.readline()
        assert warning.startswith("WARNING: binding 0.0.0.0")
        assert "credentials are not secret" in warning
        assert "export STREAM_CHAT_URL=http://127.0.0.1:" in proc.stdout.read(1000)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0


def test_request_log_lines_are_quiet_unless_verbose(captured_logs):
    for verbose in (False, True):
        with EmulatorServer(Settings(port=0, sqs_port=0, verbose=verbose)) as server:
            requests.get(server.base_url + "/_emulator/health", timeout=5)
        # werkzeug's access-log line ends in '" 200 -' (urllib3's own debug line has a size)
        logged = any("GET /_emulator/health" in line and '" 200 -' in line
                     for line in captured_logs)
        assert logged is verbose
