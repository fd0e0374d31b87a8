"""What lets the generator skip work per event without weakening it: every event of long
simulator runs is schema-valid (checked here one by one, since make() samples its own checks),
payloads that share the world's cached user/member dicts are byte-identical to copied ones,
and a long simulation's world stays bounded."""

from __future__ import annotations

import gc
import json
import random
from collections import Counter
from datetime import datetime, timezone

import pytest

from emulator.catalog.registry import EventValidationError, get_registry
from emulator.catalog.types import event_types
from emulator.events import generator as generator_module
from emulator.events.builders import BUILDERS
from emulator.events.generator import CHECK_EVERY, FULL_CHECKS, Generator
from emulator.simulate.command import steady_gc
from emulator.simulate.mix import Picker, load_mix
from emulator.simulate.traffic import CHANNEL_GROWTH, SizedGenerator, Traffic

START = datetime(2025, 3, 30, 7, 54, 46, tzinfo=timezone.utc)


def simulator_run(seed: int, dialect: str, count: int, share: bool):
    """(type, payload) pairs of the simulator's default mix, unvalidated (build), then one
    of every type of the dialect in the world the run left."""
    mix = load_mix().for_dialect(dialect)
    picker, sent = Picker(mix, random.Random(seed ^ 0x5EED)), Counter()
    gen = SizedGenerator(20, 5, seed=seed, start_time=START, dialect=dialect, share=share)
    for _ in range(count):
        event_type = picker.draw(sent)
        sent[event_type] += 1
        yield event_type, gen.build(event_type)
    for event_type in event_types(dialect):
        yield event_type, gen.build(event_type)


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_every_event_of_long_simulator_runs_is_valid(dialect):
    registry = get_registry()
    failures, seen = [], Counter()
    for seed in range(4):
        for event_type, event in simulator_run(seed, dialect, 1500, share=True):
            seen[event_type] += 1
            if not registry.is_valid(event, dialect, event_type):
                found = registry.violations(event, dialect, event_type)
                failures.append((seed, event_type, [str(v) for v in found][:2]))
    assert failures == []
    assert set(seen) == set(event_types(dialect))
    assert sum(seen.values()) == 4 * (1500 + len(event_types(dialect)))


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_shared_payloads_are_byte_identical_to_copied_ones(dialect):
    shared = list(simulator_run(5, dialect, 2500, share=True))
    copied = list(simulator_run(5, dialect, 2500, share=False))
    assert [json.dumps(e, sort_keys=True) for _, e in shared] == \
           [json.dumps(e, sort_keys=True) for _, e in copied]
    # The sharing is real: one user dict object is in many payloads (else this proves nothing).
    users = Counter(id(e["user"]) for _, e in shared if isinstance(e.get("user"), dict))
    assert users.most_common(1)[0][1] > 10
    copies = Counter(id(e["user"]) for _, e in copied if isinstance(e.get("user"), dict))
    assert copies.most_common(1)[0][1] == 1


def test_make_checks_the_first_events_of_a_type_then_one_in_check_every(monkeypatch):
    registry = get_registry()
    calls = Counter()
    real = registry.validate

    def counting(event, dialect="v1", event_type=None):
        calls[event_type] += 1
        return real(event, dialect, event_type)

    monkeypatch.setattr(registry, "validate", counting)
    gen = Generator(seed=1, start_time=START)
    for _ in range(100):
        gen.make("message.new")
    sampled = sum(1 for n in range(FULL_CHECKS + 1, 101) if n % CHECK_EVERY == 0)
    assert calls["message.new"] == FULL_CHECKS + sampled
    for _ in range(40):  # the caller's overrides: every event is checked
        gen.make("message.read", {"custom": {"k": 1}})
    assert calls["message.read"] == 40


def test_a_builder_gone_wrong_is_caught_on_its_first_event(monkeypatch):
    real = BUILDERS["message.read"]

    def broken(ctx):
        event = real(ctx)
        event["user"] = "not an object"
        return event

    monkeypatch.setitem(generator_module.BUILDERS, "message.read", broken)
    with pytest.raises(EventValidationError, match=r"\$\.user"):
        Generator(seed=2, start_time=START).make("message.read")


def test_a_long_simulation_keeps_its_world_bounded_and_retired_channels_stay_silent():
    traffic = Traffic(load_mix(), seed=3, users=16, channels=3, dialect="v1")
    gone: set[str] = set()  # channels that left the world (deleted or retired)
    retired = 0
    for _ in range(3000):
        before = set(traffic.world.channels)
        [event] = traffic.batch(1)
        assert event.get("cid") not in gone, event["type"]
        assert len(traffic.world.live_channels) <= CHANNEL_GROWTH * 3
        left = before - set(traffic.world.channels)
        retired += len(left - {event.get("cid")})  # not the channel.deleted of this event
        gone |= left
    assert retired > 5  # the bound was reached and acted (else this proves nothing)


def test_steady_gc_freezes_the_set_up_for_the_run_and_restores_the_collector():
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert frozen == 0  # else the freeze below is not ours to undo
    with steady_gc():
        assert gc.get_freeze_count() > frozen
        assert gc.get_threshold()[0] >= 20_000
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)
