"""`stream-sqs-emulator run` (what `make run` calls) as a real process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import boto3
import pytest
from stream_chat import StreamChat


@pytest.fixture
def running():
    env = dict(os.environ, STREAM_EMULATOR_PORT="0", STREAM_EMULATOR_SQS_PORT="0",
               PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "emulator.cli", "run"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    exports: dict[str, str] = {}
    lines = []
    deadline = time.monotonic() + 60
    while not lines or "Ctrl-C stops" not in lines[-1]:
        line = proc.stdout.readline()
        if not line or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("run printed no export lines:\n" + "".join(lines) + proc.stderr.read())
        lines.append(line)
        if line.startswith("export "):
            name, _, value = line[len("export "):].strip().partition("=")
            exports[name] = value
    yield proc, exports, "".join(lines)
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_run_prints_exports_serves_app_and_default_queue(running):
    proc, exports, text = running
    assert set(exports) >= {"STREAM_CHAT_URL", "STREAM_KEY", "STREAM_SECRET",
                            "AWS_ENDPOINT_URL_SQS", "AWS_ACCESS_KEY_ID",
                            "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"}
    assert "stream-sqs-emulator trigger message.new" in text  # next-step examples
    chat = StreamChat(exports["STREAM_KEY"], exports["STREAM_SECRET"],
                      base_url=exports["STREAM_CHAT_URL"])
    [hook] = chat.get_app_settings()["app"]["event_hooks"]
    assert hook["enabled"] and hook["event_types"] == []
    assert hook["sqs_queue_url"] == exports["STREAM_SQS_QUEUE_URL"]

    sqs = boto3.client("sqs", endpoint_url=exports["AWS_ENDPOINT_URL_SQS"],
                       region_name=exports["AWS_DEFAULT_REGION"],
                       aws_access_key_id=exports["AWS_ACCESS_KEY_ID"],
                       aws_secret_access_key=exports["AWS_SECRET_ACCESS_KEY"])
    urls = sqs.list_queues()["QueueUrls"]
    assert any(u.endswith("/stream-events") for u in urls)
    assert any(u.endswith("/stream-events-dlq") for u in urls)
    sns = boto3.client("sns", endpoint_url=exports["AWS_ENDPOINT_URL_SNS"],
                       region_name=exports["AWS_DEFAULT_REGION"],
                       aws_access_key_id=exports["AWS_ACCESS_KEY_ID"],
                       aws_secret_access_key=exports["AWS_SECRET_ACCESS_KEY"])
    assert sns.create_topic(Name="run-topic")["TopicArn"].endswith(":run-topic")
    attrs = sqs.get_queue_attributes(QueueUrl=exports["STREAM_SQS_QUEUE_URL"],
                                     AttributeNames=["All"])["Attributes"]
    assert attrs["MaximumMessageSize"] == "262144"
    redrive = json.loads(attrs["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"].endswith(":stream-events-dlq")
    assert int(redrive["maxReceiveCount"]) == 5


def test_sigterm_stops_cleanly_and_frees_the_port(running):
    proc, exports, _ = running
    port = int(exports["STREAM_CHAT_URL"].rsplit(":", 1)[1])
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    """`run` in its own interpreter with none of this session's STREAM_EMULATOR_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAM_EMULATOR")}
    return subprocess.run([sys.executable, "-m", "emulator.cli", "run", *argv], env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("flag, env", [("--port", "STREAM_EMULATOR_PORT"),
                                       ("--sqs-port", "STREAM_EMULATOR_SQS_PORT")])
def test_a_taken_port_is_one_line_naming_the_setting_and_exit_1(flag, env):
    """A port another program holds (the README's case of 8000 or 9324 being taken): `run`
    exits 1 at once with one line that says how to move it; the SQS case used to print
    werkzeug's message from moto's thread and then hang forever."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        other = "--sqs-port" if flag == "--port" else "--port"
        done = run_cli(flag, str(port), other, "0")
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: port {port} (")
    assert f"{flag} N or {env}=N (0 = a free one" in line


def test_both_ports_taken_are_named_in_the_one_line():
    with socket.socket() as api, socket.socket() as sqs:
        for held in (api, sqs):
            held.bind(("127.0.0.1", 0))
            held.listen()
        ports = api.getsockname()[1], sqs.getsockname()[1]
        done = run_cli("--port", str(ports[0]), "--sqs-port", str(ports[1]))
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: ports {ports[1]} (the embedded SQS server) and {ports[0]} "
                           "(the Stream API) are in use"), line
    assert ("--sqs-port N or STREAM_EMULATOR_SQS_PORT=N and --port N or "
            "STREAM_EMULATOR_PORT=N (0 = a free one") in line, line


def test_an_address_that_cannot_be_bound_is_one_line_naming_it():
    """Not only a taken port: any bind error (no right to the port, an address this machine
    does not have: 192.0.2.1 is TEST-NET-1) is named before anything starts."""
    done = run_cli("--allow-remote", "--host", "192.0.2.1", "--port", "8123", "--sqs-port", "0")
    assert done.returncode == 1, done.stderr
    warning, line = done.stderr.splitlines()  # --allow-remote's warning, then the error
    assert warning.startswith("WARNING: binding 192.0.2.1")
    assert line.startswith("error: cannot bind 192.0.2.1:8123 (the Stream API: "), line
    assert "--port N or STREAM_EMULATOR_PORT=N (or another --host)" in line, line


@pytest.mark.parametrize(("key", "secret", "printed"), [
    ("AKIAEXAMPLEOWNKEY01", "own-secret-value-do-not-print", False),
    ("testing", "testing", True),  # the well-known test credentials: pasted as usual
])
def test_run_with_an_external_endpoint_never_prints_the_users_own_secret(key, secret,
                                                                         printed):
    from tests.helpers import free_port, start_moto, stop_moto

    port = free_port()
    moto = start_moto(port)
    env = dict(os.environ, STREAM_EMULATOR_PORT="0", PYTHONUNBUFFERED="1",
               STREAM_EMULATOR_SQS_ENDPOINT=f"http://127.0.0.1:{port}",
               AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
    proc = subprocess.Popen([sys.executable, "-m", "emulator.cli", "run"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while not lines or "Ctrl-C stops" not in lines[-1]:
            line = proc.stdout.readline()
            assert line and time.monotonic() < deadline, "".join(lines) + proc.stderr.read()
            lines.append(line)
    finally:  # stopping on SIGTERM is tested above: here nothing may outlive the test
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        stop_moto(moto)
    text = "".join(lines)
    assert "export STREAM_SQS_QUEUE_URL=" in text and f"127.0.0.1:{port}" in text
    assert (secret in text) is printed and (f"export AWS_ACCESS_KEY_ID={key}" in text) is printed
    assert ("your own, not printed" in text) is not printed


def test_sigterm_handed_to_another_thread_still_stops_run(running):
    """The kernel may deliver a process's SIGTERM to any thread: `run` must stop anyway (an
    untimed wait in its main thread was never woken, and `run` ran on; seen under load)."""
    import ctypes

    proc, _, _ = running
    others = [int(t) for t in os.listdir(f"/proc/{proc.pid}/task") if int(t) != proc.pid]
    assert others  # the servers' threads
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.tgkill(proc.pid, others[0], signal.SIGTERM) == 0
    assert proc.wait(timeout=20) == 0
