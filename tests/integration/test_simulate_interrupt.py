"""Ctrl-C on `simulate` at each phase, as a terminal sends it (SIGINT to the process group of
a real `stream-sqs-emulator simulate` process): the summary still covers exactly what was
sent, the ledger agrees with it, and nothing is left running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from emulator.config import Settings
from emulator.server import EmulatorServer
from emulator.simulate.command import add_webhook_hook
from tests.integration.test_traffic_process import children, gone
from tests.integration.test_webhook_async import GatedReceiver, eventually

ROOT = Path(__file__).resolve().parents[2]


def interrupt(proc: subprocess.Popen) -> tuple[str, str]:
    os.killpg(proc.pid, signal.SIGINT)
    try:
        return proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_ctrl_c_in_the_middle_of_a_standalone_send_leaves_no_uncounted_delivery(tmp_path):
    """The signal lands between two parts of one batch's delivery (the sink sends the
    batch in two halves and Ctrl-C comes between them): that batch is counted whole, and
    the queue holds exactly the events the summary counts."""
    script = tmp_path / "interrupted.py"
    script.write_text(textwrap.dedent("""
        import os, signal, sys
        from emulator.cli import main
        from emulator.simulate import command, sinks

        class Interrupting(sinks.BackendSink):
            calls = 0

            def send(self, events):
                self.calls += 1
                half = len(events) // 2
                records = super().send(events[:half])
                if self.calls == 3:
                    os.kill(os.getpid(), signal.SIGINT)  # the terminal's Ctrl-C, mid-batch
                return records + super().send(events[half:])

        command.BackendSink = Interrupting
        sys.exit(main(["simulate", "--rate", "0", "--events", "100000", "--seed", "4",
                       "--json", "--no-progress", "--standalone"]))
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert out.returncode == 130, out.stderr
    report = json.loads(out.stdout)
    assert report["interrupted"] is True and report["error"] is None
    assert report["events"] == 3 * 500  # the batch Ctrl-C came in went out whole
    assert report["ledger_agrees"] is True
    assert report["queue"]["messages"] == report["events"]


def test_ctrl_c_while_the_run_waits_for_late_webhooks_still_prints_the_summary():
    """After the last event the run waits (here up to 60 s) for webhooks still being tried;
    Ctrl-C then stops the wait, and the summary names them as pending."""
    receiver = GatedReceiver()  # holds every webhook until the test ends
    env = {**os.environ, "STREAM_EMULATOR_WEBHOOK_TIMEOUT_MS": "60000",
           "STREAM_EMULATOR_WEBHOOK_ANSWER_WAIT_MS": "60000"}
    command = [sys.executable, "-m", "emulator.cli", "simulate", "--rate", "50", "--events",
               "3", "--seed", "5", "--json", "--no-progress", "--webhook", receiver.url]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=env, start_new_session=True)
    try:
        assert eventually(lambda: len(receiver.bodies), lambda n: n >= 1) >= 1
        time.sleep(0.5)  # its 3 events went out in 60 ms: it is waiting for their webhooks
        out, err = interrupt(proc)
    finally:
        receiver.stop()
    assert proc.returncode == 130, err
    report = json.loads(out)
    assert report["interrupted"] is True and report["events"] == 3
    sqs = next(h for h in report["hooks"] if h["hook_type"] == "sqs")
    assert sqs["delivered"] == 3 and report["queue"]["messages"] == 3
    assert report["webhooks_pending"] == 3  # held by the receiver: counted nowhere else
    assert report["ledger_agrees"] is True


def test_ctrl_c_while_a_url_run_reads_its_late_webhooks_still_prints_the_summary():
    """With --url the run reads the pending records from the emulator's ledger at the end
    (here for up to 60 s); Ctrl-C stops that too."""
    receiver = GatedReceiver()
    settings = Settings(port=0, sqs_port=0, webhook_timeout_ms=60_000, webhook_answer_wait_ms=0)
    try:
        with EmulatorServer(settings) as server:
            server.backend.create_default_queue()
            add_webhook_hook(server.backend, receiver.url)
            env = {**os.environ, "STREAM_EMULATOR_WEBHOOK_ANSWER_WAIT_MS": "60000"}
            proc = subprocess.Popen(
                [sys.executable, "-m", "emulator.cli", "simulate", "--url", server.base_url,
                 "--rate", "50", "--events", "3", "--json", "--no-progress"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
                start_new_session=True)
            assert eventually(lambda: len(receiver.bodies), lambda n: n >= 1) >= 1
            time.sleep(0.5)  # its 3 events went out in 60 ms: it is reading the ledger
            out, err = interrupt(proc)
            server.backend.reset(sqs=True)  # moto's state is the process's: leave nothing
    finally:
        receiver.stop()
    assert proc.returncode == 130, err
    report = json.loads(out)
    assert report["interrupted"] is True and report["events"] == 3
    assert report["webhooks_pending"] == 3 and report["ledger_agrees"] is True


def test_ctrl_c_during_start_up_leaves_no_child_behind():
    """Before the first event (the emulator and the traffic process still starting)."""
    command = [sys.executable, "-m", "emulator.cli", "simulate", "--rate", "0", "--duration",
               "60", "--no-progress", "--json", "--standalone"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 30
    while not children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    (child,) = children(proc.pid)
    out, err = interrupt(proc)
    assert proc.returncode == 130 and "Traceback" not in err
    assert eventually(lambda: gone(child), bool)
