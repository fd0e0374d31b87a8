"""One world: generated events act on what the app created, and the app's reads see what
generated events did (the generator's world and the chat store share their tables)."""

from __future__ import annotations

import pytest

from emulator.catalog.types import EVENT_TYPES

MAX_TRIES = 300  # picks are random over ~7 live channels: a hit comes within a few dozen


@pytest.fixture
def app_message(chat, uid, stream_sqs_queue):
    users = [uid("ann"), uid("bob")]
    chat.upsert_users([{"id": u} for u in users])
    ch = chat.channel("messaging", uid("shop"), {"members": users})
    ch.create(users[0])
    return ch, ch.send_message({"text": "our message"}, users[0])["message"]


def test_trigger_reaction_new_may_react_to_the_apps_message(chat, stream_emulator,
                                                            app_message):
    _, message = app_message
    for _ in range(MAX_TRIES):
        [event] = stream_emulator.trigger("reaction.new").events
        if event["message"]["id"] == message["id"]:
            break
    else:
        pytest.fail(f"no generated reaction.new acted on the app's message in {MAX_TRIES}")
    stored = chat.get_message(message["id"])["message"]
    assert stored["reaction_counts"] == event["message"]["reaction_counts"]
    assert event["message"]["text"] == "our message"
    assert stored["latest_reactions"][0]["user"]["id"] == event["reaction"]["user"]["id"]


def test_generated_messages_in_the_apps_channel_are_readable(chat, stream_emulator,
                                                            app_message):
    channel, _ = app_message
    for _ in range(MAX_TRIES):
        [event] = stream_emulator.trigger("message.new").events
        if event["cid"] == channel.cid and "parent_id" not in event["message"]:
            break
    else:
        pytest.fail(f"no generated message.new went to the app's channel in {MAX_TRIES}")
    stored = chat.get_message(event["message"]["id"])["message"]
    assert stored["text"] == event["message"]["text"] and stored["cid"] == channel.cid
    assert event["message"]["id"] in [m["id"] for m in channel.query()["messages"]]


def test_every_generated_type_still_works_beside_app_state(chat, stream_emulator, uid,
                                                          stream_sqs_queue):
    """Empty channels, deleted users and deleted channels of the app never break the
    generator (it skips channels without members, forgets what the app deleted)."""
    users = [uid("a"), uid("b")]
    chat.upsert_users([{"id": u} for u in users])
    chat.channel("messaging", uid("empty")).create(users[0])
    busy = chat.channel("messaging", uid("busy"), {"members": users})
    busy.create(users[0])
    stream_emulator.trigger("message.new")  # builds the world, now sharing the store
    busy.send_message({"text": "x"}, users[1])
    chat.delete_user(users[1], hard_delete=True)
    for event_type in EVENT_TYPES:
        # v2: its webhook union holds every type (v1 lacks the newer moderation ones)
        assert len(stream_emulator.trigger(event_type, count=3, dialect="v2").events) == 3
    if chat.query_channels({"cid": busy.cid})["channels"]:  # a channel.deleted may have hit it
        busy.delete()
    stream_emulator.trigger("reaction.new", count=20)
    assert chat.query_channels({"cid": busy.cid})["channels"] == []
