"""The quick start as a new user meets it: `stream-sqs-emulator run` prints export lines and
next steps; each next step, pasted into a fresh bash with only those exports (no activated
venv, none of this process's variables), works and events arrive."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sysconfig.get_path("scripts")


def fresh_shell_env() -> dict[str, str]:
    """A login-less shell's variables: PATH without this venv, no VIRTUAL_ENV, no STREAM_*/AWS_*."""
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if p and Path(p).resolve() != Path(SCRIPTS).resolve()]
    env = {"PATH": os.pathsep.join(path), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    if "PYENV_ROOT" in os.environ:  # pyenv's shims (where the AWS CLI may live) need it
        env["PYENV_ROOT"] = os.environ["PYENV_ROOT"]
    return env


@pytest.fixture(scope="module")
def printed():
    proc = subprocess.Popen([f"{SCRIPTS}/stream-sqs-emulator", "run", "--port", "0",
                             "--sqs-port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**fresh_shell_env(), "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while not lines or "Ctrl-C stops" not in lines[-1]:
        line = proc.stdout.readline()
        if not line or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("run printed no next steps:\n" + "".join(lines) + proc.stderr.read())
        lines.append(line.rstrip("\n"))
    yield lines
    proc.terminate()
    proc.wait(timeout=20)


def paste(printed: list[str], command: str) -> subprocess.CompletedProcess:
    """The export lines, then the command, in a new bash in the repo folder."""
    exports = [line for line in printed if line.startswith("export ")]
    script = "\n".join([*exports, command])
    return subprocess.run(["bash", "--noprofile", "--norc", "-c", script], cwd=ROOT,
                          env=fresh_shell_env(), capture_output=True, text=True, timeout=60)


def next_steps(printed: list[str]) -> list[str]:
    start = printed.index(next(line for line in printed if line.startswith("# next steps")))
    end = printed.index("", start)
    return printed[start + 1:end]


def test_exports_name_path_and_both_region_variables(printed):
    exports = [line for line in printed if line.startswith("export ")]
    assert exports[0] == f'export PATH={SCRIPTS}:"$PATH"'
    names = [line.split("=", 1)[0].removeprefix("export ") for line in exports]
    assert {"AWS_REGION", "AWS_DEFAULT_REGION", "STREAM_CHAT_URL", "STREAM_KEY", "STREAM_SECRET",
            "AWS_ENDPOINT_URL_SQS", "STREAM_SQS_QUEUE_URL"} <= set(names)


def test_every_printed_next_step_works_in_a_fresh_shell(printed):
    steps = next_steps(printed)
    ran = []

    def run(step: str) -> str:
        done = paste(printed, step)
        assert done.returncode == 0, f"{step}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
        ran.append(step)
        return done.stdout

    [trigger] = [s for s in steps if s.startswith("stream-sqs-emulator trigger")]
    assert run(trigger).count("delivered") == 3
    [receive] = [s for s in steps if s.startswith("stream-sqs-emulator receive")]
    events = [json.loads(line) for line in run(receive).splitlines()]
    assert [e["type"] for e in events] == ["message.new"] * 3

    [aws] = [s for s in steps if s.startswith("aws ")]  # AWS CLI v1: a test dependency
    run(trigger)
    messages = json.loads(run(aws))["Messages"]
    assert [json.loads(m["Body"])["type"] for m in messages] == ["message.new"] * 3

    [sdk] = [s for s in steps if s.startswith("python3 -c")]
    assert "'event_hooks'" in run(sdk)
    [deliveries] = [s for s in steps if s.startswith("stream-sqs-emulator deliveries")]
    assert run(deliveries).count("message.new") >= 3
    [curl] = [s for s in steps if s.startswith("curl ")]
    if shutil.which("curl", path=fresh_shell_env()["PATH"]):
        assert json.loads(run(curl))["status"] == "ok"
    else:  # no curl on this machine: the health answer itself is tested in tests/api
        ran.append(curl)
    assert ran and set(ran) == set(steps), f"next steps this test does not run: {steps}"


def test_the_readme_shows_the_next_steps_run_prints():
    from emulator.cli.run import NEXT_STEPS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start"):readme.index("### Without make")]
    blocks = quick.split("```sh\n")[1:]
    shown = [line for block in blocks for line in block.split("```")[0].splitlines()
             if not line.startswith(("export ", "make "))]
    assert shown == NEXT_STEPS
