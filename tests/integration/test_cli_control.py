"""The client commands (trigger --expect, deliveries, reset, faults, receive, simulate) against
a running emulator set up as `run` sets it up, configured only by the variables `run` prints."""

from __future__ import annotations

import base64
import json
import os
import queue
import signal
import subprocess
import sys
import threading

import pytest
from stream_chat import StreamChat

from emulator.cli import main
from emulator.cli.client import ControlClient
from emulator.cli.run import exports
from emulator.config import Settings
from emulator.server import EmulatorServer


@pytest.fixture(scope="module")
def running():
    """A server of its own: `run`'s default queue + hook become its start state. Its own key
    and secret: the commands must sign with the printed STREAM_KEY / STREAM_SECRET."""
    settings = Settings(port=0, sqs_port=0, api_key="cli-key",
                        api_secret="a-custom-secret-that-is-32-bytes-or-more")
    with EmulatorServer(settings) as server:
        queue = server.backend.create_default_queue()
        yield server, dict(exports(server, queue))


@pytest.fixture
def env(running, monkeypatch):
    server, printed = running
    server.backend.reset(sqs=True)
    for name, value in printed.items():
        monkeypatch.setenv(name, value)
    for name in ("STREAM_EMULATOR_API_KEY", "STREAM_EMULATOR_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return printed


@pytest.fixture
def control(running, env) -> ControlClient:
    return ControlClient.from_env()


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_trigger_expect_delivered_fails_when_nothing_was_delivered(capsys, control):
    code, out, _ = cli(capsys, "trigger", "message.new", "--count", "2", "--expect", "delivered")
    assert code == 0 and out.count("delivered") == 2
    control.update_app(event_hooks=[])
    code, out, err = cli(capsys, "trigger", "message.new", "--expect", "delivered")
    assert code == 1 and "no enabled hook wants them" in out
    assert "--expect delivered: none of the 0 deliveries" in one_line(err)
    missing = os.environ["STREAM_SQS_QUEUE_URL"].replace("stream-events", "no-such-queue")
    control.update_app(event_hooks=[{"hook_type": "sqs", "enabled": True, "sqs_queue_url": missing,
                                     "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
    code, out, err = cli(capsys, "trigger", "message.new", "--expect", "delivered")
    assert code == 1 and out.startswith("failed") and "none of the 1 deliveries" in err


def test_deliveries_lists_filters_and_prints_totals(capsys, control):
    control.trigger("message.new", count=2)
    control.trigger("user.banned")
    code, out, err = cli(capsys, "deliveries")
    assert code == 0 and len(out.splitlines()) == 3
    assert "totals: delivered 3, dropped_oversize 0, denied 0, failed 0" in err
    code, out, _ = cli(capsys, "deliveries", "--type", "message.new", "--limit", "1", "--json")
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["event_type"] == "message.new" and record["status"] == "delivered"
    assert cli(capsys, "deliveries", "--status", "failed")[1] == ""
    assert len(cli(capsys, "deliveries", "--hook-type", "sqs")[1].splitlines()) == 3
    assert cli(capsys, "deliveries", "--hook-type", "webhook")[1] == ""
    code, _, err = cli(capsys, "deliveries", "--status", "lost")
    assert code == 2 and "status must be one of" in one_line(err)


def test_deliveries_follow_prints_new_records_as_they_arrive(running, env, control):
    control.trigger("channel.created")  # before: shown as the backlog
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator.cli", "deliveries", "--follow", "--json",
         "--interval", "0.1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()

    def next_type() -> str:  # a missing line fails the test instead of hanging it
        return json.loads(lines.get(timeout=15))["event_type"]

    try:
        assert next_type() == "channel.created"
        control.trigger("message.new", count=2)
        control.trigger("reaction.new")
        assert [next_type() for _ in range(3)] == ["message.new", "message.new", "reaction.new"]
        control.reset()  # the ledger starts again: what comes after it is new
        control.trigger("user.banned")
        assert next_type() == "user.banned"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert proc.returncode == 130 and "Traceback" not in proc.stderr.read()
    assert lines.empty()  # nothing printed twice


def test_reset_empties_the_ledger_and_with_sqs_the_queue(capsys, control, running):
    server, _ = running
    control.trigger("message.new")
    control.update_app(event_hooks=[])
    chat = StreamChat(server.settings.api_key, server.settings.api_secret,
                      base_url=server.base_url)
    chat.upsert_user({"id": "reset-me"})
    code, out, _ = cli(capsys, "reset")
    assert code == 0 and out.startswith("reset: app settings back")
    assert "ledger and chat state (users, channels, messages) emptied" in out  # as it does:
    assert chat.query_users({"id": "reset-me"})["users"] == []
    assert control.deliveries() == [] and len(control.get_app()["event_hooks"]) == 1
    sqs = server.engine.client("sqs")
    queue_url = os.environ["STREAM_SQS_QUEUE_URL"]
    assert _depth(sqs, queue_url) == 1  # the message of the first trigger is still there
    mine = sqs.create_queue(QueueName="users-own")["QueueUrl"]
    code, out, _ = cli(capsys, "reset", "--sqs")
    assert code == 0 and _depth(sqs, queue_url) == 0
    # the line says what happened: the user's own queue is gone, not emptied
    assert out.endswith("; SQS, SNS and IAM reset (every queue, topic and IAM user deleted, "
                        "the default queue made again)\n")
    assert mine not in sqs.list_queues().get("QueueUrls", [])


def test_faults_set_show_clear_and_bad_modes(capsys, control):
    code, out, _ = cli(capsys, "faults", "set", "throttle", "--seconds", "60")
    assert code == 0 and out.startswith("SQS fault: throttle, probability 1")
    assert control.faults()["mode"] == "throttle"
    code, out, err = cli(capsys, "trigger", "message.new", "--expect", "delivered")
    assert code == 1 and out.startswith("failed") and "RequestThrottled" in out
    assert "SQS fault: throttle" in cli(capsys, "faults")[1]
    code, out, _ = cli(capsys, "faults", "clear")
    assert code == 0 and out.startswith("no SQS fault") and control.faults() is None
    code, _, err = cli(capsys, "faults", "set", "flaky")
    assert code == 2 and "sqs.mode must be one of" in one_line(err) and "'flaky'" in err
    code, _, err = cli(capsys, "faults", "set", "latency", "--probability", "2",
                       "--latency-ms", "5")
    assert code == 2 and "probability" in one_line(err) and control.faults() is None
    code, out, _ = cli(capsys, "faults", "set", "latency", "--latency-ms", "5")
    assert code == 0 and "5 ms per send" in out and "until `faults clear`" in out


def test_receive_decodes_plain_gzip_and_base64_bodies_and_deletes(capsys, control, running):
    server, _ = running
    sqs = server.engine.client("sqs")
    queue_url = os.environ["STREAM_SQS_QUEUE_URL"]
    control.trigger("message.new")  # plain JSON
    control.update_app(enable_hook_payload_compression=True)
    control.trigger("reaction.new")  # base64(gzip(JSON))
    event = control.trigger("user.banned").events[0]
    plain = json.dumps({"type": "custom.base64", "n": 1}).encode()
    sqs.send_message(QueueUrl=queue_url, MessageBody=base64.b64encode(plain).decode())
    envelope = {"Type": "Notification", "Message": json.dumps({"type": "custom.sns"})}
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(envelope))
    sqs.send_message(QueueUrl=queue_url, MessageBody="not an event ~~")
    code, out, err = cli(capsys, "receive", "--count", "6", "--wait", "2")
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert [e["type"] for e in events] == ["message.new", "reaction.new", "user.banned",
                                           "custom.base64", "custom.sns"]
    assert events[2]["user"]["id"] == event["user"]["id"]
    assert err.startswith("skipped message ") and "not an event" in err
    assert _depth(sqs, queue_url) == 1  # received = deleted; the skipped one stays
    code, _, err = cli(capsys, "receive", "--wait", "0")
    assert code == 1 and "no message arrived" in one_line(err)


def test_receive_keep_leaves_messages_and_a_missing_queue_is_one_line(capsys, control, running):
    server, _ = running
    sqs = server.engine.client("sqs")
    queue_url = os.environ["STREAM_SQS_QUEUE_URL"]
    control.trigger("message.new", count=2)
    code, out, _ = cli(capsys, "receive", "--count", "2", "--keep")
    assert code == 0 and len(out.splitlines()) == 2
    attrs = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "2"  # kept: in flight, not deleted
    missing = queue_url.replace("stream-events", "no-such-queue")
    code, out, err = cli(capsys, "receive", "--queue-url", missing)
    assert code == 2 and out == "" and f"queue {missing} does not exist" in one_line(err)


def test_client_commands_name_the_url_when_no_emulator_answers(capsys, env, monkeypatch):
    monkeypatch.setenv("STREAM_CHAT_URL", "http://127.0.0.1:9")
    for argv in (["trigger", "message.new"], ["deliveries"], ["reset"], ["faults", "clear"]):
        code, _, err = cli(capsys, *argv)
        assert code == 1, argv
        assert "no emulator answers at http://127.0.0.1:9 (connection refused)" in one_line(err)
        assert "stream-sqs-emulator run" in err


def test_simulate_targets_the_emulator_stream_chat_url_names(capsys, control):
    code, out, err = cli(capsys, "simulate", "--events", "30", "--rate", "0", "--no-progress",
                         "--json", "--seed", "3")
    report = json.loads(out)
    assert code == 0 and report["mode"] == os.environ["STREAM_CHAT_URL"]
    assert "simulating into the running emulator at" in err
    assert sum(control.totals().values()) == 30 == sum(report["totals"].values())
    code, out, err = cli(capsys, "simulate", "--standalone", "--events", "5", "--rate", "0",
                         "--no-progress", "--json")
    assert code == 0 and json.loads(out)["mode"] == "standalone" and "standalone:" in err
    assert sum(control.totals().values()) == 30  # nothing reached the running one


def _depth(sqs, url: str) -> int:
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return sum(int(attrs[k]) for k in ("ApproximateNumberOfMessages",
                                       "ApproximateNumberOfMessagesNotVisible"))
