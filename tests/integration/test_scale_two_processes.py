"""docs/scale.md in one test: two `simulate` processes with disjoint seeds and worlds
(`--workers 2 --worker-index 0|1`), each with its own emulator batching to one external
`moto_server`; their ledgers add up to the queue's count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3

from emulator.cli import main
from emulator.config import Settings
from emulator.server import EmulatorServer
from emulator.simulate import command, pacing, sinks
from emulator.simulate.mix import load_mix
from emulator.simulate.pacing import Pacer
from emulator.simulate.runner import simulate
from emulator.simulate.sinks import BackendSink
from emulator.simulate.traffic import Traffic
from tests.helpers import free_port, start_moto, stop_moto

EVENTS = 200
ROOT = Path(__file__).resolve().parents[2]


def test_two_simulate_processes_ledgers_add_up_to_the_queue(tmp_path):
    port = free_port()
    moto = start_moto(port)
    endpoint = f"http://127.0.0.1:{port}"
    # A shell where `run`'s exports were pasted: the recipe's --standalone must win over it.
    env = {**os.environ, "STREAM_CHAT_URL": "http://127.0.0.1:9"}
    env["STREAM_EMULATOR_SQS_ENDPOINT"] = endpoint
    recipe = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    assert "stream-sqs-emulator simulate --standalone --rate" in recipe
    try:
        workers = [subprocess.Popen(
            [sys.executable, "-m", "emulator.cli", "simulate", "--standalone", "--rate", "0",
             "--events",
             str(EVENTS), "--seed", "21", "--workers", "2", "--worker-index", str(index),
             "--json", "--no-progress"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for index in (0, 1)]
        summaries = []
        for proc in workers:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            summaries.append(json.loads(out))
        sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=endpoint,
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        url = sqs.get_queue_url(QueueName="stream-events")["QueueUrl"]
        depth = int(sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]["ApproximateNumberOfMessages"])
    finally:
        stop_moto(moto)
    assert [s["mode"] for s in summaries] == ["standalone", "standalone"]
    assert summaries[0]["seed"] != summaries[1]["seed"]  # disjoint seeds → disjoint worlds
    assert all(s["ledger_agrees"] and s["events"] == EVENTS for s in summaries)
    delivered = [s["ledger_delta"]["delivered"] for s in summaries]
    assert sum(delivered) == depth > 0  # each process's ledger is its own; together: exact


def test_a_fast_standalone_run_into_an_external_endpoint_counts_every_send():
    """Its sends go out on background threads; the run waits for them before the next batch
    once QUEUED_AHEAD are in flight, and for all at the end, whatever the webhook bound (0
    here: before, the end waited that long for them and left the rest uncounted, unsent)."""
    port = free_port()
    moto = start_moto(port)
    endpoint = f"http://127.0.0.1:{port}"
    env = {**os.environ, "STREAM_EMULATOR_SQS_ENDPOINT": endpoint,
           "STREAM_EMULATOR_WEBHOOK_ANSWER_WAIT_MS": "0"}
    try:
        out = subprocess.run(
            [sys.executable, "-m", "emulator.cli", "simulate", "--standalone", "--rate", "0",
             "--events", "600", "--seed", "8", "--json", "--no-progress"],
            capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    finally:
        stop_moto(moto)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["totals"]["delivered"] == report["events"] == 600
    assert report["webhooks_pending"] == 0 and report["ledger_agrees"] is True
    assert report["queue"]["messages"] == 600


class Watched(BackendSink):
    """How many external sends were in flight each time the run went on to a batch."""

    def __init__(self, backend):
        super().__init__(backend)
        self.in_flight: list[int] = []

    def wait_room(self):
        super().wait_room()
        self.in_flight.append(self._late._queued)


def test_a_standalone_run_waits_for_its_external_sends_before_running_ahead(monkeypatch):
    """moto's send slows with the queue's depth (docs/scale.md), so the bound is lowered to
    keep the queue small: 4 unpaced batches of 100, at most 20 sends in flight after each
    wait (drawing is far faster than moto's sends)."""
    monkeypatch.setattr(sinks, "QUEUED_AHEAD", 20)
    monkeypatch.setattr(pacing, "MAX_BATCH", 100)
    port = free_port()
    moto = start_moto(port)
    settings = Settings(port=0, sqs_port=0, sqs_endpoint=f"http://127.0.0.1:{port}")
    try:
        with EmulatorServer(settings) as server:
            server.backend.create_default_queue()
            sink = Watched(server.backend)
            run = simulate(Traffic(load_mix(), 9, 16, 3, "v1"), sink, Pacer(0, events=400))
    finally:
        stop_moto(moto)
    assert len(sink.in_flight) == 4 and max(sink.in_flight) <= 20
    assert run.tally.status_totals()["delivered"] == 400 and run.pending == 0
    assert run.ledger_agrees()


def test_an_external_endpoint_gone_by_the_end_still_gets_the_summary(monkeypatch, capsys):
    """The endpoint stops after the run's last send, before its queue's depth is read: the
    summary says the queue could not be read (it was a traceback and no summary)."""
    port = free_port()
    moto = start_moto(port)
    monkeypatch.setenv("STREAM_EMULATOR_SQS_ENDPOINT", f"http://127.0.0.1:{port}")
    real = command.simulate

    def then_the_endpoint_stops(*args, **kwargs):
        try:
            return real(*args, **kwargs)
        finally:
            stop_moto(moto)

    monkeypatch.setattr(command, "simulate", then_the_endpoint_stops)
    try:
        status = main(["simulate", "--standalone", "--rate", "0", "--events", "50",
                       "--no-progress"])
    finally:
        if moto.poll() is None:
            stop_moto(moto)
    out = capsys.readouterr().out
    assert status == 0
    assert "50 events in" in out and "ledger: delivered +50," in out
    assert "queue stream-events could not be read at the end: Could not connect" in out
