"""Bad chat calls get Stream's APIError body (code 4 naming the field, 404 code 16 for what
does not exist, 401 without server auth), and change nothing: no state, no event."""

from __future__ import annotations

import pytest
import requests
from stream_chat import StreamChat

from .helpers import api_error, expect_events


@pytest.fixture
def ann(chat, uid, stream_sqs_queue):
    user_id = uid("ann")
    chat.upsert_user({"id": user_id, "name": "Ann"})
    return user_id


def test_missing_channel_message_and_user_are_404_code_16(chat, ann, uid, stream_sqs_queue):
    ghost = chat.channel("messaging", uid("nowhere"))
    api_error(lambda: ghost.send_message({"text": "x"}, ann), 404, 16, "SendMessage",
              ghost.cid)
    api_error(lambda: chat.get_message("no-such-message"), 404, 16, "no-such-message")
    api_error(lambda: chat.deactivate_user(uid("nobody")), 404, 16, "DeactivateUser")
    expect_events(stream_sqs_queue)


def test_input_errors_name_the_field(chat, ann, uid, stream_sqs_queue):
    ch = chat.channel("messaging", uid("room"))
    api_error(lambda: chat.post(f"channels/messaging/{ch.id}/query", data={"data": {}}),
              400, 4, "data.created_by")
    ch.create(ann)
    expect_events(stream_sqs_queue, "channel.created")
    api_error(lambda: ch.send_message({"text": "x"}, uid("stranger")), 400, 4,
              "message.user")
    api_error(lambda: ch.send_message({"text": 5}, ann), 400, 4, "message.text",
              "expected string")
    api_error(lambda: ch.send_message({"text": "x" * 5001}, ann), 400, 20, "5000")
    api_error(lambda: ch.add_members([uid("stranger")]), 400, 4, "add_members")
    api_error(lambda: ch.update_partial({"created_at": "now"}), 400, 4, "set.created_at")
    api_error(lambda: chat.query_users({"id": {"$regex": "a"}}), 400, 4, "$regex")
    assert ch.query()["messages"] == [] and [m["user_id"] for m in ch.query()["members"]] == []
    expect_events(stream_sqs_queue)


def test_a_rejected_batch_changes_nothing(chat, ann, uid, stream_sqs_queue):
    api_error(lambda: chat.update_users_partial([
        {"id": ann, "set": {"name": "Changed"}}, {"id": uid("ghost"), "set": {"x": 1}}]),
        404, 16)
    assert chat.query_users({"id": ann})["users"][0]["name"] == "Ann"
    expect_events(stream_sqs_queue)


def test_chat_calls_need_server_auth(stream_emulator, ann):
    answer = requests.post(f"{stream_emulator.base_url}/users",
                           params={"api_key": stream_emulator.api_key},
                           json={"users": {}}, timeout=5)
    assert answer.status_code == 401 and answer.json()["code"] == 5
    wrong = StreamChat(api_key=stream_emulator.api_key, api_secret="x" * 32,
                       base_url=stream_emulator.base_url)
    api_error(lambda: wrong.upsert_user({"id": "x"}), 401, 43)
