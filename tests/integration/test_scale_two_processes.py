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
