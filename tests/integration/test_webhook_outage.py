"""The seed's story, measured (docs/simulate.md): a webhook receiver that is out for a window
loses events; the SQS queue beside it holds every one."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from emulator.cli import main


def start_receiver(*flags: str) -> tuple[subprocess.Popen, str]:
    receiver = subprocess.Popen(
        [sys.executable, "-m", "emulator.cli", "webhook-receiver", "--port", "0", "--json",
         "--duration", "60", *flags], stdout=subprocess.PIPE, text=True)
    first = receiver.stdout.readline()
    assert first.startswith("webhook receiver on http://127.0.0.1:"), first
    return receiver, first.split()[3]


def stop_receiver(receiver: subprocess.Popen) -> dict:
    receiver.send_signal(signal.SIGTERM)
    out, _ = receiver.communicate(timeout=10)
    return json.loads(out.strip().splitlines()[-1])


def test_outage_loses_webhook_events_and_sqs_holds_every_one(capsys, fresh):
    # `fresh` empties SQS: moto's state is the process's, shared by every embedded server, and
    # the queue depth below must count this run's events only.
    receiver, url = start_receiver("--down-between", "1:2.5", "--from-first-request")
    try:
        status = main(["simulate", "--duration", "4", "--rate", "40", "--seed", "3",
                       "--webhook", url, "--json", "--no-progress"])
    finally:
        counts = stop_receiver(receiver)
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    events = report["events"]
    sqs, webhook = sorted(report["hooks"], key=lambda h: h["hook_type"] != "sqs")
    assert (sqs["hook_type"], webhook["hook_type"]) == ("sqs", "webhook")
    assert sqs["events"] == sqs["delivered"] == events and sqs["lost"] == 0
    assert report["queue"]["messages"] == events  # SQS holds every event
    assert webhook["events"] == events and webhook["target"] == url
    assert 0 < webhook["lost"] < events and webhook["delivered"] + webhook["lost"] == events
    assert webhook["retried"] >= webhook["lost"]  # refused: each lost event had 2 attempts
    # what the receiver saw agrees with the ledger: every delivered event, once, signed
    assert counts["events"] == webhook["delivered"]
    assert counts["bad_signatures"] == 0 and counts["duplicates"] == 0
    assert report["ledger_agrees"] is True
