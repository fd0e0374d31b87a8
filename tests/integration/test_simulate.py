"""`stream-sqs-emulator simulate`: standalone and --url runs, the mix, coherence, accounting."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from emulator.cli import main
from emulator.cli.client import ControlClient
from emulator.events.generator import Generator
from emulator.simulate.mix import MixError, load_mix
from emulator.simulate.pacing import Pacer
from emulator.simulate.report import rate_sentence
from emulator.simulate.traffic import Traffic

MESSAGE_CREATORS = ("message.new", "notification.thread_message_new", "message.pending")
ACTS_ON_A_MESSAGE = ("reaction.new", "reaction.updated", "reaction.deleted", "message.updated",
                     "message.deleted", "message.flagged", "message.undeleted")


def simulate_json(capsys, *flags: str) -> dict:
    status = main(["simulate", "--no-progress", "--json", *flags])
    out = capsys.readouterr().out
    assert status == 0, out
    return json.loads(out)


def hook(queue_url: str, hook_id: str, event_types: list[str] | None = None) -> dict:
    return {"id": hook_id, "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue_url,
            "sqs_region": "us-east-1", "sqs_auth_type": "keys", "sqs_key": "AKIAANYKEY",
            "sqs_secret": "any-secret", "event_types": event_types or []}


@pytest.fixture
def three_hooks(fresh):
    """All events to one queue, message.new only to another, all events to a missing one."""
    a = fresh.engine.create_queue("sim-all")
    b = fresh.engine.create_queue("sim-new")
    missing = a["url"].replace("sim-all", "sim-missing")
    fresh.backend.update_app({"event_hooks": [hook(a["url"], "all"),
                                              hook(b["url"], "new", ["message.new"]),
                                              hook(missing, "gone")]})
    return fresh


def test_standalone_respects_the_mix_and_matches_its_own_ledger(capsys):
    report = simulate_json(capsys, "--events", "2000", "--rate", "0", "--seed", "5")
    assert report["mode"] == "standalone" and report["events"] == 2000
    assert sum(t["events"] for t in report["by_type"].values()) == 2000
    share = report["by_type"]["message.new"]["events"] / 2000
    assert abs(share - load_mix().share("message.new")) < 0.03, share
    # run's default hook wants every event: one record per event, and the ledger agrees
    assert sum(report["totals"].values()) == 2000
    assert report["totals"] == report["ledger_delta"] and report["ledger_agrees"] is True
    assert report["requested_rate"] == 0 and report["achieved_rate"] > 0
    assert list(report) == documented_json_keys()


def documented_json_keys() -> list[str]:
    """docs/simulate.md's list of the --json keys (nested {…} and […] parts left out)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "simulate.md").read_text("utf-8")
    listed = doc.split("`--json` prints instead: `", 1)[1].split("`;", 1)[0]
    flat = re.sub(r"\{[^{}]*\}", "", re.sub(r"\{[^{}]*\}", "", listed))
    flat = re.sub(r"\[[^\]]*\]", "", flat)
    return [name.split()[0] for name in flat.replace("\n", " ").split(",") if name.strip()]


def test_url_mode_accounts_for_every_event_and_hook(capsys, three_hooks):
    url = three_hooks.base_url
    report = simulate_json(capsys, "--url", url, "--events", "120", "--rate", "0",
                           "--seed", "11", "--users", "30", "--channels", "8")
    new = report["by_type"]["message.new"]["events"]
    assert new > 20
    # events × matching hooks = delivered + dropped_oversize + denied + failed, exactly
    assert sum(report["totals"].values()) == 2 * 120 + new
    assert report["by_type"]["message.new"]["delivered"] == 2 * new
    assert report["totals"]["failed"] + report["totals"]["denied"] == 120  # the missing queue
    client = ControlClient.for_settings(url, three_hooks.settings)
    assert client.get("/_emulator/deliveries", limit=1)["totals"] == report["totals"]
    assert (report["users"], report["channels"], report["ledger_agrees"]) == (30, 8, True)


def test_url_mode_text_summary_progress_and_rate_verdict(capsys, fresh):
    # A hook of this test's own: create_default_queue() would change what every later
    # test's reset() returns the shared server to.
    queue = fresh.engine.create_queue("sim-url-mode", dlq=False)
    key, secret = fresh.engine.credentials()
    fresh.backend.update_app({"event_hooks": [{
        "hook_type": "sqs", "enabled": True, "sqs_queue_url": queue["url"],
        "sqs_region": fresh.settings.region, "sqs_auth_type": "keys",
        "sqs_key": key, "sqs_secret": secret,
    }]})
    status = main(["simulate", "--url", fresh.base_url, "--events", "60",
                   "--rate", "1000000", "--seed", "2"])
    out, err = capsys.readouterr()
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["event", "type", "events", "delivered", "dropped_oversize",
                                "denied", "failed"]
    assert next(x for x in lines if x.startswith("total")).split()[1:3] == ["60", "60"]
    assert "requested 1,000,000/s, achieved " in out
    assert "the machine could not keep up" in out  # nobody sends a million events a second
    assert "ledger: delivered +60, dropped_oversize +0, denied +0, failed +0: matches" in out
    assert "\r[" in err and "60 events" in err and "delivered 60" in err


def test_pacer_keeps_a_rate_it_can_and_says_so_when_it_cannot():
    now = [0.0]
    fast = Pacer(100, events=50, clock=lambda: now[0],
                 sleep=lambda s: now.__setitem__(0, now[0] + s))
    while size := fast.next_batch():
        fast.done(size)
    fast.finish()
    assert (fast.sent, fast.elapsed(), fast.achieved(), fast.kept_up()) == (50, 0.5, 100, True)
    assert rate_sentence(100, fast.achieved(), True) == "requested 100/s, achieved 100/s"

    now[0] = 0.0
    slow = Pacer(5000, duration=1.0, clock=lambda: now[0], sleep=lambda s: None)
    while size := slow.next_batch():
        slow.done(size)
        now[0] += 0.1  # every batch takes 100 ms however big: the machine is the limit
    slow.finish()
    assert slow.sent < 5000 and not slow.kept_up()
    assert rate_sentence(5000, 2130, False) == (
        "requested 5,000/s, achieved 2,130/s: the machine could not keep up")


def test_traffic_is_coherent_with_the_world_and_the_run():
    traffic = Traffic(load_mix(), seed=21, users=20, channels=4, dialect="v1")
    known = set(traffic.world.messages)  # the world's messages before the run
    channels = set(traffic.world.channels)
    banned: set = set()
    sent, checked, unbans = Counter(), Counter(), Counter()
    for _ in range(1500):
        [event] = traffic.batch(1)
        kind, message = event["type"], event.get("message", {})
        sent[kind] += 1
        if kind == "channel.created":
            channels.add(event["cid"])
        elif "cid" in event:
            assert event["cid"] in channels, f"{kind} in a channel never created"
        if kind == "channel.deleted":
            channels.discard(event["cid"])
        # A message acted on (or replied to) was created earlier in the run or before it;
        # else it exists in the world: the generator writes one off-stream when the
        # channels it tried had none left.
        subject = message.get("parent_id") if kind in MESSAGE_CREATORS else message.get("id")
        if subject and (kind in ACTS_ON_A_MESSAGE or kind in MESSAGE_CREATORS):
            checked["run" if subject in known else "world"] += 1
            assert subject in known or subject in traffic.world.messages, kind
            known.add(subject)
        if kind in MESSAGE_CREATORS:
            known.add(message["id"])
        if kind in ("user.banned", "user.unbanned"):
            key = (event["user"]["id"], event.get("cid", "*"))
            unbans[key in banned] += kind == "user.unbanned"
            if kind == "user.banned":
                banned.add(key)
            else:
                banned.discard(key)
        for undo, do in traffic.picker.mix.pairs.items():  # at every point of the run
            assert sent[undo] <= sent[do], f"more {undo} than {do}"
    assert checked["run"] > 200 and checked["world"] <= checked["run"] // 50, checked
    assert sent["channel.created"] > 0 and sent["user.unbanned"] > 0
    # An unban undoes a ban of this run, unless that member has since left the channel (then
    # the catalogue's generator bans someone off-stream first): rare.
    assert unbans[True] >= 3 * unbans[False], unbans


def test_world_size_follows_users_and_channels_and_the_seed_replays():
    a = Traffic(load_mix(), seed=8, users=50, channels=12, dialect="v2")
    b = Traffic(load_mix(), seed=8, users=50, channels=12, dialect="v2")
    assert (len(a.world.users), len(a.world.channels)) == (50, 12)
    ids = [[(e["type"], e.get("cid"), e.get("message", {}).get("id")) for e in t.batch(200)]
           for t in (a, b)]
    assert ids[0] == ids[1]
    default = Generator(seed=8).world  # the catalogue's own world keeps its default size
    assert (len(default.users), len(default.channels)) == (24, 6)


def test_a_changed_mix_file_is_followed(tmp_path):
    path = tmp_path / "mix.json"
    path.write_text(json.dumps({"weights": {"message.new": 1, "reaction.new": 3,
                                            "reaction.deleted": 1},
                                "after": {"reaction.deleted": "reaction.new"}}))
    traffic = Traffic(load_mix(path), seed=4, users=16, channels=3, dialect="v1")
    kinds = [e["type"] for e in traffic.batch(1000)]
    assert set(kinds) == {"message.new", "reaction.new", "reaction.deleted"}
    assert kinds.index("reaction.deleted") > kinds.index("reaction.new")
    assert abs(kinds.count("reaction.new") / 1000 - 0.6) < 0.06


@pytest.mark.parametrize("mix, words", [
    ({"weights": {"mesage.new": 5}}, ("weights['mesage.new']: unknown event type 'mesage.new'"
                                      " (expected one of the 77 webhook event types); did you"
                                      " mean message.new")),
    ({"weights": {"message.new": -1}}, "weights['message.new']: expected a number >= 0"),
    ({"weights": {"user.unbanned": 1, "message.new": 1}, "pairs": {"user.unbanned":
     "user.banned"}}, "needs 'user.banned', which has no weight"),
    ({"weights": {"message.new": 1}, "after": {"message.new": "reaction.nwe"}},
     "after['message.new']: unknown event type 'reaction.nwe'"),
    ({"weights": {"message.new": 1}, "extra": 1}, "unknown key 'extra'"),
])
def test_a_bad_mix_is_rejected_at_load_with_a_clear_error(tmp_path, capsys, mix, words):
    path = tmp_path / "mix.json"
    path.write_text(json.dumps(mix))
    with pytest.raises(MixError) as caught:
        load_mix(path)
    assert words in str(caught.value)
    # the CLI refuses before starting anything: a usage error, exit status 2
    assert main(["simulate", "--mix", str(path), "--events", "1"]) == 2
    assert words in capsys.readouterr().err


def test_a_world_below_the_generators_floor_is_a_usage_error(capsys):
    assert main(["simulate", "--users", "5", "--events", "1"]) == 2
    assert "--users: expected at least 16" in capsys.readouterr().err


def test_workers_get_disjoint_seeds_and_bad_worker_options_are_usage_errors():
    from emulator.simulate.command import worker_seed

    seeds = {worker_seed(7, 4, i) for i in range(4)} | {worker_seed(8, 4, i) for i in range(4)}
    assert len(seeds) == 8  # no two workers of these runs share a traffic stream
    assert worker_seed(7, 1, 0) == 7  # one worker: the seed as given, replayable alone
    for argv, words in ((["--workers", "0"], "--workers: expected at least 1"),
                        (["--workers", "2", "--worker-index", "2"], "expected 0 to 1")):
        proc = subprocess.run([sys.executable, "-m", "emulator.cli", "simulate", "--events",
                               "1", *argv], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and words in proc.stderr


@pytest.mark.parametrize("flags, chat_url, says", [
    ([], None, "(to fill a running emulator's queue, set STREAM_CHAT_URL or pass --url)"),
    (["--standalone"], "http://127.0.0.1:1", "(--standalone: the emulator STREAM_CHAT_URL "
                                             "names is not used)"),
    (["--webhook", "http://127.0.0.1:1/"], "http://127.0.0.1:1",
     "(--webhook: the emulator STREAM_CHAT_URL names is not used)"),
])
def test_a_standalone_run_says_why_it_is_standalone(capsys, monkeypatch, flags, chat_url, says):
    """In a shell with `run`'s exports pasted, --standalone / --webhook told the user to set
    the STREAM_CHAT_URL that was already set."""
    monkeypatch.delenv("STREAM_CHAT_URL", raising=False)
    if chat_url:
        monkeypatch.setenv("STREAM_CHAT_URL", chat_url)
    assert main(["simulate", "--no-progress", "--events", "2", "--rate", "0", *flags]) == 0
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.startswith("standalone: ")]
    assert line.endswith(says), line
