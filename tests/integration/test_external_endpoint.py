"""The SDK flow against an SQS endpoint the emulator does not own: `moto_server` as its own
process, reached through STREAM_EMULATOR_SQS_ENDPOINT semantics (Settings.sqs_endpoint)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from stream_chat import StreamChat

from emulator.config import Settings
from emulator.server import EmulatorServer
from tests.helpers import make_iam_user, send_policy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def moto_process():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"moto_server did not start on {url}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def external(moto_process):
    settings = Settings.from_env({"STREAM_EMULATOR_SQS_ENDPOINT": moto_process}, port=0)
    with EmulatorServer(settings) as server:
        yield server


def test_no_embedded_moto_is_started(external, moto_process):
    assert not external.engine.embedded
    assert external.engine.endpoint_url == moto_process


def test_sdk_configures_hook_and_check_sqs_against_external_moto(external):
    server = external
    chat = StreamChat(api_key="emulator-key", api_secret="emulator-secret",
                      base_url=server.base_url)
    sqs, iam = server.engine.client("sqs"), server.engine.client("iam")
    queue = server.engine.create_queue("external-q")
    key, secret = make_iam_user(iam, "ext-sender", send_policy(queue["arn"]))
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": key, "sqs_secret": secret}])
    [hook] = chat.get_app_settings()["app"]["event_hooks"]
    assert hook["sqs_queue_url"] == queue["url"]
    assert chat.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=queue["url"])["status"] == "ok"
    body = sqs.receive_message(QueueUrl=queue["url"])["Messages"][0]["Body"]
    assert json.loads(body)["type"] == "check_sqs"
    missing = queue["url"].replace("external-q", "nope")
    result = chat.check_sqs(sqs_key=key, sqs_secret=secret, sqs_url=missing)
    assert result["status"] == "error" and "does not exist" in result["error"]
