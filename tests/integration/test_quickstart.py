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

from tests.helpers import npm_stream_chat

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


def paste(printed: list[str], command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The export lines, then the command, in a new bash in the repo folder."""
    exports = [line for line in printed if line.startswith("export ")]
    script = "\n".join([*exports, command])
    return subprocess.run(["bash", "--noprofile", "--norc", "-c", script], cwd=cwd,
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
    assert "export AWS_PAGER=''" in exports  # AWS CLI v2: no pager eating the pasted lines


def check_trigger(out: str) -> None:
    assert out.count("delivered") == 3, out


def check_aws(out: str) -> None:
    """The real AWS CLI (v1, a test dependency in the venv the PATH export puts first)."""
    assert out.strip(), "the aws line received no message (did an earlier step consume them?)"
    messages = json.loads(out)["Messages"]
    assert [json.loads(m["Body"])["type"] for m in messages] == ["message.new"] * 3


def check_receive(out: str) -> None:
    assert [json.loads(line)["type"] for line in out.splitlines()] == ["message.new"] * 3


def check_sdk(out: str) -> None:
    assert "'event_hooks'" in out


def check_deliveries(out: str) -> None:
    assert out.count("message.new") >= 3, out


def check_curl(out: str) -> None:
    assert json.loads(out)["status"] == "ok"


CHECKS = {"stream-sqs-emulator trigger": check_trigger, "aws ": check_aws,
          "stream-sqs-emulator receive": check_receive, "python3 -c": check_sdk,
          "stream-sqs-emulator deliveries": check_deliveries, "curl ": check_curl}


def test_every_printed_next_step_works_pasted_in_order(printed):
    """Each step once, in the printed order, nothing in between: a step that consumes what a
    later one needs (as `receive` deleting before the `aws` line did) fails here."""
    steps = next_steps(printed)
    for step in steps:
        [check] = [c for prefix, c in CHECKS.items() if step.startswith(prefix)] or [None]
        assert check, f"a next step this test does not check: {step}"
        if step.startswith("aws "):
            assert shutil.which("aws", path=f"{SCRIPTS}:{fresh_shell_env()['PATH']}"), \
                "the AWS CLI (a test dependency) is not installed"
        if step.startswith("curl ") and not shutil.which("curl", path=fresh_shell_env()["PATH"]):
            continue  # no curl on this machine: the health answer itself is tested in tests/api
        done = paste(printed, step)
        assert done.returncode == 0, f"{step}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
        check(done.stdout)


def test_the_note_says_what_an_install_lacks(printed):
    """This venv has both (so the note is the plain one); `pip install .` alone has neither,
    and then the note says how to get them."""
    from emulator.cli.run import next_steps_note

    note = next(line for line in printed if line.startswith("# next steps"))
    assert note == next_steps_note(True, True)
    assert "pip install" not in note
    bare = next_steps_note(False, False)
    assert "SDK, not in this install: pip install stream-chat;" in bare
    assert "AWS CLI, none on PATH: pip install awscli):" in bare


def test_the_readme_shows_the_next_steps_run_prints():
    from emulator.cli.run import NEXT_STEPS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start"):readme.index("### Without make")]
    blocks = quick.split("```sh\n")[1:]
    shown = [line for block in blocks for line in block.split("```")[0].splitlines()
             if not line.startswith(("export ", "make "))]
    assert shown == NEXT_STEPS


def readme_blocks(section: str, language: str) -> list[str]:
    """The ```language blocks of one README section (## heading to the next ##)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"\n## {section}\n")
    end = readme.find("\n## ", start + 1)
    text = readme[start:end if end > 0 else None]
    return [block.split("\n```", 1)[0] for block in text.split(f"```{language}\n")[1:]]


def test_the_control_api_curl_lines_work_pasted(printed):
    """The README's signed curl recipe (a server JWT from PyJWT, then two control calls)."""
    if not shutil.which("curl", path=fresh_shell_env()["PATH"]):
        pytest.skip("no curl on this machine: the control API itself is tested in tests/api")
    [block] = readme_blocks("Control API", "sh")
    done = paste(printed, block)
    assert done.returncode == 0 and not done.stderr, done.stderr
    listed, triggered = (json.loads(line) for line in done.stdout.splitlines())
    assert {"deliveries", "totals"} <= set(listed)
    assert [r["status"] for r in triggered["deliveries"]] == ["delivered"]
    assert "events" not in triggered  # "echo": false


def test_the_readme_javascript_snippet_works_pasted(printed, tmp_path_factory):
    """npm's stream-chat needs baseURL (it reads no STREAM_CHAT_URL): the README's snippet,
    run by node in the shell with the exports, reads the app's hook from the emulator."""
    folder = npm_stream_chat(tmp_path_factory)
    [snippet] = readme_blocks("Quick start", "js")
    (folder / "app.js").write_text(snippet, encoding="utf-8")
    done = paste(printed, "node app.js", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "hook_type: 'sqs'" in done.stdout and "enabled: true" in done.stdout, done.stdout


def test_the_printed_dashboard_line_signs_in_with_the_printed_key_and_secret(printed):
    """`run` named no dashboard (the README's 127.0.0.1:8000 is another port with port 0), and
    its sign-in page asked for STREAM_EMULATOR_API_KEY / _SECRET, which no one had pasted."""
    import re

    import requests

    [line] = [line for line in printed if line.startswith("dashboard ")]
    url = line.split()[1]
    exports = dict(line.removeprefix("export ").split("=", 1) for line in printed
                   if line.startswith("export "))
    assert url == exports["STREAM_CHAT_URL"] + "/dashboard"
    assert "sign in with STREAM_KEY and STREAM_SECRET" in line
    browser = requests.Session()
    login = browser.get(url, timeout=10)
    assert login.url.endswith("/dashboard/login?next=/dashboard/")
    assert "<code>STREAM_KEY</code> and\n    <code>STREAM_SECRET</code>" in login.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    done = browser.post(login.url.split("?")[0], timeout=10, data={
        "csrf_token": token, "api_key": exports["STREAM_KEY"],
        "api_secret": exports["STREAM_SECRET"], "next": "/dashboard/"})
    assert done.url == url + "/" and "Sign out" in done.text
