"""`stream-sqs-emulator trigger` against a running emulator."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from emulator.cli import parse_overrides


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "emulator.cli", *args], capture_output=True,
                          text=True, timeout=60, env=env or dict(os.environ))


def test_trigger_prints_delivered_and_dropped(chat, fresh):
    queue = fresh.engine.create_queue("cli", dlq=False)
    chat.update_app_settings(event_hooks=[{
        "hook_type": "sqs", "enabled": True, "id": "cli-hook", "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_key": "k", "sqs_secret": "s"}])
    done = run_cli("trigger", "message.new", "--count", "2", "--url", fresh.base_url,
                   "--set", "message.text=hello from the cli")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("delivered") for line in lines)
    assert "cli-hook" in lines[0]
    big = run_cli("trigger", "message.new", "--url", fresh.base_url, "--kilobytes", "300")
    assert big.returncode == 0, big.stderr
    assert big.stdout.startswith("dropped_oversize") and "307,200 bytes > 262,144" in big.stdout
    edge = run_cli("trigger", "user.banned", "--url", fresh.base_url, "--kilobytes", "256")
    assert edge.stdout.startswith("delivered") and "262,144 bytes" in edge.stdout
    body = fresh.engine.client("sqs").receive_message(QueueUrl=queue["url"])["Messages"][0]
    assert "hello from the cli" in body["Body"]


def test_trigger_reports_api_errors_and_unreachable_emulator(fresh):
    bad = run_cli("trigger", "no.such.type", "--url", fresh.base_url)  # refused input: usage
    assert bad.returncode == 2 and "no.such.type" in bad.stderr
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    down = run_cli("trigger", "message.new", "--url", "http://127.0.0.1:9")
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert down.stderr == ("error: no emulator answers at http://127.0.0.1:9 (connection "
                           "refused); start one with `stream-sqs-emulator run` (or `make run`), "
                           "or set STREAM_CHAT_URL\n")


def test_parse_overrides_builds_nested_json_values():
    assert parse_overrides(["message.text=hi", "message.reply_count=3", "a.b.c=true"]) == {
        "message": {"text": "hi", "reply_count": 3}, "a": {"b": {"c": True}}}
    with pytest.raises(ValueError, match="PATH=VALUE"):
        parse_overrides(["nothing"])
    with pytest.raises(ValueError, match="conflicts"):
        parse_overrides(["a=1", "a.b=2"])
