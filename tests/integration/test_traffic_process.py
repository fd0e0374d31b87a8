"""simulate's second process (emulator/simulate/traffic_process.py): real child processes, the
same events as drawing in-process, its failures as one line, Ctrl-C, and no orphans."""

from __future__ import annotations

import io
import json
import os
import pickle
import select
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest

from emulator.cli import main
from emulator.simulate import traffic_process
from emulator.simulate.command import open_traffic
from emulator.simulate.mix import load_mix
from emulator.simulate.pacing import Pacer
from emulator.simulate.runner import simulate
from emulator.simulate.sinks import BackendSink
from emulator.simulate.traffic import Traffic
from emulator.simulate.traffic_process import TrafficError, TrafficProcess, produce

ROOT = Path(__file__).resolve().parents[2]


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"


def wait_for_output(stream, text: str, limit_s: float = 60) -> bool:
    """Whether `text` came on a child's pipe within `limit_s` (read as it comes, unbuffered:
    a progress line has no newline)."""
    seen, deadline = b"", time.monotonic() + limit_s
    while text.encode() not in seen and time.monotonic() < deadline:
        if select.select([stream], [], [], 0.1)[0]:
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    return text.encode() in seen


def timeless(value):
    """The event without its clock readings: a world's clock starts when it is built (the
    seed fixes the steps, not the start), so two worlds built apart differ only there."""
    if isinstance(value, dict):
        return {k: "<time>" if k.endswith("_at") or k in ("last_active", "expiration") else timeless(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [timeless(v) for v in value]
    return value


def test_the_child_draws_the_same_stream_whatever_the_batch_sizes():
    mix = load_mix()
    inline = Traffic(mix, 17, 40, 8, "v2")
    expected = inline.batch(250) + inline.batch(333)
    with TrafficProcess(mix, 17, 40, 8, "v2", limit=583) as child:
        child.wait_ready()
        drawn = [e for size in (1, 99, 150, 333) for e in child.batch(size)]
    assert len(drawn) == 583 and len({e["type"] for e in drawn}) > 10
    assert [timeless(e) for e in drawn] == [timeless(e) for e in expected]


def test_asking_past_the_limit_says_the_child_has_ended():
    with TrafficProcess(load_mix(), 3, 16, 3, "v1", limit=120) as child:
        assert len(child.batch(120)) == 120
        with pytest.raises(TrafficError, match=r"exited unexpectedly \(exit code 0\)"):
            child.batch(1)


def test_a_killed_child_stops_the_run_with_its_exit_code():
    with TrafficProcess(load_mix(), 4, 16, 3, "v1") as child:
        child.batch(10)
        os.kill(child._process.pid, signal.SIGKILL)
        with pytest.raises(TrafficError, match=r"exited unexpectedly \(exit code -9\)"):
            for _ in range(10_000):  # what it wrote before it died is read first
                child.batch(100)


def test_a_message_cut_short_reads_as_the_childs_end():
    """A child killed while writing leaves half a message in the pipe (the test above hits
    that only sometimes): read as the child's end, not as a pickle error."""
    with TrafficProcess(load_mix(), 9, 16, 3, "v1", limit=100) as child:
        child.wait_ready()
        data = pickle.dumps(("events", [{"type": "message.new"}]))
        real, child._pipe = child._pipe, io.BytesIO(traffic_process._LENGTH.pack(len(data))
                                                     + data[:-5])
        with pytest.raises(TrafficError, match=r"exited unexpectedly \(exit code "):
            child.batch(1)
        real.close()


def test_a_failure_while_drawing_is_sent_to_the_parent_as_text():
    """produce() run in this process, its pipe a buffer: the child's error path."""
    spec = io.BytesIO(pickle.dumps((load_mix(), 1, 16, 3, "v9", 10)))
    sink = io.BytesIO()
    produce(spec, sink)
    data = sink.getvalue()
    (length,) = traffic_process._LENGTH.unpack(data[:4])
    kind, text = pickle.loads(data[4:4 + length])
    assert kind == "error" and text.startswith("MixError: ") and "v9" in text


@pytest.mark.parametrize(("executable", "line"), [
    ("/bin/false", "error: the traffic generator process exited unexpectedly (exit code 1)"),
    ("/nonexistent/python", "error: cannot start the traffic generator process with "
                            "'/nonexistent/python': [Errno 2] No such file or directory: "
                            "'/nonexistent/python'"),
])
def test_a_child_that_cannot_start_is_one_line_and_exit_status_1(monkeypatch, capsys,
                                                                 executable, line):
    monkeypatch.setattr(traffic_process.sys, "executable", executable)
    status = main(["simulate", "--rate", "0", "--events", "100", "--no-progress",
                   "--standalone"])
    captured = capsys.readouterr()
    assert status == 1 and captured.out == ""
    assert captured.err.splitlines()[-1] == line
    assert "Traceback" not in captured.err


def test_close_stops_a_child_that_draws_without_limit():
    child = TrafficProcess(load_mix(), 5, 16, 3, "v1")
    child.batch(10)
    pid = child._process.pid
    child.close()
    assert child._process.returncode is not None and gone(pid)


def test_the_child_ignores_sigint_and_keeps_drawing():
    with TrafficProcess(load_mix(), 6, 16, 3, "v1") as child:
        child.wait_ready()
        os.kill(child._process.pid, signal.SIGINT)
        time.sleep(0.2)
        assert child._process.poll() is None
        assert len(child.batch(300)) == 300


def test_fast_or_unpaced_runs_draw_in_a_child_and_slow_ones_inline():
    mix = load_mix()
    with open_traffic(mix, 1, 16, 3, "v1", rate=0, limit=10) as unpaced:
        assert isinstance(unpaced, TrafficProcess)
    with open_traffic(mix, 1, 16, 3, "v1", rate=200, limit=10) as slow:
        assert isinstance(slow, Traffic)


class Counted(TrafficProcess):
    started: list[int] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.started.append(self._process.pid)


@pytest.mark.parametrize(("flags", "child"), [
    (["--standalone"], False),  # one process keeps this rate as well, with less CPU
    (["--url"], True),  # the running emulator delivers: drawing apart kept it better
])
def test_a_paced_run_at_8000_per_second_draws_in_a_child_only_into_a_running_emulator(
        fresh, monkeypatch, capsys, flags, child):
    monkeypatch.setattr("emulator.simulate.command.TrafficProcess", Counted)
    monkeypatch.setattr(Counted, "started", [])
    flags = [*flags, fresh.base_url] if flags == ["--url"] else flags
    status = main(["simulate", "--rate", "8000", "--events", "400", "--no-progress", "--json",
                   *flags])
    assert status == 0 and json.loads(capsys.readouterr().out)["events"] == 400
    assert len(Counted.started) == (1 if child else 0)


def test_a_script_without_a_main_guard_can_run_simulate(tmp_path):
    """The child never imports the caller's main module (multiprocessing's spawn would, and
    run the script again inside the child)."""
    script = tmp_path / "load_test.py"
    script.write_text(textwrap.dedent("""
        from emulator.cli import main
        main(["simulate", "--rate", "0", "--events", "700", "--seed", "2", "--json",
              "--no-progress", "--standalone"])
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["events"] == 700 and report["totals"]["delivered"] == 700
    assert report["ledger_agrees"] is True


def test_ctrl_c_ends_the_run_and_leaves_no_child_behind():
    command = [sys.executable, "-m", "emulator.cli", "simulate", "--rate", "0", "--duration",
               "60", "--json", "--standalone"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, start_new_session=True)
    try:
        assert wait_for_output(proc.stderr, " events ")  # the progress line: under way
        (child,) = children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    report = json.loads(out)
    assert report["interrupted"] is True and report["events"] > 0
    assert report["ledger_agrees"] is True
    assert gone(child)


class KilledMidRun(TrafficProcess):
    """The child is killed once the run has taken two batches."""

    taken = 0

    def batch(self, size):
        self.taken += 1
        if self.taken == 3:
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.wait()
        return super().batch(size)


def test_a_child_killed_mid_run_ends_it_with_an_error_and_exact_counts(fresh):
    queue = fresh.engine.create_queue("sim-killed")
    fresh.backend.update_app({"event_hooks": [{
        "hook_type": "sqs", "enabled": True, "event_types": [], "sqs_queue_url": queue["url"],
        "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": "AKIAANYKEY",
        "sqs_secret": "any-secret"}]})
    with KilledMidRun(load_mix(), 8, 30, 8, "v1") as traffic:
        run = simulate(traffic, BackendSink(fresh.backend), Pacer(0, events=10_000_000))
    assert run.error == "the traffic generator process exited unexpectedly (exit code -9)"
    assert 1_000 <= run.tally.sent < 10_000_000  # the batches before, and what the pipe held
    assert run.ledger_agrees() and run.ledger_delta["delivered"] == run.tally.sent


def test_a_child_whose_parent_is_killed_exits_on_its_own():
    """No orphan drawing forever: its next write to the pipe fails and it ends."""
    command = [sys.executable, "-m", "emulator.cli", "simulate", "--rate", "0", "--duration",
               "60", "--no-progress", "--standalone"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not children(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        (child,) = children(proc.pid)
        time.sleep(1.0)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 10
        while not gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(child)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_no_event_is_stamped_before_the_run_starts():
    """The child has its world built while the emulator starts, but draws (and so stamps)
    events only once the run's clock starts: a consumer never sees an event older than it."""
    with TrafficProcess(load_mix(), 12, 16, 3, "v1", limit=1_000) as child:
        select.select([child._pipe], [], [], 30)  # its "ready" came: it could draw now
        time.sleep(0.3)  # the emulator still starting
        start = time.time()
        child.wait_ready()
        events = child.batch(1_000)
    stamps = [datetime.fromisoformat(e["created_at"]).timestamp() for e in events]
    assert min(stamps) >= start - 0.001  # RFC 3339 microseconds
    assert stamps == sorted(stamps)


def test_a_folder_with_its_own_emulator_module_does_not_break_the_child(tmp_path):
    """Run from a project folder that has an `emulator` package of its own (the child never
    looks in the working directory for this one)."""
    project = tmp_path / "project"
    (project / "emulator").mkdir(parents=True)
    (project / "emulator" / "__init__.py").write_text('raise SystemExit("the wrong emulator")')
    script = tmp_path / "load_test.py"  # its folder, not the project's, is first on its path
    script.write_text(textwrap.dedent("""
        import sys
        from emulator.cli import main
        sys.exit(main(["simulate", "--rate", "0", "--events", "300", "--seed", "2", "--json",
                       "--no-progress", "--standalone"]))
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60, cwd=project)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["totals"]["delivered"] == 300


def test_a_print_while_the_child_starts_does_not_break_its_messages(tmp_path):
    """A sitecustomize that prints (some environments have one) runs in the child before
    any code of ours: it once went into the pipe, and the run waited forever."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text('print("hello from sitecustomize")\n')
    script = tmp_path / "draw.py"
    script.write_text(textwrap.dedent("""
        from emulator.simulate.mix import load_mix
        from emulator.simulate.traffic_process import TrafficProcess
        with TrafficProcess(load_mix(), 3, 16, 3, "v1", limit=300) as child:
            child.wait_ready()
            print("drawn", len(child.batch(300)))
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(site), os.environ.get("PYTHONPATH")) if p)}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["hello from sitecustomize", "drawn 300"]
