"""The event generator: every type in both dialects, validity over many seeds, determinism,
overrides, errors and oversize payloads."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from emulator.catalog.registry import EventValidationError, UnknownEventType, get_registry
from emulator.catalog.types import EVENT_TYPES, event_types
from emulator.delivery.encoding import event_json
from emulator.errors import InputError
from emulator.events.generator import Generator, deep_merge

START = datetime(2025, 3, 30, 7, 54, 46, tzinfo=timezone.utc)
RFC3339_US = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
ROOT = Path(__file__).resolve().parents[2]
# Keys of Stream's documented SQS message.new example (reference/sqs-example-message.new.json).
REFERENCE_KEYS = {"type", "cid", "message", "user", "created_at", "members", "channel_type",
                  "channel_id"}
REFERENCE_MESSAGE_KEYS = {"id", "text", "html", "type", "user", "attachments",
                          "latest_reactions", "own_reactions", "reaction_counts",
                          "reaction_scores", "reply_count", "created_at", "updated_at",
                          "mentioned_users"}
REFERENCE_USER_KEYS = {"id", "role", "created_at", "updated_at", "banned", "online"}
REFERENCE_UNREAD_KEYS = {"channel_unread_count", "channel_last_read_at", "total_unread_count",
                         "unread_channels", "unread_count"}


def digest(seed: int) -> str:
    """sha256 of every type in both dialects, generated in one sequence."""
    gen = Generator(seed=seed, start_time=START)
    text = "".join(json.dumps(gen.make(t, dialect=d), sort_keys=True)
                   for d in ("v1", "v2") for t in event_types(d))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_every_type_generates_with_its_type_and_timestamps(dialect):
    gen = Generator(seed=7, start_time=START)
    for event_type in event_types(dialect):
        event = gen.make(event_type, dialect=dialect)
        if event_type == "*" and dialect == "v1":  # custom events keep their sender's name
            assert event["type"] not in EVENT_TYPES and event["type"]
        else:
            assert event["type"] == event_type
        created = event["created_at"]
        if dialect == "v1":
            assert RFC3339_US.match(created), created
        else:
            assert isinstance(created, int) and created > 1_700_000_000 * 10**9
            assert "custom" in event


def test_hundred_seeds_every_type_both_dialects_validate():
    registry = get_registry()
    failures = []
    for seed in range(100):
        gen = Generator(seed=seed, start_time=START)
        for dialect in ("v1", "v2"):
            for event_type in event_types(dialect):
                event = gen.build(event_type, dialect)
                if not registry.is_valid(event, dialect, event_type):
                    found = registry.violations(event, dialect, event_type)
                    failures.append((seed, dialect, event_type, [str(v) for v in found][:2]))
    assert failures == []


def test_same_seed_and_start_give_same_bytes_and_reset_replays():
    assert digest(3) == digest(3)
    gen = Generator(seed=3, start_time=START)
    first = [json.dumps(gen.make(t), sort_keys=True) for t in event_types("v1")]
    gen.reset()
    assert [json.dumps(gen.make(t), sort_keys=True) for t in event_types("v1")] == first
    assert digest(4) != digest(3)


def test_same_bytes_across_processes_with_different_hash_seeds():
    script = ("import sys; sys.path.insert(0, sys.argv[1]); "
              "from tests.unit.test_generator import digest; print(digest(11))")
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", script, str(ROOT)], env=env, check=True,
                              capture_output=True, text=True, cwd=ROOT)
        outputs.add(done.stdout.strip())
    assert outputs == {digest(11)}


def test_wall_clock_without_start_time():
    before = time.time_ns()
    first = Generator(seed=1, dialect="v2").make("message.new")
    second = Generator(seed=1, dialect="v2").make("message.new")
    assert before <= first["created_at"] <= time.time_ns()
    assert first["created_at"] <= second["created_at"]
    assert first["message"]["id"] == second["message"]["id"]  # the seed still fixes content


def test_overrides_deep_merge_and_are_validated():
    gen = Generator(seed=5, start_time=START)
    event = gen.make("message.new", {"message": {"text": "hello", "attachments": []},
                                     "team": "blue"})
    assert event["message"]["text"] == "hello"
    assert event["message"]["attachments"] == []
    assert event["team"] == "blue"
    assert event["message"]["id"] and event["message"]["user"]["id"]  # siblings kept
    assert deep_merge({"a": {"b": 1, "c": 2}}, {"a": {"b": 3}}) == {"a": {"b": 3, "c": 2}}


@pytest.mark.parametrize("overrides, path", [
    ({"message": {"reply_count": "many"}}, "$.message.reply_count"),
    ({"message": {"user": {"banned": "no"}}}, "$.message.user.banned"),
    ({"type": "message.updated"}, "$.type"),
    ({"created_at": 5}, "$.created_at"),
])
def test_breaking_override_raises_naming_the_path(overrides, path):
    with pytest.raises(EventValidationError) as info:
        Generator(seed=5, start_time=START).make("message.new", overrides)
    assert path in str(info.value)
    assert info.value.violations[0].path == path


def test_unknown_type_raises_with_close_matches():
    with pytest.raises(UnknownEventType) as info:
        Generator(seed=1).make("message.neww")
    assert isinstance(info.value, InputError)
    assert "message.new" in str(info.value)
    with pytest.raises(InputError):
        Generator(seed=1, dialect="v3")


@pytest.mark.parametrize("event_type, dialect", [
    ("message.new", "v1"), ("message.new", "v2"), ("user.updated", "v1"), ("*", "v2")])
def test_oversize_has_exact_byte_size_and_stays_valid(event_type, dialect):
    event = Generator(seed=2, start_time=START).oversize(event_type, kilobytes=257,
                                                        dialect=dialect)
    body = event_json(event)
    assert len(body.encode("utf-8")) == 257 * 1024
    assert get_registry().is_valid(event, dialect, event_type)


def test_oversize_counts_bytes_not_characters():
    gen = Generator(seed=2, start_time=START)
    texts = [gen.oversize(kilobytes=64)["message"]["text"] for _ in range(3)]
    assert any(len(t.encode("utf-8")) > len(t) for t in texts)  # multi-byte text included


def test_attachments_and_mentions_appear_some_of_the_time():
    gen = Generator(seed=9, start_time=START)
    events = [gen.make("message.new") for _ in range(300)]
    with_attachments = sum(bool(e["message"]["attachments"]) for e in events)
    with_mentions = [e for e in events if e["message"]["mentioned_users"]]
    assert 10 < with_attachments < 150
    assert 5 < len(with_mentions) < 150
    for event in with_mentions:
        member_ids = {m["user_id"] for m in event["members"]}
        assert {u["id"] for u in event["message"]["mentioned_users"]} <= member_ids


def test_v1_message_new_has_the_shape_of_stream_sqs_example():
    event = Generator(seed=1, start_time=START).make("message.new")
    assert REFERENCE_KEYS <= set(event)
    assert REFERENCE_MESSAGE_KEYS <= set(event["message"])
    assert REFERENCE_USER_KEYS <= set(event["message"]["user"])
    assert REFERENCE_USER_KEYS | REFERENCE_UNREAD_KEYS <= set(event["user"])
    assert {"user_id", "user", "created_at", "updated_at"} <= set(event["members"][0])
    # …and what Stream's spec requires too, so one payload satisfies docs and spec (issue 13).
    assert {"custom", "language", "blocked_user_ids", "teams"} <= set(event["message"]["user"])
    assert {"message_id", "watcher_count", "custom"} <= set(event)
    assert isinstance(event["message"]["reaction_counts"], dict)


def test_v1_custom_data_is_inlined_and_in_the_custom_map():
    gen = Generator(seed=3, start_time=START)
    users = [u for _ in range(40) for u in gen.make("message.new")["members"]]
    custom = [u["user"] for u in users if u["user"]["custom"]]
    assert custom, "some users have custom data"
    for user in custom:
        assert all(user[k] == v for k, v in user["custom"].items())
    channel = gen.make("channel.updated")["channel"]
    assert channel["name"] == channel["custom"]["name"]
