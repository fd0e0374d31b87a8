"""Events agree with the generator's world and with each other: they refer to messages, users
and members that exist, and counts match the world."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from emulator.catalog.types import EVENT_TYPES, is_event_type
from emulator.events.generator import REALISTIC_MIX, Generator

START = datetime(2025, 3, 30, tzinfo=timezone.utc)


def members_of(gen: Generator, cid: str) -> set[str]:
    return set(gen.world.channels[cid].members)


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_reaction_new_refers_to_existing_message_user_and_channel(dialect):
    gen = Generator(seed=21, start_time=START, dialect=dialect)
    for _ in range(40):
        event = gen.make("reaction.new")
        message = gen.world.messages[event["message"]["id"]]
        assert message.cid == event["cid"] == event["message"]["cid"]
        assert event["reaction"]["message_id"] == message.id
        assert event["reaction"]["user_id"] in members_of(gen, event["cid"])
        assert event["user"]["id"] == event["reaction"]["user_id"]
        counts: dict[str, int] = {}
        for reaction in message.reactions:
            counts[reaction.type] = counts.get(reaction.type, 0) + 1
        assert event["message"]["reaction_counts"] == counts
        latest = [(r["user_id"], r["type"]) for r in event["message"]["latest_reactions"]]
        assert (event["reaction"]["user_id"], event["reaction"]["type"]) == latest[0]


def test_member_removed_was_a_member_and_member_added_was_not():
    gen = Generator(seed=22, start_time=START, dialect="v2")
    for _ in range(30):
        before = {cid: set(c.members) for cid, c in gen.world.channels.items()}
        removed = gen.make("member.removed")
        user_id, cid = removed["member"]["user_id"], removed["cid"]
        assert user_id in before[cid] and user_id not in members_of(gen, cid)
        assert removed["channel_member_count"] == len(members_of(gen, cid))
        assert removed["channel"]["member_count"] == len(members_of(gen, cid))
        before = {cid: set(c.members) for cid, c in gen.world.channels.items()}
        added = gen.make("member.added")
        user_id, cid = added["member"]["user_id"], added["cid"]
        assert user_id not in before[cid] and user_id in members_of(gen, cid)


def test_updated_and_deleted_messages_exist_and_stay_coherent():
    gen = Generator(seed=23, start_time=START)
    known: set[str] = set(gen.world.messages)
    for _ in range(60):
        new = gen.make("message.new")
        known.add(new["message"]["id"])
        updated = gen.make("message.updated")
        assert updated["message"]["id"] in known
        assert gen.world.messages[updated["message"]["id"]].text == updated["message"]["text"]
        assert updated["message_update"]["old_text"] != updated["message"]["text"]
        deleted = gen.make("message.deleted")
        assert deleted["message"]["id"] in gen.world.messages
        assert deleted["message"]["type"] == "deleted" and deleted["message"]["deleted_at"]


def test_reply_counts_match_the_live_replies_in_the_world():
    gen = Generator(seed=24, start_time=START)
    for event_type in ["message.new"] * 300 + ["message.deleted"] * 40 + ["message.undeleted"] * 10:
        gen.make(event_type)
    parents = 0
    for channel in gen.world.live_channels:
        for parent in channel.messages:
            replies = [m for m in channel.messages if m.parent_id == parent.id]
            assert parent.reply_count == sum(1 for m in replies if m.deleted is None)
            assert parent.deleted_reply_count == sum(1 for m in replies if m.deleted)
            parents += bool(replies)
    assert parents > 5
    new = [gen.make("message.new") for _ in range(50)]
    replies = [e for e in new if e["message"].get("parent_id")]
    assert replies
    for event in replies:
        parent = gen.world.messages[event["message"]["parent_id"]]
        assert event["message"]["cid"] == parent.cid
        assert {u["id"] for u in event["thread_participants"]} >= {event["message"]["user"]["id"]}


def _objects(value, found: list[dict]) -> list[dict]:
    """Every dict nested anywhere in a payload."""
    if isinstance(value, dict):
        found.append(value)
        value = list(value.values())
    if isinstance(value, list):
        for child in value:
            _objects(child, found)
    return found


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_cid_is_type_colon_id_everywhere(dialect):
    gen = Generator(seed=25, start_time=START, dialect=dialect)
    rng = random.Random(25)
    checked = {"event": 0, "channel": 0, "message": 0}
    for event_type in rng.choices(list(REALISTIC_MIX), list(REALISTIC_MIX.values()), k=600):
        event = gen.make(event_type)
        if "channel_id" in event:
            assert event["cid"] == f"{event['channel_type']}:{event['channel_id']}"
            checked["event"] += 1
        for obj in _objects(event, []):
            if "frozen" in obj:  # a channel object
                assert obj["cid"] == f"{obj['type']}:{obj['id']}"
                checked["channel"] += 1
            elif isinstance(obj.get("html"), str) and "cid" in event:
                assert obj["cid"] == event["cid"]
                checked["message"] += 1
    assert min(checked.values()) > 20, checked


def test_channel_counts_agree_with_the_world_in_v2():
    gen = Generator(seed=26, start_time=START, dialect="v2")
    for event_type in EVENT_TYPES * 3:
        event = gen.make(event_type)
        channel = gen.world.channels.get(event.get("cid", ""))
        if channel is None or "channel_member_count" not in event:
            continue
        assert event["channel_member_count"] == len(channel.members)
        live = sum(1 for m in channel.messages if m.deleted is None)
        assert event["channel_message_count"] == live


def test_world_stays_usable_over_a_long_mixed_run():
    gen = Generator(seed=27)
    rng = random.Random(27)
    for event_type in rng.choices(EVENT_TYPES, k=6000):
        dialect = rng.choice(("v1", "v2"))
        gen.build(event_type, dialect if is_event_type(event_type, dialect) else "v2")
    assert all(channel.members for channel in gen.world.live_channels)
    assert len(gen.world.live_users) >= 10
