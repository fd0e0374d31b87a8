"""The 13 v2-only moderation types (issue 13 §1): built on the same world as the chat events,
decoded by the getstream SDK into their typed classes, refused in v1, mixed into v2 simulations."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import datetime, timezone

import pytest
from getstream import webhook

from emulator.catalog.registry import UnknownEventType
from emulator.catalog.types import V2_ONLY_EVENT_TYPES
from emulator.events.generator import Generator, realistic_mix
from emulator.simulate.mix import load_mix
from emulator.simulate.traffic import Traffic

START = datetime(2025, 3, 30, tzinfo=timezone.utc)


def v2() -> Generator:
    return Generator(seed=41, start_time=START, dialect="v2")


@pytest.mark.parametrize("event_type", V2_ONLY_EVENT_TYPES)
def test_parse_sqs_decodes_each_into_its_typed_class(event_type):
    gen = v2()
    for _ in range(3):
        event = gen.make(event_type)
        body = base64.b64encode(json.dumps(event).encode()).decode()  # as Stream's SQS sends
        decoded = webhook.parse_sqs(body)
        assert type(decoded) is webhook._get_event_class(event_type)
        assert decoded.type == event_type and decoded.created_at.year == START.year


def test_the_flagged_message_its_author_and_the_flagger_exist_in_the_world():
    gen = v2()
    for _ in range(20):
        item = gen.make("review_queue_item.new")["review_queue_item"]
        message = gen.world.messages[item["entity_id"]]
        assert item["message"]["id"] == message.id and item["message"]["cid"] == message.cid
        assert item["entity_creator_id"] == message.user.id
        channel = gen.world.channel_of(message)
        [flag] = item["flags"]
        assert flag["user_id"] in channel.members and flag["user_id"] != message.user.id
        assert flag["review_queue_item_id"] == item["id"] and item["flags_count"] == 1


def test_later_events_follow_the_item_they_are_about():
    gen = v2()
    created = gen.make("review_queue_item.new")["review_queue_item"]
    reviewed = gen.make("moderation.mark_reviewed")["item"]
    assert reviewed["id"] == created["id"] and reviewed["status"] == "reviewed"
    assert reviewed["reviewed_by"] == reviewed["actions"][-1]["user_id"]
    assert reviewed["latest_moderator_action"] == "mark_reviewed"
    appeal = gen.make("appeal.created")["appeal"]
    assert appeal["status"] == "submitted"
    item = gen.world.review_items[appeal["review_queue_item_id"]]
    assert appeal["entity_id"] == item.message.id and appeal["user"]["id"] == item.message.user.id
    decided = gen.make("appeal.accepted")["appeal"]
    assert decided["id"] == appeal["id"] and decided["status"] == "accepted"
    check = gen.make("moderation_check.completed")
    assert check["review_queue_item_id"] in gen.world.review_items


def test_review_items_stay_bounded_over_a_long_run():
    gen = v2()
    for _ in range(300):
        gen.build("review_queue_item.new")
    assert len(gen.world.review_items) == 200


def test_v1_refuses_them_before_the_world_moves():
    gen = Generator(seed=41, start_time=START)
    before = json.dumps(gen.make("message.new"), sort_keys=True)
    gen.reset()
    with pytest.raises(UnknownEventType, match="v2 webhook union only.*ask for dialect v2"):
        gen.make("appeal.created")
    assert json.dumps(gen.make("message.new"), sort_keys=True) == before


def test_realistic_mix_and_the_simulator_send_them_in_v2_only():
    assert set(V2_ONLY_EVENT_TYPES) <= set(realistic_mix("v2"))
    assert not set(V2_ONLY_EVENT_TYPES) & set(realistic_mix("v1"))
    mix = load_mix()
    assert set(V2_ONLY_EVENT_TYPES) <= set(mix.weights)
    v1_mix = mix.for_dialect("v1")
    assert not set(V2_ONLY_EVENT_TYPES) & (set(v1_mix.weights) | set(v1_mix.after))
    sent = Counter()
    for dialect in ("v1", "v2"):
        traffic = Traffic(mix, seed=5, users=40, channels=8, dialect=dialect)
        sent[dialect] = sum(1 for e in traffic.batch(3000) if e["type"] in V2_ONLY_EVENT_TYPES)
    assert sent["v1"] == 0 and sent["v2"] > 20
