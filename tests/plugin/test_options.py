"""--stream-seed / --stream-dialect / ini settings / env, and the seed in the report header."""

from __future__ import annotations

import json
import re

import pytest

RECORD = '''
import json, pathlib

def test_record(stream_emulator, stream_sqs_queue, stream_events):
    made = [stream_events.make("message.new"), stream_events.make("reaction.new")]
    triggered = stream_emulator.trigger("message.new", count=2).events
    assert stream_sqs_queue.receive(2) == triggered
    # Trigger timestamps follow the wall clock; everything else replays.
    keys = [(e["message"]["id"], e["message"]["text"], e["user"]["id"]) for e in triggered]
    pathlib.Path("out.json").write_text(json.dumps({"made": made, "triggered": keys}))
'''


def run_and_record(pytester: pytest.Pytester, *args: str) -> tuple[int, str, dict]:
    result = pytester.runpytest("-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=1)
    header = next(line for line in result.stdout.lines if line.startswith("stream-sqs-emulator:"))
    seed = int(re.search(r"seed (\d+)", header).group(1))
    return seed, header, json.loads((pytester.path / "out.json").read_text())


def test_random_seed_in_header_and_replay(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inner=RECORD)
    seed, header, first = run_and_record(pytester)
    assert header == (f"stream-sqs-emulator: seed {seed} (replay with --stream-seed {seed}), "
                      "dialect v1, in-process emulator per worker")
    again_seed, again_header, again = run_and_record(pytester, "--stream-seed", str(seed))
    assert again_seed == seed and "replay with" not in again_header
    assert again == first  # stream_events byte-identical, triggered ids and texts identical
    _, _, other = run_and_record(pytester, "--stream-seed", str(seed + 1))
    assert other["made"] != first["made"] and other["triggered"] != first["triggered"]


def test_ini_settings_and_flag_precedence(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nstream_seed = 99\nstream_dialect = v1\n")
    pytester.makepyfile(test_inner='''
def test_v2(stream_emulator, stream_sqs_queue, stream_events, stream_schemas):
    made = stream_events.make("message.new")
    assert isinstance(made["created_at"], int)  # v2: Unix nanoseconds
    stream_schemas.validate(made)
    triggered = stream_emulator.trigger("channel.updated").events
    assert isinstance(triggered[0]["created_at"], int)
    assert stream_sqs_queue.receive() == triggered
    assert isinstance(stream_events.make("message.new", dialect="v1")["created_at"], str)
''')
    result = pytester.runpytest("-p", "no:cacheprovider", "--stream-dialect", "v2")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["stream-sqs-emulator: seed 99, dialect v2, in-process*"])


def test_seed_from_environment(pytester: pytest.Pytester,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STREAM_EMULATOR_SEED", "5")
    pytester.makepyfile(test_inner="def test_nothing():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["stream-sqs-emulator: seed 5, dialect v1,*"])


@pytest.mark.parametrize("args, message", [
    (["--stream-seed", "abc"], "--stream-seed: expected an integer, got 'abc'"),
    (["-o", "stream_dialect=v3"], "--stream-dialect must be one of v1, v2, got 'v3'"),
    (["--stream-emulator-url", "127.0.0.1:8000"], "--stream-emulator-url must be an http(s) URL "
     "like http://127.0.0.1:8000, got '127.0.0.1:8000' (did you mean http://127.0.0.1:8000?)"),
    (["-o", "stream_emulator_url=ftp://x"], "stream_emulator_url (ini) must be an http(s) URL"),
])
def test_bad_options_are_usage_errors(pytester: pytest.Pytester, args: list[str],
                                      message: str) -> None:
    pytester.makepyfile(test_inner="def test_nothing():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()


@pytest.mark.parametrize("env, message", [
    ({"STREAM_EMULATOR_HOST": "localhost:8000"},
     "STREAM_EMULATOR_HOST (or run --host) must be a host name or IP address like 127.0.0.1, got "
     "'localhost:8000' (the host only: no scheme, port or path)"),
    ({"STREAM_EMULATOR_PORT": "8o00"}, "STREAM_EMULATOR_PORT must be an integer, got '8o00'"),
    ({"STREAM_EMULATOR_URL": "localhost"}, "STREAM_EMULATOR_URL must be an http(s) URL"),
])
def test_bad_environment_is_one_usage_error_line(pytester: pytest.Pytester,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 env: dict[str, str], message: str) -> None:
    """Not a traceback from inside the stream_emulator fixture once a test asks for it."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    pytester.makepyfile(test_inner="def test_uses(stream_emulator):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
