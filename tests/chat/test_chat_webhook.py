"""The same chat events reach every hook type: an SQS queue and an HTTP webhook on loopback
(signed with the API secret, verified by the stream-chat SDK), in the same order."""

from __future__ import annotations

import json
import time

import pytest
from stream_chat import StreamChat

from emulator.webhook_receiver import WebhookReceiver

from .helpers import expect_events


@pytest.fixture
def receiver(stream_emulator):
    with WebhookReceiver(stream_emulator.api_secret) as running:
        yield running


def arrived(receiver: WebhookReceiver, count: int, timeout: float = 5.0) -> list:
    deadline = time.monotonic() + timeout
    while len(receiver.requests) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return list(receiver.requests)


def test_chat_events_reach_the_queue_and_the_webhook(chat: StreamChat, receiver, uid,
                                                     stream_sqs_queue):
    hooks = chat.get_app_settings()["app"]["event_hooks"]
    chat.update_app_settings(event_hooks=[*hooks, {
        "hook_type": "webhook", "enabled": True, "webhook_url": receiver.url}])
    users = [uid("ann"), uid("bob")]
    chat.upsert_users([{"id": u} for u in users])
    channel = chat.channel("messaging", uid("hooked"), {"members": users})
    channel.create(users[0])
    sent = channel.send_message({"text": "to every hook"}, users[1])["message"]
    channel.send_reaction(sent["id"], {"type": "like"}, users[0])
    types = ["channel.created", "member.added", "member.added", "message.new", "reaction.new"]
    queued = expect_events(stream_sqs_queue, *types)
    posted = arrived(receiver, len(types))
    assert [json.loads(body)["type"] for _, body in posted] == types
    for (headers, body), event in zip(posted, queued, strict=True):
        assert chat.verify_webhook(body, headers["x-signature"])
        assert json.loads(body) == event
