"""The app's calls go to the emulator through the official SDK; the consumer reads the queue;
the test checks what the consumer indexed. Only the plugin's fixtures are used."""

from __future__ import annotations

import uuid

import pytest
from chat_app.backend import ChatBackend
from chat_app.consumer import Consumer
from stream_chat import StreamChat


@pytest.fixture
def backend(stream_emulator, stream_sqs_queue) -> ChatBackend:
    e = stream_emulator
    return ChatBackend(StreamChat(api_key=e.api_key, api_secret=e.api_secret,
                                  base_url=e.base_url))


@pytest.fixture
def consumer(stream_emulator, stream_sqs_queue) -> Consumer:
    return Consumer(stream_emulator.sqs_client(), stream_sqs_queue.url)


def test_channel_messages_and_reactions_reach_the_index(backend, consumer):
    room = f"launch-{uuid.uuid4().hex[:8]}"
    backend.register(("ann", "Ann"), ("bob", "Bob"), ("cy", "Cy"))
    cid = backend.open_channel(room, "ann", ["ann", "bob"], "Launch")
    backend.add_members(room, ["cy"])
    first = backend.post(room, "ann", "We ship on Friday")
    reply = backend.post(room, "bob", "Great!", reply_to=first)
    backend.react(room, first, "cy", "love")
    backend.react(room, first, "bob", "love")

    # channel.created, 2 × member.added, member.added, message.new, message.new +
    # thread.updated + notification.thread_message_new, 2 × reaction.new
    consumer.drain(10)
    index = consumer.index
    assert index.channel_names == {cid: "Launch"}
    assert index.members[cid] == ["ann", "bob", "cy"]
    assert index.messages[first].text == "We ship on Friday"
    assert index.messages[first].reactions == {"love": 2}
    assert index.messages[reply].parent_id == first and index.messages[reply].author == "bob"
    assert index.seen[:4] == ["channel.created", "member.added", "member.added", "member.added"]


def test_each_test_starts_from_an_empty_app(backend, consumer, stream_sqs_queue):
    backend.register(("ann", "Ann"))
    cid = backend.open_channel("solo", "ann", ["ann"], "Solo")
    consumer.drain(2)
    assert consumer.index.members == {cid: ["ann"]}
    assert stream_sqs_queue.depth() == 0
