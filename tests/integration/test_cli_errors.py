"""What a new user sees when the CLI cannot do what was asked: `python -m emulator.cli …` in
a controlled environment answers one `error:` line (never a traceback) and the exit status
(1 = it failed, 2 = change what you typed)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Variables the commands read: none leaks in from the shell running the tests.
READ = ("STREAM_", "AWS_")


def run_cli(*argv: str, **env: str) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(READ)}
    proc = subprocess.run([sys.executable, "-m", "emulator.cli", *argv], cwd=ROOT,
                          env={**clean, **env}, capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def one_error_line(err: str) -> str:
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("error: "), err
    return err.strip()


@pytest.fixture
def printed(fresh) -> dict[str, str]:
    """The variables `run` prints, for the shared server."""
    s = fresh.settings
    return {"STREAM_CHAT_URL": fresh.base_url, "STREAM_KEY": s.api_key,
            "STREAM_SECRET": s.api_secret}


def test_simulate_with_no_emulator_there_is_one_line():
    code, _, err = run_cli("simulate", "--events", "5", "--no-progress",
                           STREAM_CHAT_URL="http://127.0.0.1:1")
    line = one_error_line(err.split("\n", 1)[1])  # after "simulating into … at …"
    assert code == 1 and "no emulator answers at http://127.0.0.1:1" in line
    assert "stream-sqs-emulator run" in line


def test_a_wrong_secret_is_one_line_that_says_which_variables_to_use(printed):
    for argv in (["simulate", "--events", "5", "--no-progress"], ["deliveries"]):
        code, _, err = run_cli(*argv, **{**printed, "STREAM_SECRET": "x" * 32})
        line = one_error_line(err.splitlines()[-1] + "\n")
        assert code == 1, argv
        assert "signature is not valid" in line and "STREAM_SECRET" in line, line
        assert line.endswith('API key "emulator-key"; sign with the STREAM_KEY and '
                             'STREAM_SECRET that `stream-sqs-emulator run` printed'), line
        assert '""' not in line, line  # the key's closing quote is not doubled


def test_a_short_wrong_secret_is_still_one_line(printed):
    """PyJWT warns (two lines) when it signs with a key under 32 bytes; a mistyped
    STREAM_SECRET is usually that short."""
    code, _, err = run_cli("deliveries", **{**printed, "STREAM_SECRET": "wrong"})
    line = one_error_line(err)
    assert code == 1 and "signature is not valid" in line, line


@pytest.mark.parametrize("argv", [["run"], ["simulate", "--standalone", "--events", "5",
                                            "--no-progress"]])
def test_an_external_sqs_endpoint_that_is_down_is_one_line(argv):
    """`run` / standalone `simulate` create the default queue there first: a traceback of
    botocore's EndpointConnectionError before."""
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{closed.getsockname()[1]}"
        code, _, err = run_cli(*argv, STREAM_EMULATOR_SQS_ENDPOINT=endpoint,
                               STREAM_EMULATOR_PORT="0")
    line = one_error_line(err.splitlines()[-1] + "\n")
    assert code == 1, err
    assert line.startswith(f"error: the SQS endpoint {endpoint} does not answer"), line
    assert "STREAM_EMULATOR_SQS_ENDPOINT" in line and "Traceback" not in err


@pytest.mark.parametrize("argv, env, named, example", [
    (["trigger", "message.new"], {"STREAM_CHAT_URL": "notaurl"}, "STREAM_CHAT_URL",
     "http://127.0.0.1:8000"),
    (["deliveries", "--url", "notaurl"], {}, "--url", "http://127.0.0.1:8000"),
    (["simulate", "--url", "ftp://x", "--events", "1"], {}, "--url", "http://127.0.0.1:8000"),
    (["run", "--sqs-endpoint", "notaurl"], {}, "--sqs-endpoint", "http://127.0.0.1:9324"),
    (["run"], {"STREAM_EMULATOR_SQS_ENDPOINT": "http://"}, "STREAM_EMULATOR_SQS_ENDPOINT",
     "http://127.0.0.1:9324"),
    (["receive"], {"AWS_ENDPOINT_URL_SQS": "notaurl"}, "AWS_ENDPOINT_URL_SQS",
     "http://127.0.0.1:9324"),
    (["receive", "--queue-url", "stream-events"], {}, "--queue-url", "http://127.0.0.1:9324/"),
])
def test_malformed_urls_are_a_usage_error_naming_the_variable_or_flag(argv, env, named, example):
    code, out, err = run_cli(*argv, **env)
    line = one_error_line(err)
    assert code == 2 and out == "", err
    assert f"{named}" in line and "must be an http(s) URL like " + example in line, line
    assert "got '" in line


def test_a_url_without_scheme_gets_the_url_it_probably_meant():
    code, _, err = run_cli("trigger", "message.new", STREAM_CHAT_URL="127.0.0.1:46557")
    line = one_error_line(err)
    assert code == 2 and "no emulator answers" not in line
    assert line.startswith("error: STREAM_CHAT_URL must be an http(s) URL")
    assert "got '127.0.0.1:46557' (did you mean http://127.0.0.1:46557?)" in line


def test_faults_set_latency_needs_a_positive_latency_ms(printed, control):
    for argv in (["faults", "set", "latency"], ["faults", "set", "latency", "--latency-ms", "0"]):
        code, out, err = run_cli(*argv, **printed)
        assert code == 2 and out == "" and "--latency-ms must be at least 1" in one_error_line(err)
    code, _, err = run_cli("faults", "set", "throttle", "--latency-ms", "5", **printed)
    assert code == 2 and "latency mode only" in one_error_line(err)
    assert control.faults() is None  # none of them reached the emulator
    code, out, _ = run_cli("faults", "set", "latency", "--latency-ms", "3", **printed)
    assert code == 0 and "3 ms per send" in out
    control.clear_faults()


def test_a_refused_override_is_one_line_with_balanced_quotes(printed):
    code, out, err = run_cli("trigger", "message.new", "--set", "message.created_at=notadate",
                             **printed)
    line = one_error_line(err)
    assert code == 2 and out == "" and "message.created_at" in line, line
    assert line.endswith('received string "notadate"') and '""' not in line, line
