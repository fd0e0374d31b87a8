"""An external emulator (--stream-emulator-url / STREAM_EMULATOR_URL, started here in the outer
process) and `-n 2` runs: one emulator per worker, or one shared one, and never a message in
another test's queue."""

from __future__ import annotations

import json

import pytest

ISOLATION = '''
import json, os, pathlib, pytest

@pytest.mark.parametrize("n", range(6))
def test_own_events_only(n, stream_emulator, stream_sqs_queue, stream_events):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert stream_sqs_queue.name.startswith(f"stream-{worker}-")
    marker = f"test {n} on {worker}"
    stream_emulator.trigger("message.new", count=2, overrides={"message": {"text": marker}})
    received = stream_sqs_queue.receive(2)
    assert [e["message"]["text"] for e in received] == [marker, marker]
    assert stream_sqs_queue.peek() == [] and stream_sqs_queue.depth() == 0
    out = pathlib.Path(os.environ["INNER_OUT"]) / f"{n}.json"
    out.write_text(json.dumps({
        "worker": worker, "queue": stream_sqs_queue.name, "external": stream_emulator.external,
        "sqs": stream_emulator.sqs_endpoint_url,
        "event_id": stream_events.make("message.new")["message"]["id"],
    }))
'''


def run_isolation(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str,
                  subprocess: bool = True) -> tuple[pytest.RunResult, list[dict]]:
    out = pytester.mkdir("out")
    monkeypatch.setenv("INNER_OUT", str(out))
    pytester.makepyfile(test_inner=ISOLATION)
    run = pytester.runpytest_subprocess if subprocess else pytester.runpytest
    result = run("-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=6)
    return result, [json.loads(p.read_text()) for p in sorted(out.iterdir())]


def seed_in_header(result: pytest.RunResult) -> str:
    headers = [line for line in result.stdout.lines if line.startswith("stream-sqs-emulator:")]
    assert len(headers) == 1, headers
    return headers[0].split()[2].rstrip(",")


def test_xdist_one_emulator_per_worker(pytester: pytest.Pytester,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    result, records = run_isolation(pytester, monkeypatch, "-n", "2")
    assert {r["worker"] for r in records} == {"gw0", "gw1"}
    assert not any(r["external"] for r in records)
    assert len({r["sqs"] for r in records}) == 2  # each worker has its own embedded SQS
    assert len({r["queue"] for r in records}) == 6
    # Same seed in both workers (the one in the header): same stream_events payloads.
    assert len({r["event_id"] for r in records}) == 1
    assert "in-process emulator per worker" in result.stdout.str()
    assert seed_in_header(result).isdigit()


def test_xdist_sharing_an_external_emulator(pytester: pytest.Pytester,
                                            monkeypatch: pytest.MonkeyPatch,
                                            outer_emulator) -> None:
    url = outer_emulator.base_url
    result, records = run_isolation(pytester, monkeypatch, "-n", "2", "--stream-seed", "7",
                                    "--stream-emulator-url", url)
    assert {r["worker"] for r in records} == {"gw0", "gw1"}
    assert all(r["external"] for r in records)
    assert {r["sqs"] for r in records} == {outer_emulator.engine.endpoint_url}
    assert seed_in_header(result) == "7"
    assert f"external emulator {url}" in result.stdout.str()
    # Cleaned up: queues deleted from the shared SQS, the app's hooks removed.
    urls = outer_emulator.engine.client("sqs").list_queues().get("QueueUrls", [])
    names = {u.rsplit("/", 1)[-1] for u in urls}
    assert not names & {r["queue"] for r in records}
    assert not names & {r["queue"] + "-dlq" for r in records}
    assert outer_emulator.backend.app.event_hooks == ()


def test_external_emulator_from_environment(pytester: pytest.Pytester,
                                            monkeypatch: pytest.MonkeyPatch,
                                            outer_emulator) -> None:
    monkeypatch.setenv("STREAM_EMULATOR_URL", outer_emulator.base_url)
    result, records = run_isolation(pytester, monkeypatch, subprocess=False)
    assert {r["worker"] for r in records} == {"main"}
    assert {r["sqs"] for r in records} == {outer_emulator.engine.endpoint_url}
    assert all(r["external"] for r in records)
    assert outer_emulator.backend.deliveries() == []  # reset on tear-down
    result.stdout.fnmatch_lines([f"*external emulator {outer_emulator.base_url}"])
